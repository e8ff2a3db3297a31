/**
 * The storage contract (types.ts), run against every backend: SQLite in a temporary data directory
 * and PostgreSQL in a schema of its own (skipped off CI with a message when PostgreSQL is down).
 * Then what only a shared store has to keep: two instances (two pools) on one database.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { hashUpdate } from '../attribution.ts';
import { useCleanups } from '../testing-fixture.ts';
import { servicesFor, tempSchema } from '../testing-services.ts';
import { openPostgresStorage, type PostgresStorage } from './postgres.ts';
import { migrations } from './postgres-schema.ts';
import { openSqliteStorage } from './sqlite.ts';
import type { Storage, UpdateToCommit } from './types.ts';

const { cleanups, dir } = useCleanups();

const postgresUp = await servicesFor('PostgreSQL storage contract (sync-server/storage/contract.test.ts)', [
  'postgres',
]);

async function sqlite(): Promise<Storage> {
  const storage = openSqliteStorage(dir());
  cleanups.push(() => storage.close());
  return storage;
}

/** `open()` gives another instance's view of the same database. */
async function postgres(): Promise<PostgresStorage & { open(): Promise<Storage> }> {
  const schema = tempSchema();
  cleanups.push(() => schema.drop());
  const open = async () => {
    const storage = await openPostgresStorage(schema.url);
    cleanups.push(() => storage.close());
    return storage;
  };
  return Object.assign(await open(), { open });
}

/** Updates of one author: each sets `key` in map `m`. */
function edits(keys: string[], doc = new Y.Doc()): Uint8Array[] {
  const out: Uint8Array[] = [];
  const listener = (update: Uint8Array) => out.push(update);
  doc.on('update', listener);
  for (const key of keys) doc.getMap('m').set(key, `value of ${key}`);
  doc.off('update', listener);
  return out;
}

const write = (doc: string, data: Uint8Array, user = 'alice', clientIds: number[] = []): UpdateToCommit => ({
  doc,
  data,
  user,
  name: user,
  time: Date.now(),
  hash: hashUpdate(data),
  clientIds,
  newBindings: clientIds,
});

function contentOf(stored: { snapshot: Uint8Array | null; updates: { data: Uint8Array }[] }): Record<string, unknown> {
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const update of stored.updates) Y.applyUpdate(doc, update.data);
  return doc.getMap('m').toJSON();
}

/** `refusesTakenClientIds`: an update with a clientID bound to another user is refused whole (a shared store). */
const backends = [
  { name: 'SQLite', open: sqlite, up: true, refusesTakenClientIds: false },
  { name: 'PostgreSQL', open: postgres, up: postgresUp, refusesTakenClientIds: true },
];

