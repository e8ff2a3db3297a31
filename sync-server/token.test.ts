import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { authenticate } from './auth.ts';
import { openSqliteStorage } from './storage/sqlite.ts';
import { tempDataDir } from './testing.ts';
import { mintToken, parseTtl, verifyToken } from './token.ts';

const secret = randomBytes(32);
const grants = [{ role: 'editor' as const, doc: 'unit:*' }];

describe('tokens', () => {
  it('round-trips and is made of RFC 6455 token characters', () => {
    const { token, payload } = mintToken(secret, { user: 'alice', name: '张三', grants, ttlSeconds: 60 });
    expect(token).toMatch(/^[A-Za-z0-9_.-]+$/u);
    expect(verifyToken(secret, token)).toEqual({ ok: true, payload });
    expect(payload.name).toBe('张三');
  });

  it('refuses a token signed with another secret', () => {
    const { token } = mintToken(randomBytes(32), { user: 'alice', grants, ttlSeconds: 60 });
    expect(verifyToken(secret, token)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses a payload changed after signing', () => {
    const { token } = mintToken(secret, { user: 'alice', grants, ttlSeconds: 60 });
    const [prefix, body, signature] = token.split('.');
    const payload = JSON.parse(Buffer.from(body!, 'base64url').toString());
    payload.grants = [{ role: 'admin', doc: '*' }];
    const forged = `${prefix}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`;
    expect(verifyToken(secret, forged)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses an expired token and garbage', () => {
    const { token } = mintToken(secret, { user: 'alice', grants, ttlSeconds: 60, now: Date.now() - 120_000 });
    expect(verifyToken(secret, token)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyToken(secret, 'not-a-token').ok).toBe(false);
    expect(verifyToken(secret, 'dl1..').ok).toBe(false);
  });

  it('accepts one spelling of the signature only: no padding, no other trailing bits, no standard base64', () => {
    // Until a signature has both alphabets' special characters, mint again.
    let token: string;
    let signature: string;
    do {
      token = mintToken(secret, { user: 'alice', grants, ttlSeconds: 60 }).token;
      signature = token.split('.')[2]!;
    } while (!/[-_]/u.test(signature));
    const body = token.slice(0, token.lastIndexOf('.'));
    const last = signature.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // 32 bytes: the last of 43 characters carries 4 bits and 2 unused ones.
    const sameBytes = alphabet[(alphabet.indexOf(last) & ~3) | ((alphabet.indexOf(last) + 1) & 3)]!;
    const spellings = [
      `${signature}=`,
      `${signature.slice(0, -1)}${sameBytes}`,
      signature.replace(/-/gu, '+').replace(/_/gu, '/'),
      `${signature.replace(/-/gu, '+').replace(/_/gu, '/')}=`,
    ];
    for (const spelling of spellings) {
      expect(Buffer.from(spelling, 'base64url').equals(Buffer.from(signature, 'base64url'))).toBe(true);
      expect(verifyToken(secret, `${body}.${spelling}`)).toEqual({ ok: false, reason: 'bad-signature' });
    }
    expect(verifyToken(secret, token).ok).toBe(true);
  });

  it('revocation cuts at its millisecond: a token minted just before is refused, one minted just after is valid', async () => {
    const data = tempDataDir();
    const storage = openSqliteStorage(data.dir);
    try {
      // Half a second into the current second: the instants below share its whole second.
      const at = Math.floor(Date.now() / 1000) * 1000 + 500;
      await storage.revoke({ user: 'alice' }, at);
      const minted = (ms: number) => mintToken(secret, { user: 'alice', grants, ttlSeconds: 3600, now: ms }).token;
      const check = async (ms: number) => (await authenticate(secret, storage, minted(ms), ms + 1)).ok;
      expect(await check(at - 400)).toBe(false);
      expect(await check(at)).toBe(false);
      expect(await check(at + 1)).toBe(true);
      expect(await check(at + 450)).toBe(true);
    } finally {
      await storage.close();
      data.remove();
    }
  });

  it('parses durations', () => {
    expect(parseTtl('8h')).toBe(28_800);
    expect(parseTtl('30m')).toBe(1800);
    expect(parseTtl('7d')).toBe(604_800);
    expect(parseTtl('45')).toBe(45);
    expect(() => parseTtl('soon')).toThrow();
    expect(() => parseTtl('0s')).toThrow();
  });
});
