import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { mintToken } from '../../sync-server/token.ts';
import { editorGrants, notTokens } from '../../core/sync/test/tokens.ts';
import { identityFromToken } from './identity.ts';

describe('identity from the token', () => {
  test('reads name and grants from a token the server minted (including a Chinese name)', () => {
    const { token } = mintToken(randomBytes(32), {
      user: 'alice',
      name: '张三',
      grants: editorGrants,
      ttlSeconds: 3600,
    });
    const id = identityFromToken(token);
    expect(id).toMatchObject({
      user: 'alice',
      name: '张三',
      grants: editorGrants,
    });
    expect(id?.exp).toBeGreaterThan(Date.now() / 1000);
  });

  test('anything else is not an identity', () => {
    for (const bad of notTokens) expect(identityFromToken(bad)).toBeUndefined();
  });
});
