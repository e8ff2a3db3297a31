/**
 * Who this device works as, read from the token itself (`dl1.<payload>.<signature>`), so the
 * side panel knows the user's name and roles offline too. This is for the interface only: which
 * controls to enable and the name shown to colleagues. The server verifies the signature and
 * enforces the roles on every write, whatever the interface believes. (Shared with the CLI
 * import: core/sync/whoami.ts.)
 */
export { identityFromToken } from '../../core/sync/whoami.ts';
