/**
 * Single sign-on against a real OpenID Connect provider on loopback (oidc-provider, see
 * test-provider.ts) and the real server: a sign-in becomes our token with the mapped grants; a
 * changed group shows at renewal; a disabled user is cut off at renewal; sign-out revokes.
 */
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer, stockClient, tempDataDir, upgradeStatus, waitFor } from '../testing.ts';
import { type TestProvider, signInWithoutBrowser, startTestProvider } from './test-provider.ts';

const data = tempDataDir();
const redirectUri = 'http://127.0.0.1:9/sso/callback';
let provider: TestProvider;
let server: TestServer;
let http: string;

const grants = {
  纪检监察室: ['editor:unit:*', 'annotator:notes:*', 'viewer:workspace'],
  admins: ['admin:*'],
};

beforeAll(async () => {
  provider = await startTestProvider({
    redirectUris: [redirectUri],
    users: {
      alice: { name: '张三', groups: ['纪检监察室'] },
      bob: { name: '李四', groups: ['纪检监察室'] },
      carol: { name: '王五', groups: ['后勤'] },
    },
  });
  const config = join(data.dir, 'sso.json');
  writeFileSync(
    config,
    JSON.stringify({
      issuer: provider.issuer,
      clientId: provider.clientId,
      clientSecret: provider.clientSecret,
      redirectUri,
      renewSeconds: 120,
      grants,
    }),
  );
  server = await startTestServer(join(data.dir, 'store'), { ssoConfig: config, pollIntervalMs: 50 });
  http = server.url.replace(/^ws/u, 'http');
});

afterAll(async () => {
  await server?.close();
  await provider?.close();
  data.remove();
});

