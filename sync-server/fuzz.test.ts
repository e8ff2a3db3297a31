/**
 * A seeded fuzzer of hostile frames and updates against one server while honest colleagues keep
 * working in the same documents. Among the attacks: everything issue 10 reported (nested types, a
 * clientID claimed from presence, thousands of clientIDs in one frame, a document grown without
 * end, a huge presence, a presence under someone else's name), mutations of real updates, and
 * random frames. The run must leave:
 *   - the server serving: honest clients stay connected and converge, and a newcomer syncs;
 *   - no frame answered with an internal error (1011), and no process-level failure;
 *   - memory bounded (the heap grows by less than a fixed budget);
 *   - nothing invalid stored: every stored update applies in order, nothing is left pending, no Y
 *     type deeper than the guard allows, and no honest user's clientID bound to someone else.
 * Reproducible: the seed is printed on failure; FUZZ_SEED=<n> replays a run.
 */
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { encodeSyncStep1, encodeUpdate } from './protocol.ts';
import { replayStored } from './replay.ts';
import { openSqliteStorage } from './storage/sqlite.ts';
import { rawClient, stockClient, synced, waitFor } from './testing.ts';
import { awarenessFrame, manyClientIdsUpdate, nestedChain, updatesOf } from './testing-frames.ts';
import { useFileServer } from './testing-fixture.ts';
import { maxTypeDepth } from './update-guard.ts';

const seed = Number(process.env.FUZZ_SEED ?? 20261206);
const attacksPerRun = 360;
const docs = ['unit:F01', 'unit:F02', 'notes:F01'];

/** mulberry32: small, seeded, good enough to pick attacks and bytes. */
function random(seedValue: number): () => number {
  let state = seedValue >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Context {
  rand: () => number;
  /** clientIDs of the honest colleagues in the target document (read from their presence). */
  victims: number[];
  /** Real updates to mutate. */
  corpus: Uint8Array[];
}

/** A map's content with its keys in order: peers insert in different orders. */
const sorted = (map: Y.Map<unknown>) =>
  JSON.stringify(Object.entries(map.toJSON()).sort(([a], [b]) => (a < b ? -1 : 1)));
const int = (ctx: Context, below: number) => Math.floor(ctx.rand() * below);
const bytes = (ctx: Context, length: number) => Uint8Array.from({ length }, () => int(ctx, 256));
const pick = <T>(ctx: Context, list: readonly T[]): T => list[int(ctx, list.length)]!;

function structUnder(clientID: number, clock: number, change: (doc: Y.Doc) => void): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  if (clock > 0) doc.getText('pad').insert(0, 'p'.repeat(clock));
  const before = Y.encodeStateVector(doc);
  change(doc);
  return Y.encodeStateAsUpdate(doc, before);
}

