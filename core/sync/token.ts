/**
 * The access token's format, one copy for the server that signs and verifies it
 * (sync-server/token.ts keeps the secret and the MAC) and the clients that read it unverified
 * (core/sync/whoami.ts: who this device works as, offline and before the server has answered).
 *
 * `dl1.<payload>.<signature>`: the payload is the unpadded base64url of the UTF-8 JSON below, the
 * signature the unpadded base64url of HMAC-SHA256 over `dl1.<payload>`. Every character is an
 * RFC 6455 token character, so the extension can offer the token as a WebSocket subprotocol
 * (`auth.<token>`).
 */
import * as v from 'valibot';
import { grantSchema } from './access.ts';

export const TOKEN_PREFIX = 'dl1';

export const tokenPayloadSchema = v.object({
  /** User id: the stable identity written into the audit log and clientID bindings. */
  sub: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
  /** Display name for presence and history. */
  name: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
  grants: v.pipe(v.array(grantSchema), v.minLength(1), v.maxLength(64)),
  /** Issued at, seconds since the epoch with milliseconds as a fraction; expiry, whole seconds. */
  iat: v.pipe(v.number(), v.finite()),
  exp: v.pipe(v.number(), v.integer()),
  jti: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
});
export type TokenPayload = v.InferOutput<typeof tokenPayloadSchema>;

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** `dl1.<payload>`: what the signature covers. */
export function tokenBody(payload: TokenPayload): string {
  return `${TOKEN_PREFIX}.${base64url(new TextEncoder().encode(JSON.stringify(payload)))}`;
}

/** A token's three parts, or undefined when it is not shaped as one. */
export function tokenParts(token: string): { body: string; payload: string; signature: string } | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== TOKEN_PREFIX) return undefined;
  return { body: `${parts[0]}.${parts[1]}`, payload: parts[1] ?? '', signature: parts[2] ?? '' };
}

/** The payload part's JSON, unchecked (undefined when it is not base64url JSON). */
export function decodeTokenPayload(part: string): unknown {
  try {
    const binary = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
  } catch {
    return undefined;
  }
}

/** The token's claims, shape-checked but NOT verified: for choosing what to open and show, never for deciding. */
export function readTokenPayload(token: string): TokenPayload | undefined {
  const parts = tokenParts(token);
  if (!parts) return undefined;
  const parsed = v.safeParse(tokenPayloadSchema, decodeTokenPayload(parts.payload));
  return parsed.success ? parsed.output : undefined;
}