for (const backend of backends) {
  describe.skipIf(!backend.up)(`storage contract: ${backend.name}`, () => {
    it('commits in order, loads, compacts without losing anything, and keeps the audit', async () => {
      const storage = await backend.open();
      const start = await storage.cursor();
      const list = edits(['a', 'b', 'c', 'd']);
      const seqs = await storage.commitUpdates(list.slice(0, 2).map((data) => write('unit:A', data)));
      const more = await Promise.all([
        storage.commitUpdates([write('unit:A', list[2]!)]),
        storage.commitUpdates([write('unit:B', list[3]!, 'bob')]),
      ]);
      const all = [...seqs, ...more.flat()];
      expect(all.every((seq, i) => i === 0 || seq > all[i - 1]!)).toBe(true);
      expect(contentOf(await storage.loadDocument('unit:A'))).toEqual({
        a: 'value of a',
        b: 'value of b',
        c: 'value of c',
      });

      const changes = await storage.changesSince(start);
      expect(changes.updates.map((change) => change.seq)).toEqual(all);

      const ydoc = new Y.Doc();
      for (const data of list.slice(0, 3)) Y.applyUpdate(ydoc, data);
      await storage.compact('unit:A', Y.encodeStateAsUpdate(ydoc), all[2]!);
      const loaded = await storage.loadDocument('unit:A');
      expect(loaded.updates).toEqual([]);
      expect(contentOf(loaded)).toEqual({ a: 'value of a', b: 'value of b', c: 'value of c' });
      expect((await storage.audit({ doc: 'unit:A' })).map((entry) => entry.seq)).toEqual(all.slice(0, 3));
      expect((await storage.audit({ user: 'bob' })).map((entry) => [entry.doc, entry.size])).toEqual([
        ['unit:B', list[3]!.byteLength],
      ]);
      expect((await storage.bytesAddedSince('unit:B', 0)).get('bob')).toBe(list[3]!.byteLength);
      expect(await storage.verify({ full: true })).toEqual([]);
    });

    it('revokes users and tokens, and reports revocations after a cursor', async () => {
      const storage = await backend.open();
      const start = await storage.cursor();
      const now = Date.now();
      await storage.revoke({ user: 'mallory' }, now);
      await storage.revoke({ jti: 'token-1' }, now);
      expect(await storage.isRevoked({ sub: 'mallory', jti: 'x', iat: Math.floor(now / 1000) - 10 })).toBe(true);
      expect(await storage.isRevoked({ sub: 'alice', jti: 'token-1', iat: 0 })).toBe(true);
      expect(await storage.isRevoked({ sub: 'alice', jti: 'token-2', iat: 0 })).toBe(false);
      const { revocations } = await storage.changesSince(start);
      expect(revocations.map((r) => [r.user, r.jti])).toEqual([
        ['mallory', null],
        [null, 'token-1'],
      ]);
    });

    it('binds clientIDs: presence claims, writing makes an author, nobody takes one over, old presence-only claims go', async () => {
      const storage = await backend.open();
      const day = 24 * 3600 * 1000;
      const now = Date.now();
      await storage.bindClientIds('unit:B01', 'alice', '张三', [11, 12], now);
      await storage.bindClientIds('unit:B01', 'bob', '李四', [21], now - 40 * day);
      expect(await storage.authors('unit:B01')).toEqual([]);
      expect((await storage.loadDocument('unit:B01')).bindings).toEqual(
        new Map([
          [11, 'alice'],
          [12, 'alice'],
          [21, 'bob'],
        ]),
      );
      await storage.commitUpdates([{ ...write('unit:B01', new Uint8Array([0, 0]), 'alice', [11]), name: '张三' }]);
      expect(await storage.authors('unit:B01')).toEqual([{ clientId: 11, user: 'alice', name: '张三' }]);
      // Nobody takes a binding over: mallory's update claims alice's 12 and a new 31; 31 becomes
      // mallory's, 12 stays alice's. A shared store refuses the whole update (types.ts), so mallory
      // holds 31 as a presence-only claim; SQLite, behind its one server's guard, stores the update.
      const [seq] = await storage.commitUpdates([
        { ...write('unit:B01', new Uint8Array([0, 0]), 'mallory', [12, 31]), name: '王五' },
      ]);
      expect(seq === 0).toBe(backend.refusesTakenClientIds);
      expect(await storage.authors('unit:B01')).toEqual([
        { clientId: 11, user: 'alice', name: '张三' },
        ...(backend.refusesTakenClientIds ? [] : [{ clientId: 31, user: 'mallory', name: '王五' }]),
      ]);
      expect(await storage.pruneReservations(now - 30 * day)).toBe(1);
      expect((await storage.loadDocument('unit:B01')).bindings).toEqual(
        new Map([
          [11, 'alice'],
          [12, 'alice'],
          [31, 'mallory'],
        ]),
      );
    });

    it('keeps unreadable updates aside', async () => {
      const storage = await backend.open();
      const [seq] = await storage.commitUpdates([write('unit:Q', new Uint8Array([1, 2, 3]))]);
      await storage.quarantine('unit:Q', [{ seq: seq!, error: 'does not apply' }]);
      await storage.quarantine('unit:Q', [{ seq: seq!, error: 'does not apply' }]);
      expect((await storage.quarantined()).map((q) => [q.seq, q.doc, q.error])).toEqual([
        [seq, 'unit:Q', 'does not apply'],
      ]);
    });

    it('appends the view log, records a resent view once, and answers by subject, user and time', async () => {
      const storage = await backend.open();
      const view = (id: string, user: string, subjectId: string, time: number) => ({
        id,
        user,
        name: user,
        subjectType: 'cadre' as const,
        subjectId,
        unit: 'A01',
        view: 'sidepanel',
        clientTime: time - 5,
        time,
      });
      expect(
        await storage.recordViews([view('v-000001', 'wang', 'C001', 1000), view('v-000002', 'wang', 'C002', 2000)]),
      ).toBe(2);
      // The same batch again (its answer was lost) adds nothing; another user's same id is theirs.
      expect(
        await storage.recordViews([view('v-000001', 'wang', 'C001', 1000), view('v-000001', 'li', 'C001', 3000)]),
      ).toBe(1);
      expect((await storage.views({ subjectId: 'C001' })).map((e) => [e.user, e.time])).toEqual([
        ['wang', 1000],
        ['li', 3000],
      ]);
      expect((await storage.views({ user: 'wang', since: 1500 })).map((e) => e.subjectId)).toEqual(['C002']);
      expect((await storage.views({ limit: 1 })).map((e) => e.user)).toEqual(['li']);
    });
  });
}