/** Each attack: the frames one hostile connection sends. */
const attacks: Record<string, (ctx: Context) => Uint8Array[]> = {
  'random bytes': (ctx) => [bytes(ctx, 1 + int(ctx, 200))],
  'random behind a protocol prefix': (ctx) => [
    new Uint8Array([...pick(ctx, [[0, 0], [0, 1], [0, 2], [1], [3]]), ...bytes(ctx, int(ctx, 120))]),
  ],
  'truncated real update': (ctx) => {
    const update = pick(ctx, ctx.corpus);
    return [encodeUpdate(update.slice(0, Math.max(1, int(ctx, update.length))))];
  },
  'bit-flipped real update': (ctx) => {
    const update = pick(ctx, ctx.corpus).slice();
    for (let i = 0; i < 1 + int(ctx, 4); i++) update[int(ctx, update.length)]! ^= 1 << int(ctx, 8);
    return [encodeUpdate(update)];
  },
  'nested Y types and their deletion': (ctx) => {
    const { nested, deleteRoot } = nestedChain(maxTypeDepth + 1 + int(ctx, 3000), 1 + int(ctx, 2 ** 30));
    return [encodeUpdate(nested), encodeUpdate(deleteRoot)];
  },
  'deeply nested value': (ctx) => {
    let value: unknown = 'leaf';
    for (let i = 0; i < 40 + int(ctx, 400); i++) value = ctx.rand() < 0.5 ? [value] : { v: value };
    const doc = new Y.Doc();
    return [encodeUpdate(updatesOf(doc, () => doc.getMap('records').set('r', value)))];
  },
  'clock far ahead under a colleague’s clientID': (ctx) =>
    ctx.victims.length === 0
      ? []
      : [
          encodeUpdate(
            structUnder(pick(ctx, ctx.victims), 1 + int(ctx, 100_000), (doc) => doc.getMap('m').set('forged', 1)),
          ),
        ],
  'new content under a colleague’s clientID': (ctx) =>
    ctx.victims.length === 0
      ? []
      : [encodeUpdate(structUnder(pick(ctx, ctx.victims), 0, (doc) => doc.getMap('m').set('forged', 1)))],
  'content referring to what does not exist': () => {
    const author = new Y.Doc();
    updatesOf(author, () => author.getArray('log').insert(0, ['first']));
    return [encodeUpdate(updatesOf(author, () => author.getArray('log').insert(1, ['second'])))];
  },
  'deletion of the future': (ctx) => {
    const encoder = encoding.createEncoder();
    for (const n of [0, 1, ctx.victims[0] ?? 77, 1, 1_000_000 + int(ctx, 1000), 5]) encoding.writeVarUint(encoder, n);
    return [encodeUpdate(encoding.toUint8Array(encoder))];
  },
  'thousands of clientIDs in one frame': (ctx) => [encodeUpdate(manyClientIdsUpdate(300 + int(ctx, 20_000)))],
  'growing the document without end': (ctx) => {
    const doc = new Y.Doc();
    return Array.from({ length: 8 }, () =>
      encodeUpdate(updatesOf(doc, () => doc.getText('t').insert(0, 'g'.repeat(100_000 + int(ctx, 50_000))))),
    );
  },
  'huge presence': (ctx) => [
    awarenessFrame([
      {
        id: 1 + int(ctx, 2 ** 30),
        clock: 1,
        state: JSON.stringify({ user: { name: 'x' }, blob: 'b'.repeat(200_000 + int(ctx, 600_000)) }),
      },
    ]),
  ],
  'presence under a colleague’s clientID': (ctx) =>
    ctx.victims.length === 0
      ? []
      : [
          awarenessFrame([
            { id: pick(ctx, ctx.victims), clock: 1_000_000, state: JSON.stringify({ user: { name: 'impostor' } }) },
          ]),
        ],
  'presence that is not JSON': (ctx) => [awarenessFrame([{ id: 1 + int(ctx, 1000), clock: 1, state: '{"user":' }])],
  'garbage state vector': (ctx) => [encodeSyncStep1(bytes(ctx, 1 + int(ctx, 40)))],
  'frame past the size limit': () => [new Uint8Array(2 * 1024 * 1024 + 1)],
  'flood of small frames': () => Array.from({ length: 400 }, () => new Uint8Array([3])),
};
const attackNames = Object.keys(attacks);

/** Real updates of every shape the layout uses, made the same way on every run, to mutate. */
function corpus(): Uint8Array[] {
  const doc = new Y.Doc();
  doc.clientID = 4242;
  const out: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => out.push(update));
  for (let i = 0; i < 30; i++) {
    doc.getMap('records').set(`r${i}`, JSON.stringify({ id: `r${i}`, summary: '记录摘要'.repeat(i % 4) }));
    doc.getMap('edits').set(`records/r${i}/summary`, { value: `v${i}`, by: 'li', at: '2024-06-30T08:00:00.000Z' });
    doc.getArray('log').push([{ collection: 'records', id: `r${i}`, n: i }]);
    if (i % 5 === 4) doc.getMap('records').delete(`r${i - 2}`);
  }
  return out;
}

// The honest colleagues' clients are destroyed after the test, the server after the file.
const { server, providers: honest } = useFileServer({
  idleUnloadMs: 200,
  maxDocumentBytes: 4 * 1024 * 1024,
  maxDailyBytesPerUser: 256 * 1024,
  maxFrameBytes: 2 * 1024 * 1024,
  messagesPerSecond: 200,
  messageBurst: 300,
  closeTimeoutMs: 300,
  handshakeTimeoutMs: 2000,
  maxConnectionsPerUser: 64,
});
const tally = new Map<string, Map<number, number>>();

