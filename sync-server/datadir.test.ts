/**
 * One writer per data directory: a second server refuses to start and says which process holds
 * the directory; the CLI's writing commands go through the running server, or take the same lock.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { exportDocument, importDocument, revoke } from './admin.ts';
import { DataDirLocked, lockDataDir } from './datadir-lock.ts';
import { killServer, rawClient, spawnServer, startTestServer, waitFor } from './testing.ts';
import { useCleanups } from './testing-fixture.ts';

const { cleanups, dir } = useCleanups();

describe('a second server on the same data directory', () => {
  it(
    'refuses to start, naming the process that holds it (exit 3), and the first keeps serving',
    { timeout: 30_000 },
    async () => {
      const dataDir = dir();
      const first = await spawnServer(dataDir);
      cleanups.push(() => killServer(first.child));
      const second = await spawnServer(dataDir).then(
        (started) => {
          cleanups.push(() => killServer(started.child));
          return null;
        },
        (error: Error & { code?: number; stderr?: string }) => error,
      );
      expect(second).not.toBeNull();
      expect(second!.code).toBe(3);
      expect(second!.stderr).toContain(`pid ${first.child.pid}`);
      expect(second!.stderr).toContain(first.url);
      expect((await fetch(`${first.url.replace('ws:', 'http:')}/healthz`)).status).toBe(200);
    },
  );

  it(
    'is refused in the same process too, and the directory is free again once the first stops (even killed)',
    { timeout: 30_000 },
    async () => {
      const dataDir = dir();
      const first = await startTestServer(dataDir);
      await expect(startTestServer(dataDir)).rejects.toBeInstanceOf(DataDirLocked);
      await first.close();
      const again = await startTestServer(dataDir);
      await again.close();
      const killed = await spawnServer(dataDir);
      await killServer(killed.child);
      const afterKill = await startTestServer(dataDir);
      await afterKill.close();
    },
  );
});

describe('the CLI’s writing commands', () => {
  it(
    'go through the running server: an import is guarded, stored once and reaches clients; a revoke closes sockets',
    { timeout: 30_000 },
    async () => {
      const dataDir = dir();
      const server = await startTestServer(dataDir);
      cleanups.push(() => server.close());
      const watcher = await rawClient(server.url, 'unit:I01', server.token('walt', ['viewer', 'unit:*']));
      watcher.ws.send(new Uint8Array([0, 0, 1, 0]));
      const source = new Y.Doc();
      source.getMap('cadres').set('imported', '{"name":"李四"}');
      await importDocument(dataDir, 'unit:I01', Y.encodeStateAsUpdate(source), 'cli:import');
      expect(server.logs.some((line) => line.includes('admin request') && line.includes('/admin/import'))).toBe(true);
      await waitFor(() => watcher.frames.length > 2, 'the import to reach the client');
      const stored = new Y.Doc();
      Y.applyUpdate(stored, await exportDocument(dataDir, 'unit:I01'));
      expect(stored.getMap('cadres').get('imported')).toBe('{"name":"李四"}');

      await revoke(dataDir, { user: 'walt' });
      expect((await watcher.closed).code).toBe(4401);
      expect(server.logs.some((line) => line.includes('/admin/revoke'))).toBe(true);
    },
  );

  it('take the lock when no server runs, and a server cannot start while they hold it', async () => {
    const dataDir = dir();
    const held = lockDataDir(dataDir, 'cli import');
    await expect(startTestServer(dataDir)).rejects.toThrow(/in use by cli import \(pid \d+/u);
    await expect(revoke(dataDir, { user: 'x' })).rejects.toThrow(/in use by cli import/u);
    held.release();
    await revoke(dataDir, { user: 'x' });
    const server = await startTestServer(dataDir);
    await server.close();
  });
});
