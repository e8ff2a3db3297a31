import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
// The real server, on loopback.
import { startTestServer, tempDataDir, waitFor, type TestServer } from '../../sync-server/testing.ts';
import { openWorkspace, type Workspace } from '../../core/sync/index.ts';
import { cadre } from '../../core/doc/test/fixtures.ts';
import { trackFirstSync } from './first-sync.ts';

/**
 * The first-sync tracker decides when the side panel may say "not found": a unit it counts as
 * synced must already be in the index, or a dossier on its way reads as missing.
 */

let server: TestServer;
let data: { dir: string; remove(): void };
const codes = Array.from({ length: 12 }, (_, i) => `F${String(i).padStart(2, '0')}`);

const open = (token: string, persistence: 'indexeddb' | 'none') =>
  openWorkspace({
    serverUrl: server.url,
    token,
    persistence,
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    crossTab: false,
    confirmDebounceMs: 20,
    today: () => '2019-01-01',
  });

beforeAll(async () => {
  data = tempDataDir();
  server = await startTestServer(data.dir);
  const admin = await open(server.token('ada', [{ role: 'admin', doc: '*' }]), 'none');
  await admin.workspaceSynced.whenSynced();
  for (const code of codes) admin.workspace.units.put({ code, name: `单位${code}`, kind: 'government' });
  for (const code of codes) (await admin.unit(code)).dossiers.cadres.put(cadre(`${code}-c1`, { unitCode: code }));
  await admin.whenConfirmed();
  await admin.close();
});
afterAll(async () => {
  await server.close();
  data.remove();
});

describe('first-sync tracker', () => {
  it('counts a unit as synced only once its dossiers are in the index (a new device, units fetched while their databases are created)', async () => {
    let w: Workspace | undefined;
    try {
      w = await open(server.token('bo', [{ role: 'admin', doc: '*' }]), 'indexeddb');
      const ws = w;
      const tracker = trackFirstSync(ws);
      /** Units the tracker called synced while their cadre was not in the index. */
      const missing = new Set<string>();
      const check = () => {
        const p = tracker.progress();
        const indexed = codes.filter((code) => ws.index.get('cadre', `${code}-c1`) !== undefined).length;
        if (p.synced > indexed) missing.add(`${p.synced} synced, ${indexed} indexed`);
      };
      tracker.onChange(check);
      await ws.workspaceSynced.whenSynced();
      void ws.openUnits();
      await waitFor(() => !tracker.progress().pending, 'the first sync to complete');
      check();
      expect([...missing]).toEqual([]);
      expect(codes.every((code) => ws.index.get('cadre', `${code}-c1`) !== undefined)).toBe(true);
      tracker.stop();
    } finally {
      await w?.wipe();
    }
  });
});
