import 'fake-indexeddb/auto';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
// The real server, on loopback. Only this test reaches into sync-server/; the library does not.
import { startTestServer, stockClient, tempDataDir, waitFor, type TestServer } from '../../sync-server/testing.ts';
import { loadOrCreateSecret, mintToken } from '../../sync-server/token.ts';
import * as Y from 'yjs';
import { definitiveRefusal } from './refusal.ts';
import { dbPrefix, openWorkspace, type Workspace, type WorkspaceOptions } from './workspace.ts';
import { defaultRules, type Rules } from './summaries.ts';
import { cadre, record } from '../doc/test/fixtures.ts';

let server: TestServer;
let data: { dir: string; remove(): void };
const open: Workspace[] = [];

beforeAll(async () => {
  data = tempDataDir();
  server = await startTestServer(data.dir);
});
afterAll(async () => {
  await server.close();
  data.remove();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((w) => w.close()));
});

const adminToken = (user: string) => server.token(user, [{ role: 'admin', doc: '*' }]);

async function workspace(token: string, extra: Partial<WorkspaceOptions> = {}): Promise<Workspace> {
  const w = await openWorkspace({
    serverUrl: server.url,
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

  it('surfaces the server’s permission-denied answer to a viewer’s write', async () => {
    const a = await workspace(adminToken('hal'));
    await seed(a, 'S05');
    const viewer = await workspace(server.token('ivy', [{ role: 'viewer', doc: '*' }]));
    const vu = await viewer.unit('S05');
    await vu.synced.whenSynced();
    vu.dossiers.records.edit('S05-r1', 'summary', '越权修改', 'ivy');
    const confirmed = viewer.whenConfirmed();
    await expect(confirmed).rejects.toMatchObject({ name: 'SyncRefusedError', kind: 'denied', doc: 'unit:S05' });
    expect(viewer.status().denied[0]).toMatchObject({ doc: 'unit:S05', reason: expect.stringContaining('read-only') });
    expect(viewer.status().unconfirmed).toBeGreaterThan(0);
    const au = await a.unit('S05');
    expect(au.dossiers.records.get('S05-r1')).toMatchObject({ value: { summary: '违反廉洁纪律' } });
  });

  it('stops and says why when the server closes for good (token expired)', async () => {
    const w = await workspace(server.token('oda', [{ role: 'admin', doc: '*' }], 2));
    await w.workspaceSynced.whenSynced();
    await waitFor(() => w.status().closed.length > 0, 'the server to close the expired session', 10_000);
    expect(w.status()).toMatchObject({ connection: 'offline', closed: [{ doc: 'workspace', code: 4401 }] });
    w.workspace.units.put({ code: 'S09', name: '市审计局', kind: 'government' });
    await expect(w.whenConfirmed()).rejects.toMatchObject({ kind: 'closed', doc: 'workspace' });
  });

  it('stops and says which when the server refuses the upgrade (no grant: 403), and connects again with a new token', async () => {
    // The clock is fake: that the client does not keep knocking is shown by running every timer it
    // left, not by waiting and hoping. A retry would open a socket (per-document transport) or a
    // channel on the shared one (the provider's `ws`), both synchronously in its timer.
    let sockets = 0;
    class CountedSocket extends WebSocket {
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        super(...args);
        sockets += 1;
      }
    }
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    try {
      const w = await workspace(server.token('quin', [{ role: 'editor', doc: 'unit:*' }]), {
        maxBackoffTime: 20,
        WebSocketPolyfill: CountedSocket as unknown as typeof globalThis.WebSocket,
      });
      // No timeout here: without the refusal, this waits until the test times out.
      await expect(w.workspaceSynced.whenSynced()).rejects.toMatchObject({
        name: 'SyncRefusedError',
        kind: 'refused',
        httpStatus: 403,
        doc: 'workspace',
      });
      expect(w.status()).toMatchObject({
        connection: 'offline',
        closed: [{ doc: 'workspace', httpStatus: 403, reason: 'HTTP 403: the token has no grant on this document' }],
      });
      // Waiting later rejects at once too, and the client does not keep knocking (backoff would be 20 ms).
      await expect(w.workspaceSynced.whenSynced()).rejects.toMatchObject({ kind: 'refused', httpStatus: 403 });
      const opened = sockets;
      await vi.advanceTimersByTimeAsync(60_000); // the backoff would be 20 ms: thousands of retries
      expect(sockets).toBe(opened);
      expect(w.workspaceSynced.provider.ws).toBeNull();
      expect(w.workspaceSynced.provider.shouldConnect).toBe(false);
      expect(server.logs.filter((l) => l.includes('quin has no grant on workspace'))).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
    const w = open.at(-1)!;
    // A token with the grant: connecting again clears the refusal.
    w.setToken(adminToken('quin'));
    w.connect();
    await w.workspaceSynced.whenSynced();
    expect(w.status()).toMatchObject({ connection: 'online', closed: [] });
  });

  it('stops and says so when the server does not accept the token (forged: 401)', async () => {
    const forged = mintToken(randomBytes(32), {
      user: 'mallory',
      grants: [{ role: 'admin', doc: '*' }],
      ttlSeconds: 3600,
    }).token;
    const w = await workspace(forged);
    await expect(w.workspaceSynced.whenSynced()).rejects.toMatchObject({
      name: 'SyncRefusedError',
      kind: 'refused',
      httpStatus: 401,
      doc: 'workspace',
    });
    await expect(w.whenConfirmed()).rejects.toThrow(
      'workspace: refused by the server (HTTP 401: the server does not accept the token (invalid, expired or revoked))',
    );
    expect(w.status().closed).toEqual([
      {
        doc: 'workspace',
        code: 1006,
        httpStatus: 401,
        reason: 'HTTP 401: the server does not accept the token (invalid, expired or revoked)',
      },
    ]);
  });

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

  it('reads the refusal only from what Node clients see; a browser error event says nothing', () => {
    const wsError = (message: string) => ({ type: 'error', message, error: new Error(message) });
    expect(definitiveRefusal(wsError('Unexpected server response: 401'))).toBe(401);
    expect(definitiveRefusal(wsError('Unexpected server response: 403'))).toBe(403);
    expect(definitiveRefusal({ type: 'error', message: '', error: new Error('Unexpected server response: 403') })).toBe(
      403,
    );
    for (const transient of [
      'Unexpected server response: 400',
      'Unexpected server response: 503',
      'connect ECONNREFUSED 127.0.0.1:1',
      'Opening handshake has timed out',
    ]) {
      expect(definitiveRefusal(wsError(transient))).toBeUndefined();
    }
    expect(definitiveRefusal(new Event('error'))).toBeUndefined();
    expect(definitiveRefusal(null)).toBeUndefined();
  });

  it('keeps indexing when a stock client with write access stores garbage', async () => {
    const a = await workspace(adminToken('pam'));
    await seed(a, 'S10');
    const hostile = stockClient(server.url, 'unit:S10', adminToken('mallory'), 'subprotocol');
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

  it('opens only the units the token’s grants cover', async () => {
    const admin = await workspace(adminToken('rex'));
    await seed(admin, 'S12');
    await seed(admin, 'S13');
    const grants = [
      { role: 'editor', doc: 'unit:S12' },
      { role: 'viewer', doc: 'workspace' },
    ] as const;
    const w = await workspace(server.token('sue', [...grants]), { grants: [...grants] });
    await w.workspaceSynced.whenSynced();
    const opened = await w.openUnits({ notes: true });
    expect(opened).toEqual(['S12']);
    expect(
      w
        .docs()
        .map((d) => d.name)
        .sort(),
    ).toEqual(['unit:S12', 'workspace']);
    await w.whenConfirmed();
    expect(w.status().connection).toBe('online');
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
    // Now that it is kept here, it is read before asking the server.
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

  it('sends the token as a subprotocol, never in the URL', async () => {
    const token = adminToken('jay');
    const w = await workspace(token);
    await w.workspaceSynced.whenSynced();
    expect(w.workspaceSynced.provider.url).not.toContain(token);
    expect(w.workspaceSynced.provider.protocols).toEqual(['dossierlens', `auth.${token}`]);
    expect(server.logs.join('\n')).not.toContain(token);
  });

  it('wipe deletes every database the workspace made, including units not opened this session', async () => {
    const token = adminToken('kim');
    const first = await workspace(token, { persistence: 'indexeddb' });
    await seed(first, 'S06');
    await first.openUnits({ notes: true });
    await first.close();
    open.splice(open.indexOf(first), 1);
    const names = async () =>
      (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n.startsWith(dbPrefix(server.url)));
    expect(await names()).toEqual(
      expect.arrayContaining([
        `${dbPrefix(server.url)}workspace`,
        `${dbPrefix(server.url)}unit:S06`,
        `${dbPrefix(server.url)}notes:S06`,
      ]),
    );
    const again = await workspace(token, { persistence: 'indexeddb', connect: false });
    await again.wipe();
    expect(await names()).toEqual([]);
  });

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
