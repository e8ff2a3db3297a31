/**
 * Document names. The document is the permission boundary (design.md): the server grants roles per
 * name or pattern, so these strings are part of the protocol, not an implementation detail.
 */

export const WORKSPACE_DOC = 'workspace';
/** The integrity-review register: every request and reply, org-wide (core/doc/register-doc.ts). */
export const REGISTER_DOC = 'register';

export type DocKind = 'workspace' | 'unit' | 'notes' | 'register';

export function unitDocName(unitCode: string): string {
  return `unit:${unitCode}`;
}

export function notesDocName(unitCode: string): string {
  return `notes:${unitCode}`;
}

/** The kind of a document and, for unit and notes documents, the unit it belongs to. */
export function parseDocName(name: string): { kind: DocKind; unitCode?: string } | undefined {
  if (name === WORKSPACE_DOC) return { kind: 'workspace' };
  if (name === REGISTER_DOC) return { kind: 'register' };
  const m = /^(unit|notes):(.+)$/.exec(name);
  if (!m) return undefined;
  return { kind: m[1] as 'unit' | 'notes', unitCode: m[2]! };
}
