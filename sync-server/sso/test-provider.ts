/**
 * A real OpenID Connect provider on loopback for the tests (the certified `oidc-provider`
 * package, a devDependency): one confidential client for the sync server, a few users whose
 * groups and standing the test can change, and a `groups` claim. Its development login page is the
 * one a test (or a browser) fills in: any password is accepted for a known user.
 *
 * Refresh tokens are issued to the client without `offline_access`, and then last only as long as
 * the user's session at the provider: what "renewal while the provider's session lasts" means.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import Provider from 'oidc-provider';

export interface TestUser {
  name: string;
  groups: string[];
  /** A disabled user is unknown to the provider: sign-in and refresh are refused. */
  disabled?: boolean;
}

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  users: Map<string, TestUser>;
  close(): Promise<void>;
}

export async function startTestProvider(options: {
  redirectUris: string[];
  users: Record<string, TestUser>;
  port?: number;
}): Promise<TestProvider> {
  const users = new Map(Object.entries(options.users));
  const clientId = 'dossier-lens';
  const clientSecret = 'test-client-secret-0123456789abcdef';
  // The issuer names the port, so listen first and hand the provider to the server after.
  const { createServer } = await import('node:http');
  let handler:
    ((req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void) | undefined;
  const server: Server = createServer((req, res) => handler?.(req, res));
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        post_logout_redirect_uris: [],
      },
    ],
    claims: { openid: ['sub'], profile: ['name'], groups: ['groups'] },
    // The ID token carries the scope's claims, as most providers (Keycloak with a groups mapper) do.
    conformIdTokenClaims: false,
    scopes: ['openid', 'profile', 'groups', 'offline_access'],
    features: {
      devInteractions: { enabled: true },
      revocation: { enabled: true },
      rpInitiatedLogout: { enabled: true },
    },
    ttl: { IdToken: 600, AccessToken: 600, RefreshToken: 86_400, Session: 86_400, Grant: 86_400, Interaction: 600 },
    cookies: { keys: ['test-cookie-key-0123456789'] },
    async findAccount(_ctx, sub) {
      const user = users.get(sub);
      if (!user || user.disabled) return undefined;
      return { accountId: sub, claims: async () => ({ sub, name: user.name, groups: [...user.groups] }) };
    },
    // The organisation's own client: no consent screen (first-party), every scope it asks for.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: ctx.oidc.session!.accountId!,
      });
      grant.addOIDCScope('openid profile groups');
      await grant.save();
      return grant;
    },
    async issueRefreshToken(_ctx, client) {
      return client.grantTypeAllowed('refresh_token');
    },
  });
  // Development interactions warn on every start; the tests know.
  provider.on('server_error', () => undefined);
  handler = provider.callback();
  return {
    issuer,
    clientId,
    clientSecret,
    users,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Signs `user` in the way a browser would, without one: the authorization request, the login
 * form, the redirects (cookies carried by hand), up to the redirect URI. Returns its query.
 */
export async function signInWithoutBrowser(authorizationUrl: string, user: string): Promise<URLSearchParams> {
  const cookies = new Map<string, string>();
  const remember = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
  };
  const cookieHeader = () => [...cookies].map(([k, value]) => `${k}=${value}`).join('; ');
  let url = authorizationUrl;
  let init: RequestInit = {};
  for (let hop = 0; hop < 10; hop++) {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: cookieHeader() },
    });
    remember(res);
    const location = res.headers.get('location');
    if (location) {
      const next = new URL(location, url);
      if (!next.href.startsWith(new URL(authorizationUrl).origin)) return next.searchParams;
      url = next.href;
      init = {};
      continue;
    }
    const html = await res.text();
    const action = /<form[^>]*action="([^"]+)"/u.exec(html)?.[1];
    if (!action) throw new Error(`no login form at ${url} (${res.status})`);
    url = new URL(action.replaceAll('&amp;', '&'), url).href;
    init = {
      method: 'POST',
      body: new URLSearchParams({ prompt: 'login', login: user, password: 'any' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    };
  }
  throw new Error('too many redirects signing in');
}
