/**
 * Signing and verifying access tokens. Their format (`dl1.<payload>.<signature>`, the payload
 * schema, the encoding) is core/sync/token.ts, shared with the clients that read them; the server
 * keeps what only it may do: the secret, generated into the data directory on first use, and
 * HMAC-SHA256 over `dl1.<payload>`.
 *
 * Verification checks the signature first (constant time), then the payload's shape with
 * valibot, then expiry. The signature has exactly one accepted spelling, the canonical unpadded
 * base64url of the MAC: Node's base64url decoder also takes `=` padding, other trailing bits and
 * the standard alphabet, which would give one token several valid spellings.
 *
 * `iat` is in seconds with milliseconds as a fraction (RFC 7519 NumericDate allows it), so a
 * revocation cuts at its exact instant: `revoke --user` covers tokens issued up to its millisecond,
 * and a token minted the millisecond after is valid (admin.ts waits that millisecond out).
 * Revocation is not a property of the token: see storage `isRevoked`.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import {
  decodeTokenPayload,
  tokenBody,
  tokenParts,
  tokenPayloadSchema,
  type TokenPayload,
} from '../core/sync/token.ts';

export { tokenPayloadSchema, type TokenPayload } from '../core/sync/token.ts';

export type TokenCheck =
  | { ok: true; payload: TokenPayload }
  | { ok: false; reason: 'malformed' | 'bad-signature' | 'invalid-payload' | 'expired' };

export const secretFileName = 'secret.key';

/** Read the data directory's signing secret, creating it (mode 0600) if this is the first start. */
export function loadOrCreateSecret(dataDir: string): Buffer {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, secretFileName);
  try {
    // 'wx' fails if the file exists, so two processes starting together agree on one secret.
    writeFileSync(file, randomBytes(32).toString('hex') + '\n', { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const secret = Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  if (secret.length < 32) throw new Error(`${file} does not hold a 32-byte hex secret`);
  return secret;
}

function sign(secret: Buffer, body: string): Buffer {
  return createHmac('sha256', secret).update(body).digest();
}

export interface MintOptions {
  user: string;
  name?: string;
  grants: TokenPayload['grants'];
  ttlSeconds: number;
  now?: number;
}

/** When a token was issued, in whole milliseconds since the epoch (what revocations compare). */
export const issuedAtMs = (payload: Pick<TokenPayload, 'iat'>): number => Math.round(payload.iat * 1000);

export function mintToken(secret: Buffer, options: MintOptions): { token: string; payload: TokenPayload } {
  const now = Math.floor(options.now ?? Date.now());
  const payload = v.parse(tokenPayloadSchema, {
    sub: options.user,
    name: options.name ?? options.user,
    grants: options.grants,
    iat: now / 1000,
    exp: Math.floor(now / 1000) + Math.max(1, Math.floor(options.ttlSeconds)),
    jti: randomUUID(),
  });
  const body = tokenBody(payload);
  return { token: `${body}.${sign(secret, body).toString('base64url')}`, payload };
}

export function verifyToken(secret: Buffer, token: string, now = Date.now()): TokenCheck {
  const parts = tokenParts(token);
  if (!parts) return { ok: false, reason: 'malformed' };
  // Compare the spelling, not the decoded bytes: one MAC, one accepted text.
  const given = Buffer.from(parts.signature, 'latin1');
  const expected = Buffer.from(sign(secret, parts.body).toString('base64url'), 'latin1');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'bad-signature' };
  }
  const json = decodeTokenPayload(parts.payload);
  if (json === undefined) return { ok: false, reason: 'invalid-payload' };
  const parsed = v.safeParse(tokenPayloadSchema, json);
  if (!parsed.success) return { ok: false, reason: 'invalid-payload' };
  if (parsed.output.exp * 1000 <= now) return { ok: false, reason: 'expired' };
  return { ok: true, payload: parsed.output };
}

/** `8h`, `30m`, `7d`, `45s` or plain seconds. */
export function parseTtl(text: string): number {
  const match = /^(\d+)\s*([smhd]?)$/u.exec(text.trim());
  if (!match) throw new Error(`not a duration: ${text} (use e.g. 45s, 30m, 8h, 7d)`);
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'];
  const seconds = Number(match[1]) * unit;
  if (seconds <= 0) throw new Error('duration must be positive');
  return seconds;
}
