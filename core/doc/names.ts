/**
 * Document names. The document is the permission boundary (docs/decisions.md): the server grants roles per
 * name or pattern, so these strings are part of the protocol, not an implementation detail.
 */

export const WORKSPACE_DOC = 'workspace';
/** Saved queries shared in the workspace (core/doc/queries-doc.ts; who may write: core/sync/access.ts). */
export const QUERIES_DOC = 'queries';
/** The integrity-review register: every request and reply, org-wide (core/doc/register-doc.ts). */
export const REGISTER_DOC = 'register';

export type DocKind = 'workspace' | 'unit' | 'notes' | 'queries' | 'user' | 'register';

/** One user's own state (alerts seen, core/doc/user-doc.ts): only that user may read or write it. */
export function userDocName(user: string): string {
  return `user:${user}`;
}

export function unitDocName(unitCode: string): string {
  return `unit:${unitCode}`;
}

export function notesDocName(unitCode: string): string {
  return `notes:${unitCode}`;
}

/** The kind of a document and, for unit and notes documents, the unit it belongs to. */
export function parseDocName(name: string): { kind: DocKind; unitCode?: string } | undefined {
  if (name === WORKSPACE_DOC) return { kind: 'workspace' };
  if (name === QUERIES_DOC) return { kind: 'queries' };
  if (name.startsWith('user:') && name.length > 5) return { kind: 'user' };
  if (name === REGISTER_DOC) return { kind: 'register' };
  const m = /^(unit|notes):(.+)$/.exec(name);
  if (!m) return undefined;
  return { kind: m[1] as 'unit' | 'notes', unitCode: m[2]! };
}