describe('seeded fuzzer of hostile frames and updates', () => {
  it(`keeps serving, stays within memory and stores nothing invalid (seed ${seed})`, { timeout: 120_000 }, async () => {
    const ctx: Context = { rand: random(seed), victims: [], corpus: corpus() };
    // Colleagues at work: two editors per document, present and writing all along.
    for (const doc of docs) {
      for (const user of ['alice', 'bob']) {
        const provider = stockClient(server.url, doc, server.token(user, [{ role: 'editor', doc: '*' }]));
        provider.awareness.setLocalStateField('user', { name: user });
        honest.push(provider);
      }
    }
    await Promise.all(honest.map(synced));
    let edits = 0;
    const work = setInterval(() => {
      for (const provider of honest) provider.doc.getMap('work').set(`e${edits++}`, provider.doc.clientID);
    }, 25);
    const heapBefore = process.memoryUsage().heapUsed;
    try {
      for (let i = 0; i < attacksPerRun; i++) {
        const doc = pick(ctx, docs);
        ctx.victims = honest.filter((p) => p.roomname === doc).map((p) => p.doc.clientID);
        const name = pick(ctx, attackNames);
        const frames = attacks[name]!(ctx);
        const attacker = await rawClient(
          server.url,
          doc,
          server.token(`mallory-${i % 7}`, [{ role: pick(ctx, ['viewer', 'editor', 'admin']), doc: '*' }]),
        );
        let ended: number | null = null;
        void attacker.closed.then((closed) => {
          ended = closed.code;
        });
        const syncFrames = () => attacker.frames.filter((frame) => frame[0] === 0).length;
        attacker.ws.send(encodeSyncStep1(new Uint8Array([0])));
        await waitFor(() => syncFrames() >= 2 || ended !== null, 'the handshake', 15_000);
        for (const frame of frames) if (attacker.ws.readyState === attacker.ws.OPEN) attacker.ws.send(frame);
        // Frames are handled in order: a step 1 sent last is answered only after all of them.
        const before = syncFrames();
        if (attacker.ws.readyState === attacker.ws.OPEN) attacker.ws.send(encodeSyncStep1(new Uint8Array([0])));
        const code = await waitFor(
          () => ended !== null || syncFrames() >= before + 2,
          'an answer or a close',
          10_000,
        ).then(
          () => ended ?? 0,
          () => -1,
        );
        attacker.ws.terminate();
        const counts = tally.get(name) ?? new Map<number, number>();
        counts.set(code, (counts.get(code) ?? 0) + 1);
        tally.set(name, counts);
      }
    } finally {
      clearInterval(work);
    }
    const outcomes = [...tally.values()].flatMap((counts) => [...counts.keys()]);
    const summary = Object.fromEntries([...tally].map(([name, counts]) => [name, Object.fromEntries(counts)]));
    // Never an internal error, never a hang: only the documented refusals (or still open).
    expect({
      seed,
      unexpected: outcomes.filter((code) => ![0, 1009, 4400, 4413, 4422, 4529].includes(code)),
      summary,
    }).toMatchObject({ unexpected: [] });

    // Still serving: the colleagues never lost their connection, converged, and a newcomer syncs.
    expect({
      disconnected: honest.filter((provider) => !provider.wsconnected).map((p) => p.roomname),
      logs: server.logs.filter((line) => /"user":"(alice|bob)"/u.test(line) && /refused|failed/u.test(line)),
    }).toEqual({ disconnected: [], logs: [] });
    for (const doc of docs) {
      const [a, b] = honest.filter((p) => p.roomname === doc);
      await waitFor(
        () => sorted(a!.doc.getMap('work')) === sorted(b!.doc.getMap('work')),
        `${doc} to converge`,
        10_000,
      );
      const newcomer = stockClient(server.url, doc, server.token('newcomer', ['viewer', '*']));
      await waitFor(
        () => newcomer.doc.getMap('work').size >= a!.doc.getMap('work').size,
        `a newcomer to ${doc} to sync`,
        10_000,
      );
      newcomer.destroy();
    }
    expect((await fetch(`${server.url.replace('ws:', 'http:')}/healthz`)).status).toBe(200);

    // Memory: attacks are refused before they are held (budget well above the documents' caps).
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    expect(heapGrowth).toBeLessThan(200 * 1024 * 1024);

    // Nothing invalid stored.
    const storage = openSqliteStorage(server.dataDir);
    try {
      for (const doc of docs) {
        const stored = await storage.loadDocument(doc);
        const { ydoc, skipped } = replayStored(stored);
        expect({ doc, skipped }).toEqual({ doc, skipped: [] });
        expect(ydoc.store.pendingStructs).toBeNull();
        expect(ydoc.store.pendingDs).toBeNull();
        expect(ydoc.getMap('m').has('forged')).toBe(false);
        for (const provider of honest.filter((p) => p.roomname === doc)) {
          const owner = stored.bindings.get(provider.doc.clientID);
          expect(owner === undefined || owner === 'alice' || owner === 'bob').toBe(true);
        }
        expect(sorted(ydoc.getMap('work'))).toBe(sorted(honest.find((p) => p.roomname === doc)!.doc.getMap('work')));
        ydoc.destroy();
      }
    } finally {
      await storage.close();
    }
    expect(edits).toBeGreaterThan(0);
  });
});
