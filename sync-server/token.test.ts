import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
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

  it('parses durations', () => {
    expect(parseTtl('8h')).toBe(28_800);
    expect(parseTtl('30m')).toBe(1800);
    expect(parseTtl('7d')).toBe(604_800);
    expect(parseTtl('45')).toBe(45);
    expect(() => parseTtl('soon')).toThrow();
    expect(() => parseTtl('0s')).toThrow();
  });
});
