/**
 * Authentication (who is this?) and authorisation (what may they do with this document?),
 * decided from the HTTP request before a WebSocket upgrade completes, and for the HTTP API.
 *
 * Token transport, in order of preference:
 * - `Sec-WebSocket-Protocol: dossierlens, auth.<token>` (the extension: keeps tokens out of
 *   URLs and access logs; we echo `dossierlens`, never the token),
 * - `Authorization: Bearer <token>` (HTTP API, Node clients),
 * - `?token=<token>` (stock y-websocket clients, which can only set URL parameters).
 */
import type { IncomingMessage } from 'node:http';
import { type Grant, type Role, canWrite, effectiveRole } from './access.ts';
import { MULTIPLEX_SUBPROTOCOL } from '../core/sync/multiplex-wire.ts';
import type { Storage } from './storage/types.ts';
import { type TokenPayload, issuedAtMs, verifyToken } from './token.ts';

export const subprotocol = 'dossierlens';
const authProtocolPrefix = 'auth.';

export type Authentication =
  | { ok: true; payload: TokenPayload }
  | {
      ok: false;
      status: 401;
      reason: 'missing' | 'malformed' | 'bad-signature' | 'invalid-payload' | 'expired' | 'revoked';
    };

export interface Access {
  role: Role;
  canWrite: boolean;
}

export function tokenFromRequest(req: IncomingMessage, url: URL): string | null {
  const offered = req.headers['sec-websocket-protocol'];
  if (typeof offered === 'string') {
    for (const protocol of offered.split(',')) {
      const trimmed = protocol.trim();
      if (trimmed.startsWith(authProtocolPrefix)) return trimmed.slice(authProtocolPrefix.length);
    }
  }
  return bearerToken(req.headers.authorization) ?? url.searchParams.get('token');
}

/** Whether the upgrade offers the multiplexed protocol (many documents over one socket). */
export function offersMultiplex(req: IncomingMessage): boolean {
  const offered = req.headers['sec-websocket-protocol'];
  return (
    typeof offered === 'string' && offered.split(',').some((protocol) => protocol.trim() === MULTIPLEX_SUBPROTOCOL)
  );
}

export function bearerToken(header: string | undefined): string | null {
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/iu.exec(header) : null;
  return match?.[1] ?? null;
}

export async function authenticate(
  secret: Buffer,
  storage: Storage,
  token: string | null,
  now = Date.now(),
): Promise<Authentication> {
  if (token === null || token === '') return { ok: false, status: 401, reason: 'missing' };
  const checked = verifyToken(secret, token, now);
  if (!checked.ok) return { ok: false, status: 401, reason: checked.reason };
  if (await storage.isRevoked(checked.payload)) return { ok: false, status: 401, reason: 'revoked' };
  return { ok: true, payload: checked.payload };
}

/** The access `grants` give `user` (the token's sub) on `docName`, or null (refuse with 403). */
export function authorize(grants: readonly Grant[], docName: string, user: string): Access | null {
  const role = effectiveRole(grants, docName, user);
  return role === null ? null : { role, canWrite: canWrite(role, docName) };
}

/** Is a revocation about this token? Mirrors `Storage.isRevoked` for tokens already connected. */
export function revocationCovers(
  revocation: { user: string | null; jti: string | null; time: number },
  token: TokenPayload,
): boolean {
  if (revocation.jti !== null) return revocation.jti === token.jti;
  return revocation.user === token.sub && revocation.time >= issuedAtMs(token);
}
