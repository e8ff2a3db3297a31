import type { Server } from 'node:http';
import { launchExtension, type ExtensionBrowser } from './extension.ts';
import { PORTAL_SEED, startFixtureServer } from './portal-fixtures.ts';
import { seed } from './seed.ts';
import { startTestServer, type TestServer } from './server.ts';

/**
 * The overlay scenes' common stage: a real server seeded with the fixture portals' dossiers, the
 * fixture portals on loopback (preset as portals), and officer 李四 (viewer everywhere) enrolled
 * in the built extension through the options page. `admin` can write as a colleague elsewhere.
 */
export interface PortalScene {
  server: TestServer;
  admin: string;
  officer: string;
  fixtures: { origin: string; server: Server };
  ext: ExtensionBrowser;
  close(): Promise<void>;
}

export async function openPortalScene(opts: { backForwardCache?: boolean } = {}): Promise<PortalScene> {
  const server = await startTestServer();
  const admin = server.token({
    user: 'seed',
    name: '种子',
    grants: [
      { role: 'admin', doc: 'workspace' },
      { role: 'editor', doc: 'unit:*' },
    ],
  });
  await seed(server.url, admin, PORTAL_SEED);
  const officer = server.token({
    user: 'officer',
    name: '李四',
    grants: [
      { role: 'viewer', doc: 'workspace' },
      { role: 'viewer', doc: 'unit:*' },
    ],
  });
  const fixtures = await startFixtureServer();
  const ext = await launchExtension({ portals: ['http://127.0.0.1/*'], ...opts });
  const options = await ext.page('options.html');
  await options.getByLabel('服务器地址').fill(server.url);
  await options.getByLabel('访问令牌').fill(officer);
  await options.getByRole('button', { name: '连接' }).click();
  await options.getByTestId('whoami-name').getByText('李四').waitFor({ timeout: 20_000 });
  await options.close();
  return {
    server,
    admin,
    officer,
    fixtures,
    ext,
    async close() {
      await ext.close();
      await server.close();
      fixtures.server.close();
    },
  };
}
