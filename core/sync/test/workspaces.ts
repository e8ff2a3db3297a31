import { afterEach } from 'vitest';
import WebSocket from 'ws';
import { cadre, record } from '../../doc/test/fixtures.ts';
import { openWorkspace, type Workspace, type WorkspaceOptions } from '../workspace.ts';
import { serverForThisFile } from './server.ts';

/**
 * Test support for workspaces against the real server (serverForThisFile): workspaces opened in
 * Node over `ws`, in memory unless a test asks for IndexedDB, with a short confirmation debounce
 * and a fixed date; those still in `open` are closed after each test.
 */
export function workspacesForThisFile() {
  const server = serverForThisFile();
  /** Closed after each test; a test that closes or wipes one itself takes it out. */
  const open: Workspace[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((w) => w.close()));
  });

  const adminToken = (user: string) => server().token(user, [{ role: 'admin', doc: '*' }]);

  async function workspace(token: string, extra: Partial<WorkspaceOptions> = {}): Promise<Workspace> {
    const w = await openWorkspace({
      serverUrl: server().url,
      token,
      persistence: 'none',
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      crossTab: false,
      confirmDebounceMs: 20,
      today: () => '2019-01-01',
      ...extra,
    });
    open.push(w);
    return w;
  }

  /** A workspace with a unit directory entry and one cadre with a party warning (the seed's case). */
  async function seed(w: Workspace, code: string) {
    await w.workspaceSynced.whenSynced();
    w.workspace.units.put({ code, name: '市财政局', kind: 'government' });
    const u = await w.unit(code);
    await u.synced.whenSynced();
    u.dossiers.cadres.put(cadre(`${code}-c1`, { unitCode: code }));
    u.dossiers.records.put(record(`${code}-r1`, `${code}-c1`));
    await w.whenConfirmed();
  }

  return { server, open, adminToken, workspace, seed };
}
