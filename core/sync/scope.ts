/**
 * Which documents a token can read and write, from the grants the server reports (GET /whoami) or
 * the token carries, so a workspace opens only those and an import writes only those. Opening a
 * unit the user has no role on would only earn 403s and a reconnect loop; writing one the user may
 * only read would be refused after the fact. The rule is the server's own (core/sync/access.ts);
 * the server stays the authority: this only avoids asking in vain.
 */
import { effectiveRole, roleCanWrite, type Grant, type Role } from './access.ts';

export { patternMatches, roleCanWrite, type Grant, type Role } from './access.ts';

export function canRead(grants: readonly Grant[], docName: string): boolean {
  return effectiveRole(grants, docName) !== null;
}

/** The role a set of grants gives on one document: the strongest matching grant wins. */
export function roleOn(grants: readonly Grant[], docName: string): Role | undefined {
  return effectiveRole(grants, docName) ?? undefined;
}

export function canWrite(grants: readonly Grant[], docName: string): boolean {
  return roleCanWrite(roleOn(grants, docName), docName);
}

/** Whether the grants let the token write at least one unit document (`unit:A01`, `unit:A0*`, `unit:*`, `*`). */
export function canWriteSomeUnit(grants: readonly Grant[]): boolean {
  return grants.some((g) => (g.doc === '*' || g.doc.startsWith('unit:')) && roleCanWrite(g.role, 'unit:'));
}