const post = (path: string, body: unknown, token?: string) =>
  fetch(`${http}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });

/** The extension's part of a sign-in, done here: PKCE, nonce, the provider's login, the exchange. */
async function signIn(user: string): Promise<Response> {
  const config = (await (await fetch(`${http}/sso/config`)).json()) as {
    authorizationEndpoint: string;
    clientId: string;
    redirectUri: string;
    scope: string;
  };
  const codeVerifier = randomBytes(32).toString('base64url');
  const nonce = randomBytes(16).toString('base64url');
  const url = new URL(config.authorizationEndpoint);
  for (const [key, value] of Object.entries({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    scope: config.scope,
    state: randomBytes(16).toString('base64url'),
    nonce,
    code_challenge: createHash('sha256').update(codeVerifier).digest('base64url'),
    code_challenge_method: 'S256',
  }))
    url.searchParams.set(key, value);
  const query = await signInWithoutBrowser(url.href, user);
  return post('/sso/exchange', { code: query.get('code'), codeVerifier, nonce });
}

interface Answer {
  token: string;
  user: string;
  name: string;
  grants: { role: string; doc: string }[];
  exp: number;
}

const whoami = (token: string) => fetch(`${http}/whoami`, { headers: { authorization: `Bearer ${token}` } });

describe('single sign-on', () => {
  it('a provider sign-in becomes our token, with the grants the user’s groups map to, living the renewal period', async () => {
    const res = await signIn('alice');
    expect(res.status).toBe(200);
    const answer = (await res.json()) as Answer;
    expect(answer).toMatchObject({ user: 'alice', name: '张三' });
    const me = (await (await whoami(answer.token)).json()) as { user: string; name: string; grants: unknown };
    expect(me).toMatchObject({ user: 'alice', name: '张三' });
    expect(me.grants).toEqual([
      { role: 'editor', doc: 'unit:*' },
      { role: 'annotator', doc: 'notes:*' },
      { role: 'viewer', doc: 'workspace' },
    ]);
    expect(answer.exp - Date.now() / 1000).toBeLessThanOrEqual(120);
    // The token opens what the grants reach, and nothing else.
    expect(await upgradeStatus(server.url, 'unit:A01', answer.token)).toBe(101);
    expect(await upgradeStatus(server.url, 'register', answer.token)).toBe(403);
    // Nothing of the provider's tokens, nor ours, reaches the log.
    expect(server.logs.join('\n')).not.toContain(answer.token);
    expect(server.logs.some((line) => line.includes('sso sign-in') && line.includes('alice'))).toBe(true);
  });

  it('a user in no mapped group is refused by name, and the server goes on serving', async () => {
    const res = await signIn('carol');
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ reason: 'no-grants' });
    expect((await fetch(`${http}/healthz`)).status).toBe(200);
  });

  it('a code the provider never issued, or a malformed request, is refused clearly; sign-in still works after', async () => {
    const forged = await post('/sso/exchange', {
      code: 'not-a-code',
      codeVerifier: 'a'.repeat(43),
      nonce: 'n'.repeat(16),
    });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ reason: 'provider-refused' });
    expect((await post('/sso/exchange', { code: 'x' })).status).toBe(400);
    const garbage = await fetch(`${http}/sso/exchange`, { method: 'POST', body: '{not json' });
    expect(garbage.status).toBe(400);
    expect((await signIn('bob')).status).toBe(200);
  });

  it('renewal gives a fresh token whose grants follow the user’s groups at the provider', async () => {
    const first = (await (await signIn('alice')).json()) as Answer;
    provider.users.get('alice')!.groups = ['admins'];
    const res = await post('/sso/renew', {}, first.token);
    expect(res.status).toBe(200);
    const renewed = (await res.json()) as Answer;
    expect(renewed.token).not.toBe(first.token);
    expect(renewed.grants).toEqual([{ role: 'admin', doc: '*' }]);
    expect(((await (await whoami(renewed.token)).json()) as { grants: unknown }).grants).toEqual([
      { role: 'admin', doc: '*' },
    ]);
    // The renewed token renews in turn; the one it replaced no longer does (its session moved on).
    expect((await post('/sso/renew', {}, renewed.token)).status).toBe(200);
    expect(await (await post('/sso/renew', {}, first.token)).json()).toMatchObject({ reason: 'no-session' });
    provider.users.get('alice')!.groups = ['纪检监察室'];
  });

  it('a user the provider disables loses access at the next renewal: the token is revoked and open sockets close', async () => {
    const answer = (await (await signIn('bob')).json()) as Answer;
    const client = stockClient(server.url, 'unit:B01', answer.token, 'subprotocol');
    try {
      await waitFor(() => client.wsconnected, 'bob connected');
      provider.users.get('bob')!.disabled = true;
      const res = await post('/sso/renew', {}, answer.token);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ reason: 'provider-refused' });
      expect(await (await whoami(answer.token)).json()).toMatchObject({ reason: 'revoked' });
      await waitFor(() => !client.wsconnected, 'bob disconnected');
      expect(await upgradeStatus(server.url, 'unit:B01', answer.token)).toBe(401);
    } finally {
      client.destroy();
      provider.users.get('bob')!.disabled = false;
    }
  });

  it('a token that did not come from a sign-in, or none, cannot be renewed', async () => {
    const pasted = server.token('dave', ['viewer', 'workspace']);
    expect(await (await post('/sso/renew', {}, pasted)).json()).toMatchObject({ reason: 'no-session' });
    expect((await post('/sso/renew', {})).status).toBe(401);
  });

  it('sign-out revokes the token and the provider session, and names the provider’s logout page', async () => {
    const answer = (await (await signIn('alice')).json()) as Answer;
    const res = await post('/sso/logout', {}, answer.token);
    expect(res.status).toBe(200);
    const { endSessionUrl } = (await res.json()) as { endSessionUrl: string };
    expect(endSessionUrl.startsWith(provider.issuer)).toBe(true);
    expect(new URL(endSessionUrl).searchParams.get('client_id')).toBe(provider.clientId);
    expect(await (await whoami(answer.token)).json()).toMatchObject({ reason: 'revoked' });
    expect((await post('/sso/renew', {}, answer.token)).status).toBe(401);
  });

  it('the callback hands the code only to an allowed extension origin named in the state', async () => {
    const origin = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';
    const state = `xyz.${Buffer.from(origin).toString('base64url')}`;
    const page = await (await fetch(`${http}/sso/callback?code=c&state=${state}`)).text();
    expect(page).toContain(`content="${origin}"`);
    const evil = `xyz.${Buffer.from('https://evil.example').toString('base64url')}`;
    const refused = await fetch(`${http}/sso/callback?code=c&state=${evil}`);
    expect(await refused.text()).toContain('content=""');
    expect(refused.headers.get('content-security-policy')).toMatch(/script-src 'sha256-/u);
  });
});

describe('a server without single sign-on', () => {
  it('answers /sso/* with 404', async () => {
    const plain = await startTestServer(join(data.dir, 'plain'));
    try {
      const res = await fetch(`${plain.url.replace(/^ws/u, 'http')}/sso/config`);
      expect(res.status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
