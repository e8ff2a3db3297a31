import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../../sync-server/server.ts';
import { startTestProvider, type TestProvider, type TestUser } from '../../../sync-server/sso/test-provider.ts';

/**
 * A real OpenID Connect provider (oidc-provider) and the real sync server configured to sign users
 * in through it, both on loopback. The provider must know the server's /sso/callback before it
 * starts and the server the provider's issuer, so the server's port is chosen first.
 */
export const ssoGrants = {
  纪检监察室: ['editor:unit:*', 'annotator:notes:*', 'viewer:workspace'],
  admins: ['admin:*'],
};

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** `extensionRedirectUris`: a browser flow's redirect URLs (Firefox's identity.getRedirectURL()). */
export async function startSsoServers(
  users: Record<string, TestUser>,
  extensionRedirectUris: string[] = [],
): Promise<{ provider: TestProvider; server: RunningServer; http: string; dir: string }> {
  const port = await freePort();
  const http = `http://127.0.0.1:${port}`;
  const provider = await startTestProvider({ redirectUris: [`${http}/sso/callback`, ...extensionRedirectUris], users });
  const dir = mkdtempSync(join(tmpdir(), 'dl-sso-'));
  const config = join(dir, 'sso.json');
  const { issuer, clientId, clientSecret } = provider;
  writeFileSync(
    config,
    JSON.stringify({
      issuer,
      clientId,
      clientSecret,
      redirectUri: `${http}/sso/callback`,
      extensionRedirectUris,
      renewSeconds: 600,
      grants: ssoGrants,
    }),
  );
  const server = await startServer({ port, dataDir: join(dir, 'store'), logLevel: 'warn', ssoConfig: config });
  return { provider, server, http, dir };
}
