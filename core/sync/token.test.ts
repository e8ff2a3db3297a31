import { describe, expect, it } from 'vitest';
import { decodeTokenPayload, readTokenPayload, tokenBody, tokenParts, type TokenPayload } from './token.ts';
import { editorGrants, notTokens } from './test/tokens.ts';

/**
 * The token's format without the secret: what the server signs (sync-server/token.ts, tested with
 * its MAC there) and what a client reads unverified. The encoding must stay byte for byte what
 * tokens already issued carry: the unpadded base64url of the payload's UTF-8 JSON.
 */
const payload: TokenPayload = {
  sub: 'zhang.san',
  name: '张三',
  grants: editorGrants,
  iat: 1_765_000_000.123,
  exp: 1_765_003_600,
  jti: '0f7c2f9e-6a1b-4a51-9a8e-3b1d2c4e5f60',
};

describe('the token format', () => {
  it('encodes the payload as Node’s unpadded base64url of its UTF-8 JSON, behind dl1.', () => {
    const body = tokenBody(payload);
    expect(body).toBe(`dl1.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`);
    expect(body).toMatch(/^dl1\.[A-Za-z0-9_-]+$/);
  });

  it('reads back what it wrote, Chinese names included, but only the shape it knows', () => {
    const token = `${tokenBody(payload)}.signature`;
    expect(tokenParts(token)).toEqual({
      body: tokenBody(payload),
      payload: tokenBody(payload).slice(4),
      signature: 'signature',
    });
    expect(readTokenPayload(token)).toEqual(payload);
    expect(readTokenPayload(`${tokenBody({ ...payload, grants: [] } as TokenPayload)}.x`)).toBeUndefined();
    for (const bad of notTokens) expect(readTokenPayload(bad)).toBeUndefined();
    expect(decodeTokenPayload('not base64 json')).toBeUndefined();
  });
});
