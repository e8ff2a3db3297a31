import { enrol, launchExtension, type ExtensionBrowser } from './extension.ts';
import { seed, SMALL_CITY, type SeedData } from './seed.ts';
import { startTestServer, type TestServer, type TokenRequest } from './server.ts';

/** Who seeds the servers' dossiers, unless a scene names its own seeder. */
const ADMIN = { user: 'admin', name: '管理员' };

/**
 * A real server holding `data` (the small city unless told), seeded by an admin through the sync
 * path (never a backdoor). `admin` is that admin's token, for tests that write as someone else later.
 */
export async function seededServer(
  data: SeedData = SMALL_CITY,
  by: { user: string; name: string } = ADMIN,
): Promise<{ server: TestServer; admin: string }> {
  const server = await startTestServer();
  const admin = server.token({
    ...by,
    grants: [
      { role: 'admin', doc: 'workspace' },
      { role: 'editor', doc: 'unit:*' },
    ],
  });
  await seed(server.url, admin, data);
  return { server, admin };
}

type Grants = NonNullable<TokenRequest['grants']>;
const READS_WORKSPACE: Grants = [{ role: 'viewer', doc: 'workspace' }];

/** An officer who reads the workspace and every unit's dossiers, and writes nothing. */
export const viewerToken = (server: TestServer, user: string, name: string): string =>
  server.token({ user, name, grants: [...READS_WORKSPACE, { role: 'viewer', doc: 'unit:*' }] });

/** An officer who edits every unit's dossiers and reads the workspace (no annotations). */
export const unitEditorToken = (server: TestServer, user: string, name: string): string =>
  server.token({ user, name, grants: [...READS_WORKSPACE, { role: 'editor', doc: 'unit:*' }] });

/** An officer who edits dossiers and annotations on every unit and reads the workspace. */
export const editorToken = (server: TestServer, user: string, name: string): string =>
  server.token({
    user,
    name,
    grants: [...READS_WORKSPACE, { role: 'editor', doc: 'unit:*' }, { role: 'editor', doc: 'notes:*' }],
  });

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

export interface OneOfficer {
  server: TestServer;
  /** 张三 (alice), an editor, enrolled in the browser. */
  ext: ExtensionBrowser;
  close(): Promise<void>;
}

/** The single-officer scenes' stage: the small city's server and 张三 enrolled in one browser. */
export async function oneOfficer(): Promise<OneOfficer> {
  const { server } = await seededServer();
  const ext = await launchExtension();
  await enrol(ext, server.url, editorToken(server, 'alice', '张三'));
  return {
    server,
    ext,
    async close() {
      await ext.close();
      await server.close();
    },
  };
}
