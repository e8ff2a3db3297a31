/**
 * Roles, document names and grants: who may read and who may write which document.
 *
 * The permission boundary is the document boundary (docs/decisions.md), so this module never looks
 * inside a document. A grant is (role, document name or pattern); the effective role for a
 * document is the highest matching grant; no matching grant means no access at all.
 */
import * as v from 'valibot';
import { UNIT_CODE_SOURCE } from '../core/model/unit-code.ts';
import { derivedCanWrite, derivedRole } from '../core/sync/derived-access.ts';

export const roles = ['viewer', 'annotator', 'editor', 'admin'] as const;
export const roleSchema = v.picklist(roles);
export type Role = v.InferOutput<typeof roleSchema>;

/** A user id in `user:<sub>`: no '/', '?', '#', '*', whitespace, control or format (zero-width) characters. */
const USER_SOURCE = '[^/?#*\\s\\p{C}]{1,128}';

/**
 * `workspace`, `register`, `unit:<code>`, `notes:<code>`, and the two documents with derived access,
 * `queries` and `user:<sub>` (below). A code is in its one spelling (core/model/unit-code.ts: capital
 * ASCII letters, digits, `.` `_` `-`), so that one unit has exactly one document of each kind. A
 * `user:<sub>` document is only ever open to the token whose `sub` it names, exactly (derived
 * access), so a look-alike spelling opens nothing for anyone.
 */
export const docNameSchema = v.pipe(
  v.string(),
  v.maxLength(200),
  v.regex(new RegExp(`^(workspace|register|queries|(unit|notes):${UNIT_CODE_SOURCE}|user:${USER_SOURCE})$`, 'u'), 'not a document name'),
);

/** An exact document name, or a prefix ending in `*` (`unit:*`, `unit:A0*`, `*`). */
export const docPatternSchema = v.pipe(
  v.string(),
  v.maxLength(200),
  v.regex(new RegExp(`^(\\*|workspace|register|(unit|notes):(\\*|${UNIT_CODE_SOURCE}\\*?))$`, 'u'), 'not a document name or pattern'),
);

export const grantSchema = v.object({ role: roleSchema, doc: docPatternSchema });
export type Grant = v.InferOutput<typeof grantSchema>;

/** Which roles may write each family of documents. */
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

/**
 * The highest role any grant gives on `docName`, or null when none matches. `queries` and
 * `user:<sub>` are the exception: their access is derived from who asks (`user`, the token's sub)
 * and what else they hold, by the rule in core/sync/derived-access.ts.
 */
export function effectiveRole(grants: readonly Grant[], docName: string, user?: string): Role | null {
  const derived = derivedRole(grants, docName, user);
  if (derived !== undefined) return derived;
  let best: Role | null = null;
  for (const grant of grants) {
    if (!patternMatches(grant.doc, docName)) continue;
    if (best === null || roles.indexOf(grant.role) > roles.indexOf(best)) best = grant.role;
  }
  return best;
}

export function canWrite(role: Role | null, docName: string): boolean {
  if (role === null) return false;
  if (docName === 'queries' || docName.startsWith('user:')) return derivedCanWrite(role);
  const family = docName === 'workspace' || docName === 'register' ? docName : docName.startsWith('unit:') ? 'unit' : 'notes';
  return writers[family].includes(role);
}

/** Parse `role:doc` (e.g. `viewer:workspace`, `editor:unit:*`) as given on the command line. */
export function parseGrant(text: string): Grant {
  const colon = text.indexOf(':');
  return v.parse(grantSchema, { role: text.slice(0, colon), doc: text.slice(colon + 1) });
}
