import { enrol, launchExtension, type ExtensionBrowser } from './extension.ts';
import { seed, SMALL_CITY } from './seed.ts';
import { startTestServer, type TestServer } from './server.ts';

export interface TwoOfficers {
  server: TestServer;
  /** 张三 (alice) and 李四 (bob): editors and annotators on every unit, each in their own profile. */
  a: ExtensionBrowser;
  b: ExtensionBrowser;
  close(): Promise<void>;
}

/**
 * The collaboration scenes' cast: a real server seeded with the small city by an admin through the
 * sync path, and two officers enrolled in two browsers (own IndexedDB, own connection).
 */
export async function twoOfficers(): Promise<TwoOfficers> {
  const server = await startTestServer();
  const admin = server.token({ user: 'admin', name: '管理员', grants: [{ role: 'admin', doc: 'workspace' }, { role: 'editor', doc: 'unit:*' }] });
  await seed(server.url, admin, SMALL_CITY);
  const editor = (user: string, name: string) =>
    server.token({ user, name, grants: [{ role: 'viewer', doc: 'workspace' }, { role: 'editor', doc: 'unit:*' }, { role: 'editor', doc: 'notes:*' }] });
  const [a, b] = await Promise.all([launchExtension(), launchExtension()]);
  await enrol(a, server.url, editor('alice', '张三'));
  await enrol(b, server.url, editor('bob', '李四'));
  return {
    server,
    a,
    b,
    async close() {
      await a.close();
      await b.close();
      await server.close();
    },
  };
}