describe.skipIf(!postgresUp)('the view log on PostgreSQL', () => {
  it('refuses UPDATE, DELETE and TRUNCATE, whoever asks', async () => {
    const storage = await postgres();
    await storage.recordViews([
      {
        id: 'v-000001',
        user: 'wang',
        name: '王',
        subjectType: 'cadre',
        subjectId: 'C001',
        unit: 'A01',
        view: 'print',
        clientTime: 1,
        time: 2,
      },
    ]);
    await expect(storage.pool.query(`UPDATE views SET "user" = 'someone'`)).rejects.toThrow(/append-only/);
    await expect(storage.pool.query('DELETE FROM views')).rejects.toThrow(/append-only/);
    await expect(storage.pool.query('TRUNCATE views')).rejects.toThrow(/append-only/);
    expect((await storage.views({})).map((e) => e.user)).toEqual(['wang']);
  });
});

describe.skipIf(!postgresUp)('PostgreSQL shared by several instances', () => {
  it('never lets two instances bind one clientID to two users: the second write is refused', async () => {
    const a = await postgres();
    const b = await a.open();
    const [first, second] = await Promise.all([
      a.commitUpdates([write('unit:C', edits(['x'])[0]!, 'alice', [77])]),
      b.commitUpdates([write('unit:C', edits(['y'])[0]!, 'mallory', [77])]),
    ]);
    expect([first![0]! > 0, second![0]! > 0].filter(Boolean)).toHaveLength(1);
    const owner = (await a.loadDocument('unit:C')).bindings.get(77);
    expect(owner).toBe(first![0]! > 0 ? 'alice' : 'mallory');
    // Presence on one instance claims it for the other as well.
    await b.bindClientIds('unit:C', 'carol', 'carol', [88], Date.now());
    expect(await a.commitUpdates([write('unit:C', edits(['z'])[0]!, 'dave', [88])])).toEqual([0]);
    expect((await a.audit({ doc: 'unit:C' })).map((entry) => entry.user)).toEqual([owner]);
  });

  it('compaction on one instance never folds away what another committed meanwhile', async () => {
    const a = await postgres();
    const b = await a.open();
    const author = new Y.Doc();
    const [early] = edits(['early'], author);
    const [seqEarly] = await a.commitUpdates([write('unit:D', early!)]);
    // B commits after A read its state, and A compacts "through" a seq that covers B's write.
    const [late] = edits(['late'], author);
    const [seqLate] = await b.commitUpdates([write('unit:D', late!)]);
    const aState = new Y.Doc();
    Y.applyUpdate(aState, early!);
    await a.compact('unit:D', Y.encodeStateAsUpdate(aState), seqLate!);
    expect(seqLate).toBeGreaterThan(seqEarly!);
    expect(contentOf(await b.loadDocument('unit:D'))).toEqual({ early: 'value of early', late: 'value of late' });
    // A cursor behind the compaction still gets the content, as the document's snapshot.
    const behind = await b.changesSince({ seq: seqEarly!, revocation: 0 });
    const doc = new Y.Doc();
    Y.applyUpdate(doc, early!);
    for (const change of behind.updates) Y.applyUpdate(doc, change.data);
    expect(doc.getMap('m').get('late')).toBe('value of late');
  });

  it('applies its migrations once, however many instances start together', async () => {
    const a = await postgres();
    await Promise.all([a.open(), a.open(), a.open()]);
    const { rows } = await (
      a as unknown as { pool: { query(q: string): Promise<{ rows: { version: number }[] }> } }
    ).pool.query('SELECT version FROM dossierlens_migrations ORDER BY version');
    expect(rows.map((row) => row.version)).toEqual(migrations.map((_, i) => i + 1));
  });
});
