/**
 * Roles, document names and grants: the rule lives in core/sync/access.ts (one copy, shared with
 * the clients); the server enforces it. Re-exported here so the server's modules keep one import.
 */
export {
  docNameSchema,
  docPatternSchema,
  effectiveRole,
  grantSchema,
  isDocName,
  parseGrant,
  patternMatches,
  roleCanWrite as canWrite,
  roleSchema,
  roles,
  type Grant,
  type Role,
} from '../core/sync/access.ts';
