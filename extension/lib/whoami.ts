import type { Grants } from './settings.ts';
import { roleCanWrite, roleOn as coreRoleOn, type Role } from '../../core/sync/scope.ts';

/**
 * GET /whoami: the server's view of a token (who, which roles on which documents, until when).
 * The options page shows it after enrolment, and enrolment only completes when it succeeds, so
 * a mistyped URL or a revoked token is caught while the user is still looking at the form.
 * Shared with the CLI import (core/sync/whoami.ts, core/sync/scope.ts).
 */

export { fetchWhoami, whoamiSchema, type Whoami, type WhoamiResult } from '../../core/sync/whoami.ts';
export type { Role };

/** Writes are allowed for these roles on unit documents; annotators write only notes documents. */
export function canWriteDoc(role: Role | undefined, docName: string): boolean {
  return roleCanWrite(role, docName);
}

/** The role a set of grants gives on one document: the strongest matching grant wins. */
export function roleOn(grants: Grants, docName: string): Role | undefined {
  return coreRoleOn(grants, docName);
}
