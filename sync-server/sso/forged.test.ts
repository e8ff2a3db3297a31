/**
 * ID tokens a provider should never hand over, through the server's real /sso/exchange: a stand-in
 * provider on loopback (discovery, JWKS, token endpoint) answers each code with a token chosen by
 * the test. Each is refused with its reason, nothing is issued, and the server goes on serving.
 */
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type JWK, SignJWT, exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer, tempDataDir } from '../testing.ts';

const data = tempDataDir();
const clientId = 'dossier-lens';
const nonce = 'nonce-0123456789abcdef';
let issuer: string;
let idp: Server;
let server: TestServer;
let http: string;
let signing: CryptoKey;
let forger: CryptoKey;
let nextIdToken = '';

beforeAll(async () => {
  const published = await generateKeyPair('ES256', { extractable: true });
  signing = published.privateKey;
  forger = (await generateKeyPair('ES256')).privateKey;
  const jwk: JWK = { ...(await exportJWK(published.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  idp = createServer((req, res) => {
    const send = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/.well-known/openid-configuration') {
      return send({
        issuer,
        authorization_endpoint: `${issuer}/auth`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
      });
    }
    if (req.url === '/jwks') return send({ keys: [jwk] });
    if (req.url === '/token')
      return send({ id_token: nextIdToken, access_token: 'opaque', refresh_token: 'opaque-refresh' });
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
  const config = join(data.dir, 'sso.json');
  writeFileSync(
    config,
    JSON.stringify({
      issuer,
      clientId,
      redirectUri: 'http://127.0.0.1:9/sso/callback',
      grants: { staff: ['viewer:workspace'] },
    }),
  );
  server = await startTestServer(join(data.dir, 'store'), { ssoConfig: config });
  http = server.url.replace(/^ws/u, 'http');
});

afterAll(async () => {
  await server?.close();
  await new Promise((resolve) => idp?.close(resolve));
  data.remove();
});

function idToken(change: { iss?: string; aud?: string; exp?: number; key?: CryptoKey } = {}) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ nonce, name: '张三', groups: ['staff'] })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
    .setSubject('alice')
    .setIssuer(change.iss ?? issuer)
    .setAudience(change.aud ?? clientId)
    .setIssuedAt(now - 10)
    .setExpirationTime(change.exp ?? now + 300)
    .sign(change.key ?? signing);
}

async function exchange(token: string): Promise<{ status: number; body: Record<string, unknown> }> {
  nextIdToken = token;
  const res = await fetch(`${http}/sso/exchange`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: 'any-code', codeVerifier: 'v'.repeat(43), nonce }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('ID tokens the server refuses at /sso/exchange', () => {
  it.each([
    ['another issuer', () => idToken({ iss: 'https://evil.example' }), 'wrong-issuer'],
    ['another client', () => idToken({ aud: 'someone-else' }), 'wrong-audience'],
    ['a key the provider never published', () => idToken({ key: forger }), 'bad-signature'],
    ['an expired token', () => idToken({ exp: Math.floor(Date.now() / 1000) - 3600 }), 'expired'],
    ['not a token', async () => 'garbage', 'invalid-token'],
  ])('%s: 401 with the reason, no token, and the server keeps serving', async (_what, make, reason) => {
    const { status, body } = await exchange(await make());
    expect(status).toBe(401);
    expect(body).toMatchObject({ reason });
    expect(body).not.toHaveProperty('token');
    expect((await fetch(`${http}/healthz`)).status).toBe(200);
  });

  it('a redirect URI the server was not configured with is refused before the provider is asked', async () => {
    nextIdToken = await idToken();
    const res = await fetch(`${http}/sso/exchange`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        code: 'any-code',
        codeVerifier: 'v'.repeat(43),
        nonce,
        redirectUri: 'https://evil.example/',
      }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ reason: 'invalid-token' });
  });

  it('the same provider’s good token is accepted after all of them', async () => {
    const { status, body } = await exchange(await idToken());
    expect(status).toBe(200);
    expect(body).toMatchObject({ user: 'alice', name: '张三', grants: [{ role: 'viewer', doc: 'workspace' }] });
  });

  it('a provider that does not answer: 502 provider-unreachable, and the server keeps serving', async () => {
    const config = join(data.dir, 'down.json');
    writeFileSync(
      config,
      JSON.stringify({
        issuer: 'http://127.0.0.1:9',
        clientId,
        redirectUri: 'http://127.0.0.1:9/sso/callback',
        grants: { staff: ['viewer:workspace'] },
      }),
    );
    const lonely = await startTestServer(join(data.dir, 'down-store'), { ssoConfig: config });
    try {
      const base = lonely.url.replace(/^ws/u, 'http');
      const res = await fetch(`${base}/sso/config`);
      expect(res.status).toBe(502);
      expect(await res.json()).toMatchObject({ reason: 'provider-unreachable' });
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
    } finally {
      await lonely.close();
    }
  });
});
