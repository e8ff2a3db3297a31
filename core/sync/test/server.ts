import { afterAll, beforeAll } from 'vitest';
// The real server, on loopback. Only tests reach into sync-server/; the library does not.
import { startTestServer, tempDataDir, type TestServer } from '../../../sync-server/testing.ts';

/**
 * Test support: the real sync server, with a data directory of its own, for every test of the file
 * that calls this at its top level; stopped and its data removed after the file's last test.
 * Returns the running server (there is none before the file's first test starts).
 */
export function serverForThisFile(): () => TestServer {
  let server: TestServer | undefined;
  let data: { dir: string; remove(): void } | undefined;
  beforeAll(async () => {
    data = tempDataDir();
    server = await startTestServer(data.dir);
  });
  afterAll(async () => {
    await server?.close();
    data?.remove();
  });
  return () => {
    if (!server) throw new Error('the test server starts before the first test');
    return server;
  };
}
