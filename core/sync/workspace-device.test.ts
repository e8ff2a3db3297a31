import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../sync-server/testing.ts';
import { dbPrefix } from './workspace.ts';
import { defaultRules, type Rules } from './summaries.ts';
import { cadre, record } from '../doc/test/fixtures.ts';
import { workspacesForThisFile } from './test/workspaces.ts';

/**
 * What a workspace keeps on this device (IndexedDB) and does with it at the next start: the index
 * cache, last session's units loaded early, remembered states offered at once, and the wipe.
 */

const { server, open, adminToken, workspace, seed } = workspacesForThisFile();

describe('sync client against the real server: this device across starts', () => {
  it('badges from the index kept on this device at the next start, then recomputes it', async () => {
    const token = adminToken('quin');
    const first = await workspace(token, { persistence: 'indexeddb' });
    await seed(first, 'S11');
    const before = first.index.get('cadre', 'S11-c1');
    expect(before).toMatchObject({ dots: { black: 1 } });
    await first.close();
    open.splice(open.indexOf(first), 1);

    let calls = 0;
    const counting: Rules = { ...defaultRules, summarise: (...args) => (calls++, defaultRules.summarise(...args)) };
    const again = await workspace(token, {
      persistence: 'indexeddb',
      connect: false,
      rules: counting,
      revalidateAfterMs: 50,
    });
    await again.unit('S11');
    expect(calls).toBe(0);
    expect(again.index.get('cadre', 'S11-c1')).toEqual(before);
    await waitFor(() => calls > 0, 'the cached unit to be recomputed');
    expect(again.index.get('cadre', 'S11-c1')).toEqual(before);
    await again.wipe();
    open.splice(open.indexOf(again), 1);
  });

  it('starts loading last session’s units early, but keeps only those the directory and grants still list', async () => {
    const token = adminToken('una');
    const first = await workspace(token, { persistence: 'indexeddb' });
    for (const code of ['S14', 'S15', 'S16']) await seed(first, code);
    await first.openUnits();
    await first.close();
    // Offline, S15 leaves the directory (openUnits is not called, so it is still remembered).
    const offline = await workspace(token, { persistence: 'indexeddb', connect: false });
    offline.workspace.units.remove('S15');
    await offline.close();
    const grants = [
      { role: 'editor', doc: 'unit:S14' },
      { role: 'editor', doc: 'unit:S15' },
      { role: 'admin', doc: 'workspace' },
    ] as const;
    const again = await workspace(token, { persistence: 'indexeddb', connect: false, grants: [...grants] });
    expect(again.docs().map((d) => d.name)).toEqual(['workspace']);
    expect(await again.openUnits()).toEqual(['S14']);
    expect(
      again
        .docs()
        .map((d) => d.name)
        .sort(),
    ).toEqual(['unit:S14', 'workspace']);
    expect(again.index.all().map((e) => e.unitCode)).toEqual(expect.arrayContaining(['S14']));
    expect(again.index.all().some((e) => e.unitCode === 'S15' || e.unitCode === 'S16')).toBe(false);
    // An adopted unit connects like any other.
    again.connect();
    const u = await again.unit('S14');
    await u.synced.whenSynced();
    u.dossiers.records.edit('S14-r1', 'summary', '提前打开后的更正', 'una');
    await again.whenConfirmed();
    expect(again.status().connection).toBe('online');
  });

  it('asks the server at once for a unit with nothing on this device, and keeps what arrives', async () => {
    const token = adminToken('ted');
    const writer = await workspace(token);
    await seed(writer, 'S18');
    const fresh = await workspace(token, { persistence: 'indexeddb' });
    const opening = fresh.unit('S18');
    // Connecting already, while its new database is still being created.
    const synced = fresh.docs().find((d) => d.name === 'unit:S18')!;
    expect(synced.status().loaded).toBe(false);
    expect(synced.provider.ws).not.toBeNull();
    const { dossiers } = await opening;
    await synced.whenSynced();
    expect(dossiers.cadres.get('S18-c1')).toBeDefined();
    await fresh.close();
    open.splice(open.indexOf(fresh), 1);
    // What arrived is on this device: the next start, offline, has it.
    const again = await workspace(token, { persistence: 'indexeddb', connect: false });
    const u = await again.unit('S18');
    expect(u.dossiers.cadres.get('S18-c1')).toBeDefined();
    expect(u.dossiers.records.get('S18-r1')).toBeDefined();
    // Now that it is kept here, it is read before asking the server().
    await again.close();
    open.splice(open.indexOf(again), 1);
    const third = await workspace(token, { persistence: 'indexeddb' });
    const reading = third.unit('S18');
    expect(third.docs().find((d) => d.name === 'unit:S18')!.provider.ws).toBeNull();
    await reading;
    await third.wipe();
    open.splice(open.indexOf(third), 1);
  });

  it('after a restart, offers each unit’s remembered state at once, gets what changed meanwhile, and keeps it', async () => {
    const token = adminToken('una');
    const first = await workspace(token, { persistence: 'indexeddb' });
    await seed(first, 'S30');
    await first.openUnits();
    await first.close();
    open.splice(open.indexOf(first), 1);

    const colleague = await workspace(adminToken('otto'));
    const cu = await colleague.unit('S30');
    await cu.synced.whenSynced();
    cu.dossiers.records.put(record('S30-r2', 'S30-c1', { colour: 'red', kind: 'commendation' }));
    await colleague.whenConfirmed();

    // A view that opens single units leaves them be.
    const view = await workspace(token, { persistence: 'indexeddb', remembered: 'none' });
    expect(view.docs().map((d) => d.name)).toEqual(['workspace']);
    await view.close();
    open.splice(open.indexOf(view), 1);

    const back = await workspace(token, { persistence: 'indexeddb', remembered: 'connect' });
    const opening = back.openUnits();
    const synced = back.docs().find((d) => d.name === 'unit:S30')!;
    // Connecting already, before (or while) its database is read.
    expect(synced.provider.ws).not.toBeNull();
    await opening;
    await waitFor(() => back.status().connection === 'online', 'the restarted workspace online');
    const u = await back.unit('S30');
    expect(u.dossiers.cadres.get('S30-c1')).toBeDefined();
    expect(u.dossiers.records.get('S30-r1')).toBeDefined();
    expect(u.dossiers.records.get('S30-r2')).toBeDefined();
    // The colleague's record arrived while away; the user's own baseline survived the early sync.
    expect([...(u.synced.arrivedSinceSeen().get('records') ?? [])]).toEqual(['S30-r2']);
    expect(back.index.get('cadre', 'S30-c1')).toBeDefined();
    // An edit while offline is not remembered as "in step": the next start reads it first, then sends it.
    back.disconnect();
    u.dossiers.records.edit('S30-r1', 'summary', '离线修改', 'una');
    await back.close();
    open.splice(open.indexOf(back), 1);
    const third = await workspace(token, { persistence: 'indexeddb', remembered: 'connect' });
    const reopening = third.openUnits();
    expect(third.docs().find((d) => d.name === 'unit:S30')!.provider.ws).toBeNull();
    await reopening;
    await third.whenConfirmed();
    const check = await workspace(adminToken('otto'));
    const cu2 = await check.unit('S30');
    await cu2.synced.whenSynced();
    expect(cu2.dossiers.records.get('S30-r1')).toMatchObject({ ok: true, value: { summary: '离线修改' } });
    await third.wipe();
    open.splice(open.indexOf(third), 1);
  });

  it('keeps a change made while a document loads from IndexedDB', async () => {
    const token = adminToken('vic');
    const first = await workspace(token, { persistence: 'indexeddb', connect: false });
    first.workspace.units.put({ code: 'S17', name: '市统计局', kind: 'government' });
    const u = await first.unit('S17');
    u.dossiers.cadres.put(cadre('S17-c1', { unitCode: 'S17' }));
    await first.close();
    const second = await workspace(token, { persistence: 'indexeddb', connect: false });
    // Written before the load finished, while nobody listened for updates.
    const early = second.unit('S17');
    const synced = second.docs().find((d) => d.name === 'unit:S17')!;
    synced.doc.getMap('probe').set('k', 'v');
    const { dossiers } = await early;
    expect(dossiers.cadres.get('S17-c1')).toBeDefined();
    expect(second.status().unconfirmed).toBeGreaterThan(0);
    await second.close();
    const third = await workspace(token, { persistence: 'indexeddb', connect: false });
    const again = await third.unit('S17');
    expect(again.synced.doc.getMap('probe').get('k')).toBe('v');
    expect(again.dossiers.cadres.get('S17-c1')).toBeDefined();
  });

  it('wipe deletes every database the workspace made, including units not opened this session', async () => {
    const token = adminToken('kim');
    const first = await workspace(token, { persistence: 'indexeddb' });
    await seed(first, 'S06');
    await first.openUnits({ notes: true });
    await first.close();
    open.splice(open.indexOf(first), 1);
    const names = async () =>
      (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n.startsWith(dbPrefix(server().url)));
    expect(await names()).toEqual(
      expect.arrayContaining([
        `${dbPrefix(server().url)}workspace`,
        `${dbPrefix(server().url)}unit:S06`,
        `${dbPrefix(server().url)}notes:S06`,
      ]),
    );
    const again = await workspace(token, { persistence: 'indexeddb', connect: false });
    await again.wipe();
    expect(await names()).toEqual([]);
  });
});
