import 'fake-indexeddb/auto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startTestServer, tempDataDir, waitFor } from '../../sync-server/testing.ts';
import { loadOrCreateSecret, mintToken } from '../../sync-server/token.ts';
import { workspacesForThisFile } from './test/workspaces.ts';

/** Reaching the server: connecting, offline, retrying after transient failures, coming back after an outage. */

const { open, adminToken, workspace, seed } = workspacesForThisFile();

describe('sync client against the real server: connecting and reconnecting', () => {
  // Both transports: the shared socket retries for its documents, a socket of its own for one.
  const transports = [
    ['over the shared socket', true],
    ['over a socket per document', false],
  ] as const;

  it.each(transports)(
    'keeps retrying when the upgrade fails for a transient reason (HTTP 503, connection refused), %s',
    async (_over, multiplex) => {
      let attempts = 0;
      const flaky = createServer();
      flaky.on('upgrade', (_req, socket) => {
        attempts += 1;
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      });
      await new Promise<void>((resolve) => flaky.listen(0, '127.0.0.1', resolve));
      const url = `ws://127.0.0.1:${(flaky.address() as AddressInfo).port}`;
      try {
        const w = await workspace(adminToken('rae'), { serverUrl: url, maxBackoffTime: 20, multiplex });
        let settled = false;
        w.workspaceSynced.whenSynced().then(
          () => (settled = true),
          () => (settled = true),
        );
        await waitFor(() => attempts >= 3, 'the client to retry after 503s');
        expect(settled).toBe(false);
        expect(w.status()).toMatchObject({ connection: 'offline', closed: [] });
      } finally {
        await new Promise((resolve) => flaky.close(resolve));
      }
      // Nobody listening: refused connections are transient too, and the client connects once a
      // server listens on that port.
      const w = await workspace(adminToken('rae'), { serverUrl: url, maxBackoffTime: 20, multiplex });
      const own = tempDataDir();
      w.setToken(
        mintToken(loadOrCreateSecret(own.dir), { user: 'rae', grants: [{ role: 'admin', doc: '*' }], ttlSeconds: 3600 })
          .token,
      );
      const later = await startTestServer(own.dir, { port: Number(new URL(url).port) });
      try {
        await w.workspaceSynced.whenSynced();
        expect(w.status()).toMatchObject({ connection: 'online', closed: [] });
        expect(w.transport()).toBe(multiplex ? 'multiplexed' : 'per-document');
      } finally {
        await w.close();
        await later.close();
        own.remove();
      }
    },
  );

  it.each(transports)(
    'says connecting, never offline, until the first connection succeeds; offline once an attempt fails, %s',
    async (_over, multiplex) => {
      const seen: string[] = [];
      const w = await workspace(adminToken('nia'), { multiplex });
      seen.push(w.status().connection);
      w.onStatus((s) => seen.push(s.connection));
      await w.workspaceSynced.whenSynced();
      await waitFor(() => w.status().connection === 'online', 'online');
      expect(seen[0]).toBe('connecting');
      expect(seen).not.toContain('offline');
      expect(w.transport()).toBe(multiplex ? 'multiplexed' : 'per-document');

      // Nobody listens on this port: the first attempt fails and the status says so.
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const away = await workspace(adminToken('nia'), { serverUrl: `ws://127.0.0.1:${port}`, multiplex });
      expect(away.status().connection).toBe('connecting');
      await waitFor(() => away.status().connection === 'offline', 'offline after the refused attempt');
      away.disconnect();
      expect(away.status().connection).toBe('offline');
    },
  );

  it('reconnects with backoff after the server goes away and delivers what was edited meanwhile', async () => {
    const own = tempDataDir();
    let outage = await startTestServer(own.dir);
    const port = outage.port;
    const token = outage.token('lee', [{ role: 'admin', doc: '*' }]);
    const w = await workspace(token, { serverUrl: outage.url, persistence: 'indexeddb', maxBackoffTime: 200 });
    try {
      await seed(w, 'S07');
      await outage.close();
      await waitFor(() => w.status().connection === 'offline', 'offline after the server stopped');
      const u = await w.unit('S07');
      u.dossiers.records.edit('S07-r1', 'summary', '断网期间的更正', 'lee');
      expect(w.status().unconfirmed).toBeGreaterThan(0);
      outage = await startTestServer(own.dir, { port });
      await w.whenConfirmed();
      expect(w.status()).toMatchObject({ connection: 'online', unconfirmed: 0 });
      const check = await workspace(token, { serverUrl: outage.url });
      const cu = await check.unit('S07');
      await cu.synced.whenSynced();
      expect(cu.dossiers.records.get('S07-r1')).toMatchObject({ value: { summary: '断网期间的更正' } });
    } finally {
      await Promise.all(open.splice(0).map((x) => x.wipe()));
      await outage.close();
      own.remove();
    }
  });
});
