import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { mintToken } from '../../sync-server/token.ts';
import { identityFromToken } from './identity.ts';

describe('identity from the token', () => {
  test('reads name and grants from a token the server minted (including a Chinese name)', () => {
    const { token } = mintToken(randomBytes(32), {
      user: 'alice',
      name: '张三',
      grants: [
        { role: 'editor', doc: 'unit:*' },
        { role: 'viewer', doc: 'workspace' },
      ],
      ttlSeconds: 3600,
    });
    const id = identityFromToken(token);
    expect(id).toMatchObject({
      user: 'alice',
      name: '张三',
      grants: [
        { role: 'editor', doc: 'unit:*' },
        { role: 'viewer', doc: 'workspace' },
      ],
    });
    expect(id?.exp).toBeGreaterThan(Date.now() / 1000);
  });

  test('anything else is not an identity', () => {
    for (const bad of ['', 'dl1', 'dl1.!!!.x', `dl1.${Buffer.from('{"sub":1}').toString('base64url')}.x`, 'a.b.c']) {
      expect(identityFromToken(bad)).toBeUndefined();
    }
  });
});
