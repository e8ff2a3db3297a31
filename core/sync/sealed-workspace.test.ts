import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { waitFor } from '../../sync-server/testing.ts';
import { newDataKey, recordCipher } from './at-rest.ts';
import { dbPrefix, openWorkspace, type WorkspaceOptions } from './workspace.ts';
import { cadre, record } from '../doc/test/fixtures.ts';
import { databasesHere } from './databases.ts';
import { holds, rawValues } from './test/raw-idb.ts';
import { serverForThisFile } from './test/server.ts';

/**
 * A whole workspace sealed with the device's data key, against the real server: every byte it
 * keeps in IndexedDB (documents, index cache, state vectors) is unreadable without the key, and
 * with it the next start, offline, has the dossiers, the index and the unsent edits back.
 */

const server = serverForThisFile();

const options = (extra: Partial<WorkspaceOptions>): WorkspaceOptions => ({
  serverUrl: server().url,
  token: server().token('dana', [{ role: 'admin', doc: '*' }]),
  WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
  crossTab: false,
  confirmDebounceMs: 20,
  today: () => '2019-01-01',
  ...extra,
});

const SECRETS = ['张伟', '张纪发〔2018〕12号', '违反廉洁纪律', '社区反映'];

describe('a sealed workspace', () => {
  it('keeps nothing readable on disk, and everything for the holder of the key', async () => {
    const key = newDataKey();
    const first = await openWorkspace(options({ cipher: await recordCipher(key) }));
    await first.workspaceSynced.whenSynced();
    first.workspace.units.put({ code: 'E01', name: '市财政局', kind: 'government' });
    const u = await first.unit('E01');
    await u.synced.whenSynced();
    u.dossiers.cadres.put(cadre('E01-c1', { unitCode: 'E01' }));
    u.dossiers.records.put(record('E01-r1', 'E01-c1'));
    await first.whenConfirmed();
    first.disconnect();
    await waitFor(() => first.status().connection === 'offline', 'offline');
    u.dossiers.flags.put({
      id: 'E01-f1',
      cadreId: 'E01-c1',
      item: 'gambling',
      channel: 'community',
      date: '2018-11-02',
      status: 'reported',
      summary: '社区反映',
    });
    await first.close();

    const names = [...((await databasesHere()) ?? [])].filter((n) => n.startsWith(dbPrefix(server().url)));
    expect(names.length).toBeGreaterThanOrEqual(2);
    const stored = (await Promise.all(names.map(rawValues))).flat();
    for (const secret of SECRETS) expect(holds(stored, secret), secret).toBe(false);

    const again = await openWorkspace(options({ cipher: await recordCipher(key), connect: false }));
    expect(await again.openUnits()).toContain('E01');
    expect(again.index.get('cadre', 'E01-c1')).toMatchObject({ name: '张伟', flags: 1 });
    expect(again.status()).toMatchObject({ connection: 'offline', unconfirmed: 1 });
    await again.close();

    // Another key (a device that lost its own): nothing opens, nothing is invented.
    const stranger = await openWorkspace(options({ cipher: await recordCipher(newDataKey()), connect: false }));
    expect(await stranger.openUnits()).toEqual([]);
    expect(stranger.index.get('cadre', 'E01-c1')).toBeUndefined();
    await stranger.wipe();
  });
});
