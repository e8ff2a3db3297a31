/**
 * ID token verification and the configuration, without a provider: tokens signed here with keys
 * made here, one published (the JWKS) and one not (a forger's, under the same key id).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type JWK, SignJWT, createLocalJWKSet, exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../testing.ts';
import { grantsForGroups, groupsFromClaim, loadSsoConfig } from './config.ts';
import { SsoRefused, verifyIdToken } from './provider.ts';

const issuer = 'https://idp.example.gov.cn/realms/gov';
const audience = 'dossier-lens';
let keys: ReturnType<typeof createLocalJWKSet>;
let signing: CryptoKey;
let forger: CryptoKey;

beforeAll(async () => {
  const published = await generateKeyPair('RS256', { extractable: true });
  signing = published.privateKey;
  forger = (await generateKeyPair('RS256')).privateKey;
  const jwk: JWK = { ...(await exportJWK(published.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  keys = createLocalJWKSet({ keys: [jwk] });
});

function idToken(claims: { iss?: string; aud?: string; expSecondsFromNow?: number; nonce?: string }, key = signing) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ nonce: claims.nonce ?? 'nonce-1', groups: ['纪检监察室'], name: '张三' })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setSubject('alice')
    .setIssuer(claims.iss ?? issuer)
    .setAudience(claims.aud ?? audience)
    .setIssuedAt(now - 10)
    .setExpirationTime(now + (claims.expSecondsFromNow ?? 300))
    .sign(key);
}

async function refusal(token: Promise<string>, nonce = 'nonce-1'): Promise<string> {
  try {
    await verifyIdToken(await token, { issuer, audience, keys, nonce });
    return 'accepted';
  } catch (error) {
    expect(error).toBeInstanceOf(SsoRefused);
    return (error as SsoRefused).reason;
  }
}

describe('verifyIdToken', () => {
  it('accepts a token the provider signed for this client, with its claims', async () => {
    const claims = await verifyIdToken(await idToken({}), { issuer, audience, keys, nonce: 'nonce-1' });
    expect(claims).toMatchObject({ sub: 'alice', name: '张三', groups: ['纪检监察室'] });
  });

  it('refuses another issuer, another audience, a forged signature, an expired token, another sign-in’s nonce, and garbage', async () => {
    expect(await refusal(idToken({ iss: 'https://evil.example' }))).toBe('wrong-issuer');
    expect(await refusal(idToken({ aud: 'another-client' }))).toBe('wrong-audience');
    expect(await refusal(idToken({}, forger))).toBe('bad-signature');
    expect(await refusal(idToken({ expSecondsFromNow: -3600 }))).toBe('expired');
    expect(await refusal(idToken({ nonce: 'someone-elses' }))).toBe('wrong-nonce');
    expect(await refusal(Promise.resolve('not.a.jwt'))).toBe('invalid-token');
    // An unsigned token (alg none) is never accepted.
    const [, body] = (await idToken({})).split('.');
    expect(await refusal(Promise.resolve(`${Buffer.from('{"alg":"none"}').toString('base64url')}.${body}.`))).not.toBe(
      'accepted',
    );
  });
});

describe('SSO configuration', () => {
  const data = tempDataDir();
  afterAll(() => data.remove());
  const write = (name: string, body: unknown) => {
    const file = join(data.dir, name);
    writeFileSync(file, JSON.stringify(body));
    return file;
  };
  const valid = {
    issuer,
    clientId: audience,
    redirectUri: 'https://dossier.example.gov.cn/sso/callback',
    grants: { 纪检监察室: ['editor:unit:*', 'viewer:workspace'], admins: ['admin:*'] },
  };

  it('fills in the defaults and takes the client secret from the environment', () => {
    const config = loadSsoConfig(write('ok.json', valid), { DOSSIER_LENS_SSO_CLIENT_SECRET: 's3cret' });
    expect(config).toMatchObject({
      scope: 'openid profile groups',
      groupsClaim: 'groups',
      nameClaim: 'name',
      renewSeconds: 900,
      clientSecret: 's3cret',
    });
  });

  it('refuses a mapping it cannot read, naming where', () => {
    expect(() => loadSsoConfig(write('bad-grant.json', { ...valid, grants: { x: ['owner:everything'] } }), {})).toThrow(
      /grants\.x\.0.*role:document/u,
    );
    expect(() => loadSsoConfig(write('no-openid.json', { ...valid, scope: 'profile' }), {})).toThrow(/openid/u);
    expect(() => loadSsoConfig(write('short.json', { ...valid, renewSeconds: 5 }), {})).toThrow(/renewSeconds/u);
    expect(() => loadSsoConfig(join(data.dir, 'missing.json'), {})).toThrow(/missing\.json/u);
  });

  it('maps groups to the union of their grants; unmapped groups add nothing', () => {
    expect(grantsForGroups(valid, ['纪检监察室', 'admins', '后勤', 'admins'])).toEqual([
      { role: 'editor', doc: 'unit:*' },
      { role: 'viewer', doc: 'workspace' },
      { role: 'admin', doc: '*' },
    ]);
    expect(grantsForGroups(valid, ['后勤'])).toEqual([]);
    expect(groupsFromClaim('admins')).toEqual(['admins']);
    expect(groupsFromClaim(['a', 3, null, 'b'])).toEqual(['a', 'b']);
    expect(groupsFromClaim({ admins: true })).toEqual([]);
  });
});
