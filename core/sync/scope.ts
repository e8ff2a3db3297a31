/**
 * Which documents a token can read and write, from the grants the server reports (GET /whoami) or
 * the token carries, so a workspace opens only those and an import writes only those. Opening a
 * unit the user has no role on would only earn 403s and a reconnect loop; writing one the user may
 * only read would be refused after the fact. Same rules as the server (sync-server/access.ts): a
 * pattern is an exact name or a prefix ending in `*` (`unit:*`, `*`); the effective role is the
 * strongest matching grant; `workspace` is written by admins, `unit:*` by editors and admins,
 * `notes:*` by annotators, editors and admins. The server stays the authority: this only avoids
 * asking in vain.
 */

export type Role = 'viewer' | 'annotator' | 'editor' | 'admin';

export interface Grant {
  role: Role;
  doc: string;
}

const ROLE_ORDER: readonly Role[] = ['viewer', 'annotator', 'editor', 'admin'];

export function patternMatches(pattern: string, docName: string): boolean {
  return pattern.endsWith('*') ? docName.startsWith(pattern.slice(0, -1)) : pattern === docName;
}

export function canRead(grants: readonly Grant[], docName: string): boolean {
  return grants.some((g) => patternMatches(g.doc, docName));
}

/** The role a set of grants gives on one document: the strongest matching grant wins. */
export function roleOn(grants: readonly Grant[], docName: string): Role | undefined {
  let best: Role | undefined;
  for (const g of grants) {
    if (patternMatches(g.doc, docName) && (!best || ROLE_ORDER.indexOf(g.role) > ROLE_ORDER.indexOf(best))) best = g.role;
  }
  return best;
}

/** Whether a role may write a document: annotators only notes, editors all but the workspace. */
export function roleCanWrite(role: Role | undefined, docName: string): boolean {
  if (!role || role === 'viewer') return false;
  if (role === 'annotator') return docName.startsWith('notes:');
  if (role === 'editor') return docName !== 'workspace';
  return true;
}

export function canWrite(grants: readonly Grant[], docName: string): boolean {
  return roleCanWrite(roleOn(grants, docName), docName);
}

/** Whether the grants let the token write at least one unit document (`unit:A01`, `unit:A0*`, `unit:*`, `*`). */
export function canWriteSomeUnit(grants: readonly Grant[]): boolean {
  return grants.some((g) => (g.doc === '*' || g.doc.startsWith('unit:')) && roleCanWrite(g.role, 'unit:'));
}
