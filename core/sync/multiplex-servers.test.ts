import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { setupWSConnection } from '@y/websocket-server/utils';
// The real server, on loopback. Only tests reach into sync-server/; the library does not.
import { startTestServer, tempDataDir, waitFor } from '../../sync-server/testing.ts';
import { QUERIES_DOC, unitDocName, userDocName } from '../doc/names.ts';
import { cadre } from '../doc/test/fixtures.ts';
import { openWorkspace, type Workspace } from './workspace.ts';

/**
 * Workspaces over the shared connection (multiplex.ts) against real servers: ours multiplexing
 * (one socket, a document refused on its own), ours with multiplexing off, and the reference
 * y-websocket server (both fall back to a socket per document). The scripted cases are
 * multiplex.test.ts.
 */

// y-websocket adds a process 'exit' listener per document (Node only); a workspace has a few dozen.
process.setMaxListeners(Math.max(process.getMaxListeners(), 64));

describe('the shared connection against real servers', () => {
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  });

  async function server(options: { multiplex?: boolean } = {}) {
    const data = tempDataDir();
    const s = await startTestServer(data.dir, options);
    stops.push(async () => {
      await s.close();
      data.remove();
    });
    return s;
  }

  async function workspaceOn(url: string, token: string): Promise<Workspace> {
    const w = await openWorkspace({
      serverUrl: url,
      token,
      persistence: 'none',
      crossTab: false,
      confirmDebounceMs: 20,
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    });
    stops.push(() => w.close());
    return w;
  }

  /** Ten units with a cadre each, written by an admin. */
  async function city(url: string, token: string, codes: string[]) {
    const w = await workspaceOn(url, token);
    await w.workspaceSynced.whenSynced();
    for (const code of codes) w.workspace.units.put({ code, name: `单位${code}`, kind: 'government' });
    for (const code of codes) {
      const u = await w.unit(code);
      u.dossiers.cadres.put(cadre(`${code}-c1`, { name: '王伟', unitCode: code }));
    }
    await w.whenConfirmed();
    await w.close();
  }

  const codes = Array.from({ length: 10 }, (_, i) => `K${String(i).padStart(2, '0')}`);

  it('syncs a workspace of many documents over one socket', async () => {
    const s = await server();
    const token = s.token('kai', [{ role: 'admin', doc: '*' }]);
    await city(s.url, token, codes);
    await waitFor(() => s.metrics.connections === 0, 'the writer to leave');
    const w = await workspaceOn(s.url, token);
    await w.workspaceSynced.whenSynced();
    await w.openUnits({ notes: true });
    await waitFor(() => w.status().connection === 'online', 'every document online');
    expect(w.transport()).toBe('multiplexed');
    expect(w.docs()).toHaveLength(1 + 2 * codes.length);
    expect(s.metrics.connections).toBe(1);
    expect(s.metrics.openDocuments).toBe(1 + 2 * codes.length);
    expect(w.index.all().filter((e) => e.type === 'cadre')).toHaveLength(codes.length);
  });

  it('refuses a document without a grant on its own (403), and keeps the others online on the same socket', async () => {
    const s = await server();
    await city(s.url, s.token('ada', [{ role: 'admin', doc: '*' }]), ['G01']);
    const w = await workspaceOn(
      s.url,
      s.token('gus', [
        { role: 'viewer', doc: 'workspace' },
        { role: 'editor', doc: 'unit:*' },
      ]),
    );
    await w.workspaceSynced.whenSynced();
    const n = await w.notes('G01');
    await expect(n.synced.whenSynced()).rejects.toMatchObject({
      name: 'SyncRefusedError',
      kind: 'refused',
      httpStatus: 403,
      doc: 'notes:G01',
    });
    const u = await w.unit('G01');
    await u.synced.whenSynced();
    expect(w.status().closed).toEqual([
      { doc: 'notes:G01', code: 4403, httpStatus: 403, reason: 'HTTP 403: the token has no grant on this document' },
    ]);
    expect(
      w
        .status()
        .docs.filter((d) => d.connection === 'online')
        .map((d) => d.name),
    ).toEqual(['workspace', unitDocName('G01')]);
    expect(s.metrics.connections).toBe(1);
  });

  it('opens the documents with derived access and the register on the shared socket; one refused (403) is not asked for again', async () => {
    const s = await server();
    const w = await workspaceOn(
      s.url,
      s.token('eve', [
        { role: 'viewer', doc: 'workspace' },
        { role: 'editor', doc: 'unit:*' },
        { role: 'editor', doc: 'register' },
      ]),
    );
    const [mine, queries, register] = await Promise.all([
      w.doc(userDocName('eve'), 'user'),
      w.doc(QUERIES_DOC, 'queries'),
      w.register(),
    ]);
    await Promise.all([
      w.workspaceSynced.whenSynced(),
      mine.whenSynced(),
      queries.whenSynced(),
      register.synced.whenSynced(),
    ]);
    // Somebody else's own document: refused once, and its provider stops (4403 is final).
    const theirs = await w.doc(userDocName('zed'), 'user');
    await expect(theirs.whenSynced()).rejects.toMatchObject({
      name: 'SyncRefusedError',
      kind: 'refused',
      httpStatus: 403,
      doc: 'user:zed',
    });
    expect(theirs.provider.shouldConnect).toBe(false);
    // The others carry on over the same socket: a write to each is confirmed.
    for (const d of [mine, queries, register.synced]) d.doc.getMap('m').set('by', 'eve');
    await Promise.all([mine.whenConfirmed(), queries.whenConfirmed(), register.synced.whenConfirmed()]);
    expect(w.transport()).toBe('multiplexed');
    expect(s.metrics.connections).toBe(1);
    expect(s.logs.filter((line) => line.includes('has no grant'))).toEqual([
      expect.stringContaining('eve has no grant on user:zed'),
    ]);
    expect(w.status().closed).toEqual([
      { doc: 'user:zed', code: 4403, httpStatus: 403, reason: 'HTTP 403: the token has no grant on this document' },
    ]);
  });

  it('falls back to a socket per document against our server with multiplexing off', async () => {
    const s = await server({ multiplex: false });
    const token = s.token('fox', [{ role: 'admin', doc: '*' }]);
    await city(s.url, token, codes);
    await waitFor(() => s.metrics.connections === 0, 'the writer to leave');
    const w = await workspaceOn(s.url, token);
    await w.workspaceSynced.whenSynced();
    await w.openUnits();
    await waitFor(() => w.status().connection === 'online', 'every document online');
    expect(w.transport()).toBe('per-document');
    expect(s.metrics.connections).toBe(1 + codes.length);
    expect(w.index.all().filter((e) => e.type === 'cadre')).toHaveLength(codes.length);
  });

  it('falls back against the reference y-websocket server, which takes the first protocol offered', async () => {
    const http: Server = createServer();
    const wss = new WebSocketServer({ noServer: true });
    http.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => setupWSConnection(ws, req)));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    stops.push(
      () =>
        new Promise<void>((resolve) => {
          for (const client of wss.clients) client.terminate();
          http.close(() => resolve());
        }),
    );
    const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const a = await workspaceOn(url, 'no-auth-here');
    const b = await workspaceOn(url, 'no-auth-here');
    await a.workspaceSynced.whenSynced();
    a.workspace.units.put({ code: 'R01', name: '参照单位', kind: 'government' });
    await waitFor(() => b.workspace.units.ids().includes('R01'), 'the other client to receive the unit');
    expect([a.transport(), b.transport()]).toEqual(['per-document', 'per-document']);
  });
});
