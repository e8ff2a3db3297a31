import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
// The real server, on loopback. Only tests reach into sync-server/; the library does not.
import { stockClient, waitFor } from '../../sync-server/testing.ts';
import * as Y from 'yjs';
import { record } from '../doc/test/fixtures.ts';
import { workspacesForThisFile } from './test/workspaces.ts';

/**
 * Workspaces working together through the real server: edits converge live and offline, the
 * unconfirmed count, what arrived while away, and an index that survives garbage. What the server
 * refuses is workspace-refusals.test.ts; reaching it, workspace-connection.test.ts; what is kept on
 * this device across starts, workspace-device.test.ts.
 */

const { server, open, adminToken, workspace, seed } = workspacesForThisFile();

describe('sync client against the real server', () => {
  it('two workspaces converge, live, and keep their local indexes current', async () => {
    const a = await workspace(adminToken('alice'));
    await seed(a, 'S01');
    const b = await workspace(adminToken('bob'));
    await b.workspaceSynced.whenSynced();
    expect(await b.openUnits()).toContain('S01');
    const bu = await b.unit('S01');
    await bu.synced.whenSynced();
    expect(bu.dossiers.records.get('S01-r1')).toMatchObject({ ok: true, value: { kind: 'party-warning' } });
    expect(b.index.get('cadre', 'S01-c1')).toMatchObject({ name: '张伟', unitName: '市财政局', dots: { black: 1 } });
    expect(b.index.get('cadre', 'S01-c1')?.periods.length).toBeGreaterThan(0);

    // A correction made in b reaches a while both are connected.
    bu.dossiers.records.edit('S01-r1', 'summary', '更正：违反廉洁纪律', 'bob');
    const au = await a.unit('S01');
    await waitFor(
      () =>
        au.dossiers.records.get('S01-r1')?.ok === true &&
        (au.dossiers.records.get('S01-r1') as { value: { summary: string } }).value.summary === '更正：违反廉洁纪律',
      'the correction to reach a',
    );
    // And a revocation in a updates b's index: the black dot no longer counts.
    au.dossiers.records.revoke('S01-r1', { by: 'alice', at: '2019-01-01T00:00:00.000Z', reason: '错录' });
    await waitFor(() => b.index.get('cadre', 'S01-c1')?.dots.black === 0, 'b index to drop the revoked dot');
    expect(a.status()).toMatchObject({ denied: [], closed: [] });

    // A directory change (the unit renamed) re-labels every open unit's entries.
    a.workspace.units.edit('S01', 'name', '市财政局（更名）', 'alice');
    await waitFor(() => a.index.get('cadre', 'S01-c1')?.unitName === '市财政局（更名）', 'a to re-label its cadre');
    await waitFor(() => b.index.get('unit', 'S01')?.name === '市财政局（更名）', 'b to re-label the unit');
  });

  it('counts local changes until the server confirms them durably', async () => {
    const a = await workspace(adminToken('carol'));
    await seed(a, 'S02');
    const u = await a.unit('S02');
    expect(a.status()).toMatchObject({ connection: 'online', unconfirmed: 0 });
    u.dossiers.records.put(record('S02-r2', 'S02-c1', { colour: 'red', kind: 'commendation' }));
    u.dossiers.records.edit('S02-r2', 'summary', '年度嘉奖', 'carol');
    // One entry for the record, two for the correction (edit + history log).
    expect(u.synced.status().unconfirmed).toBe(3);
    expect(a.status().connection).toBe('syncing');
    await a.whenConfirmed();
    expect(a.status()).toMatchObject({ connection: 'online', unconfirmed: 0 });

    // A colleague's edit arriving from the server is not a local change waiting for confirmation.
    const b = await workspace(adminToken('dave'));
    const bu = await b.unit('S02');
    await bu.synced.whenSynced();
    bu.dossiers.records.edit('S02-r2', 'summary', '年度嘉奖（更正）', 'dave');
    await waitFor(
      () => (u.dossiers.records.get('S02-r2') as { value: { summary: string } }).value.summary === '年度嘉奖（更正）',
      'dave’s edit to reach carol',
    );
    expect(u.synced.status().unconfirmed).toBe(0);
    expect(a.status()).toMatchObject({ connection: 'online', unconfirmed: 0 });
  });

  it('keeps offline edits in IndexedDB and sends them on reconnect', async () => {
    const token = adminToken('dave');
    const first = await workspace(token, { persistence: 'indexeddb' });
    await seed(first, 'S03');
    first.disconnect();
    await waitFor(() => first.status().connection === 'offline', 'offline');
    const u = await first.unit('S03');
    u.dossiers.records.edit('S03-r1', 'docNumber', '张纪发〔2018〕99号', 'dave');
    u.dossiers.flags.put({
      id: 'S03-f1',
      cadreId: 'S03-c1',
      item: 'gambling',
      channel: 'community',
      date: '2018-11-02',
      status: 'reported',
      summary: '社区反映',
    });
    expect(first.status()).toMatchObject({ connection: 'offline', unconfirmed: 3 });
    await first.close();
    open.splice(open.indexOf(first), 1);

    // Next session, still offline: the edits and the unconfirmed count come back from IndexedDB.
    const again = await workspace(token, { persistence: 'indexeddb', connect: false });
    const codes = await again.openUnits();
    expect(codes).toContain('S03');
    const u2 = await again.unit('S03');
    expect(u2.dossiers.flags.get('S03-f1')?.ok).toBe(true);
    expect(again.index.get('cadre', 'S03-c1')).toMatchObject({ flags: 1 });
    expect(again.status()).toMatchObject({ connection: 'offline', unconfirmed: 3 });

    again.connect();
    await again.whenConfirmed();
    expect(again.status().unconfirmed).toBe(0);
    const other = await workspace(adminToken('erin'));
    const ou = await other.unit('S03');
    await ou.synced.whenSynced();
    expect(ou.dossiers.records.get('S03-r1')).toMatchObject({ ok: true, value: { docNumber: '张纪发〔2018〕99号' } });
    expect(ou.dossiers.flags.get('S03-f1')?.ok).toBe(true);
  });

  it('merges two officers’ offline edits of the same record', async () => {
    const a = await workspace(adminToken('fay'));
    await seed(a, 'S04');
    const b = await workspace(adminToken('gus'));
    const bu = await b.unit('S04');
    await bu.synced.whenSynced();
    a.disconnect();
    b.disconnect();
    const au = await a.unit('S04');
    au.dossiers.records.edit('S04-r1', 'summary', '甲的更正', 'fay');
    bu.dossiers.records.edit('S04-r1', 'sourceDept', '市审计局', 'gus');
    a.connect();
    b.connect();
    await Promise.all([a.whenConfirmed(), b.whenConfirmed()]);
    await waitFor(() => {
      const x = au.dossiers.records.get('S04-r1');
      return x?.ok === true && x.value.sourceDept === '市审计局';
    }, 'a to see b’s edit');
    await waitFor(() => {
      const x = bu.dossiers.records.get('S04-r1');
      return x?.ok === true && x.value.summary === '甲的更正';
    }, 'b to see a’s edit');
  });

  it('tells the user what arrived while they were away', async () => {
    const token = adminToken('mia');
    const first = await workspace(token, { persistence: 'indexeddb' });
    await seed(first, 'S08');
    (await first.unit('S08')).synced.markSeen();
    await first.close();
    open.splice(open.indexOf(first), 1);

    const colleague = await workspace(adminToken('ned'));
    const cu = await colleague.unit('S08');
    await cu.synced.whenSynced();
    cu.dossiers.records.edit('S08-r1', 'summary', '同事的更正', 'ned');
    cu.dossiers.records.put(record('S08-r2', 'S08-c1', { colour: 'red', kind: 'commendation' }));
    await colleague.whenConfirmed();

    const back = await workspace(token, { persistence: 'indexeddb' });
    const u = await back.unit('S08');
    expect(u.synced.arrivedSinceSeen().size).toBe(0);
    await u.synced.whenSynced();
    expect([...(u.synced.arrivedSinceSeen().get('records') ?? [])].sort()).toEqual(['S08-r1', 'S08-r2']);
    u.synced.markSeen();
    expect(u.synced.arrivedSinceSeen().size).toBe(0);
    await back.wipe();
    open.splice(open.indexOf(back), 1);
  });

  it('keeps indexing when a stock client with write access stores garbage', async () => {
    const a = await workspace(adminToken('pam'));
    await seed(a, 'S10');
    const hostile = stockClient(server().url, 'unit:S10', adminToken('mallory'), 'subprotocol');
    try {
      await waitFor(() => hostile.synced, 'the stock client to sync');
      hostile.doc.transact(() => {
        hostile.doc.getMap('records').set('junk', 42);
        hostile.doc.getMap('records').set('nested', new Y.Map());
        hostile.doc.getMap('cadres').set('S10-c1', '{"id":"S10-c1","name":');
        hostile.doc.getMap('edits').set('records/S10-r1/__proto__', { value: { polluted: true } });
        hostile.doc.getMap('meta').set('schemaVersion', 'v9');
      });
      await waitFor(() => (a.index.get('cadre', 'S10-c1')?.invalid ?? 0) > 0, 'the index to show the damage');
      expect(a.index.get('cadre', 'S10-c1')).toMatchObject({ name: 'S10-c1', dots: { black: 1 } });
      expect(a.index.get('unit', 'S10')?.invalid).toBe(2);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    } finally {
      hostile.destroy();
    }
  });
});
