import { QUERIES_DOC } from '../doc/names.ts';
import type { Grant, Role } from './scope.ts';

/**
 * The two documents whose access is derived rather than granted by name. One copy of the rule,
 * used by the server (sync-server/access.ts, which enforces it) and by clients (which only use it
 * to know what to open and whether to offer "save").
 *
 * - `user:<sub>`: that user's own state (alerts already told, inbox seen up to). The owner reads
 *   and writes it; nobody else, whatever their grants — not even an admin holding `*`: which
 *   alerts an officer has seen is theirs alone.
 * - `queries`: saved searches shared in the workspace. A query holds filters, never dossier
 *   content, and each reader runs it within their own scope, so sharing one discloses nothing.
 *   Anyone who may read the workspace may read them; anyone who may write anything at all
 *   (annotator, editor or admin on some document) may save one. A grant naming `queries` itself
 *   (or `*`) counts as usual, whichever gives more.
 *
 * `undefined`: not one of these documents (the ordinary grants decide). `null`: no access.
 */

const ORDER: readonly Role[] = ['viewer', 'annotator', 'editor', 'admin'];
const stronger = (a: Role | null, b: Role | null): Role | null => (a === null ? b : b === null ? a : ORDER.indexOf(b) > ORDER.indexOf(a) ? b : a);

function matches(pattern: string, docName: string): boolean {
  return pattern.endsWith('*') ? docName.startsWith(pattern.slice(0, -1)) : pattern === docName;
}

function granted(grants: readonly Grant[], docName: string): Role | null {
  let best: Role | null = null;
  for (const g of grants) if (matches(g.doc, docName)) best = stronger(best, g.role);
  return best;
}

export function derivedRole(grants: readonly Grant[], docName: string, user: string | undefined): Role | null | undefined {
  if (docName.startsWith('user:')) return user !== undefined && docName === `user:${user}` ? 'editor' : null;
  if (docName !== QUERIES_DOC) return undefined;
  if (granted(grants, 'workspace') === null) return granted(grants, QUERIES_DOC);
  const strongest = grants.reduce<Role | null>((best, g) => stronger(best, g.role), null);
  return stronger(granted(grants, QUERIES_DOC), strongest === 'viewer' ? 'viewer' : strongest === null ? null : 'annotator');
}

/** Which roles write these documents (any role but viewer; the owner of a user document is an editor). */
export function derivedCanWrite(role: Role | null | undefined): boolean {
  return role === 'annotator' || role === 'editor' || role === 'admin';
}
