import { enrol, launchExtension, type ExtensionBrowser } from './extension.ts';
import { seed, SMALL_CITY } from './seed.ts';
import { startTestServer, type TestServer } from './server.ts';

/**
 * A real server holding the small city, seeded by an admin through the sync path (never a
 * backdoor). `admin` is that admin's token, for tests that write as someone else later.
 */
export async function seededServer(): Promise<{ server: TestServer; admin: string }> {
  const server = await startTestServer();
  const admin = server.token({
    user: 'admin',
    name: '管理员',
    grants: [
      { role: 'admin', doc: 'workspace' },
      { role: 'editor', doc: 'unit:*' },
    ],
  });
  await seed(server.url, admin, SMALL_CITY);
  return { server, admin };
}

/** An officer who edits dossiers and annotations on every unit and reads the workspace. */
export function editorToken(server: TestServer, user: string, name: string): string {
  return server.token({
    user,
    name,
    grants: [
      { role: 'viewer', doc: 'workspace' },
      { role: 'editor', doc: 'unit:*' },
      { role: 'editor', doc: 'notes:*' },
    ],
  });
}

export interface TwoOfficers {
  server: TestServer;
  /** 张三 (alice) and 李四 (bob), each in their own profile (own IndexedDB, own connection). */
  a: ExtensionBrowser;
  b: ExtensionBrowser;
  close(): Promise<void>;
}

/** The collaboration scenes' cast: the seeded server and two officers enrolled in two browsers. */
export async function twoOfficers(): Promise<TwoOfficers> {
  const { server } = await seededServer();
  const [a, b] = await Promise.all([launchExtension(), launchExtension()]);
  await enrol(a, server.url, editorToken(server, 'alice', '张三'));
  await enrol(b, server.url, editorToken(server, 'bob', '李四'));
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
