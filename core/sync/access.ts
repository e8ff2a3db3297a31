/**
 * Who may read and who may write which document: roles, document names, grants, and the rule
 * that turns a token's grants into a role on one document. One copy, pure: the server enforces it
 * (sync-server/auth.ts, on every connection and write) and clients read it only to know what to
 * open and which controls to offer (core/sync/scope.ts); the server stays the authority.
 *
 * The permission boundary is the document boundary (docs/decisions.md), so nothing here looks
 * inside a document. A grant is (role, document name or pattern); the effective role on a document
 * is the strongest matching grant; no matching grant means no access at all. Two documents are the
 * exception, their access derived from who asks (below: `queries` and `user:<sub>`).
 */
import * as v from 'valibot';
import { QUERIES_DOC } from '../doc/names.ts';
import { UNIT_CODE_SOURCE } from '../model/unit-code.ts';

/** Weakest first: a stronger role can do everything a weaker one can on the same document. */
export const roles = ['viewer', 'annotator', 'editor', 'admin'] as const;
export const roleSchema = v.picklist(roles);
export type Role = v.InferOutput<typeof roleSchema>;

/** A user id in `user:<sub>`: no '/', '?', '#', '*', whitespace, control or format (zero-width) characters. */
const USER_SOURCE = '[^/?#*\\s\\p{C}]{1,128}';

/**
 * `workspace`, `register`, `unit:<code>`, `notes:<code>`, and the two documents with derived access,
 * `queries` and `user:<sub>`. A code is in its one spelling (core/model/unit-code.ts: capital ASCII
 * letters, digits, `.` `_` `-`), so that one unit has exactly one document of each kind. A
 * `user:<sub>` document is only ever open to the token whose `sub` it names, exactly (derived
 * access), so a look-alike spelling opens nothing for anyone.
 */
export const docNameSchema = v.pipe(
  v.string(),
  v.maxLength(200),
  v.regex(
    new RegExp(`^(workspace|register|queries|(unit|notes):${UNIT_CODE_SOURCE}|user:${USER_SOURCE})$`, 'u'),
    'not a document name',
  ),
);

/** An exact document name, or a prefix ending in `*` (`unit:*`, `unit:A0*`, `*`). */
export const docPatternSchema = v.pipe(
  v.string(),
  v.maxLength(200),
  v.regex(
    new RegExp(`^(\\*|workspace|register|(unit|notes):(\\*|${UNIT_CODE_SOURCE}\\*?))$`, 'u'),
    'not a document name or pattern',
  ),
);

export const grantSchema = v.object({ role: roleSchema, doc: docPatternSchema });
export type Grant = v.InferOutput<typeof grantSchema>;

/** Which roles may write each family of documents granted by name. */
const writers: Record<'workspace' | 'unit' | 'notes' | 'register', readonly Role[]> = {
  workspace: ['admin'],
  unit: ['editor', 'admin'],
  notes: ['annotator', 'editor', 'admin'],
  // The integrity-review register (core/doc/register-doc.ts): granted on its own, e.g. editor:register.
  register: ['editor', 'admin'],
};

export function isDocName(name: string): boolean {
  return v.is(docNameSchema, name);
}

export function patternMatches(pattern: string, docName: string): boolean {
  return pattern.endsWith('*') ? docName.startsWith(pattern.slice(0, -1)) : pattern === docName;
}

const stronger = (a: Role | null, b: Role | null): Role | null =>
  a === null ? b : b === null ? a : roles.indexOf(b) > roles.indexOf(a) ? b : a;

/** The strongest role the grants name for `docName` (patterns included), or null. */
function granted(grants: readonly Pick<Grant, 'role' | 'doc'>[], docName: string): Role | null {
  let best: Role | null = null;
  for (const g of grants) if (patternMatches(g.doc, docName)) best = stronger(best, g.role);
  return best;
}

/**
 * The two documents whose access is derived rather than granted by name.
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
export function derivedRole(
  grants: readonly Grant[],
  docName: string,
  user: string | undefined,
): Role | null | undefined {
  if (docName.startsWith('user:')) return user !== undefined && docName === `user:${user}` ? 'editor' : null;
  if (docName !== QUERIES_DOC) return undefined;
  if (granted(grants, 'workspace') === null) return granted(grants, QUERIES_DOC);
  const strongest = grants.reduce<Role | null>((best, g) => stronger(best, g.role), null);
  return stronger(
    granted(grants, QUERIES_DOC),
    strongest === 'viewer' ? 'viewer' : strongest === null ? null : 'annotator',
  );
}

/** Which roles write the derived documents (any role but viewer; the owner of a user document is an editor). */
export function derivedCanWrite(role: Role | null | undefined): boolean {
  return role === 'annotator' || role === 'editor' || role === 'admin';
}

/**
 * The role the grants give on `docName`, or null when none matches: the strongest matching grant,
 * except for `queries` and `user:<sub>`, derived from who asks (`user`, the token's sub) above.
 */
export function effectiveRole(grants: readonly Grant[], docName: string, user?: string): Role | null {
  const derived = derivedRole(grants, docName, user);
  return derived !== undefined ? derived : granted(grants, docName);
}

/** Whether `role` (on `docName`, as effectiveRole gave it) may write that document. */
export function roleCanWrite(role: Role | null | undefined, docName: string): boolean {
  if (role === null || role === undefined) return false;
  if (docName === QUERIES_DOC || docName.startsWith('user:')) return derivedCanWrite(role);
  const family =
    docName === 'workspace' || docName === 'register' ? docName : docName.startsWith('unit:') ? 'unit' : 'notes';
  return writers[family].includes(role);
}

/** Parse `role:doc` (e.g. `viewer:workspace`, `editor:unit:*`) as given on the command line. */
export function parseGrant(text: string): Grant {
  const colon = text.indexOf(':');
  return v.parse(grantSchema, { role: text.slice(0, colon), doc: text.slice(colon + 1) });
}
