/**
 * The server over real sockets on loopback with a real SQLite file: stock y-websocket 3 clients,
 * raw sockets for crafted frames, the HTTP API, and the admin operations against a live server.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { backup, exportDocument, importDocument, readAudit, revoke } from './admin.ts';
import {
  encodeAwareness,
  encodeSyncStep1,
  encodeUpdate,
  messageAuth,
  messageAwareness,
  messageSync,
  syncStep1,
  syncStep2,
} from './protocol.ts';
import { awarenessClientIds } from './presence.ts';
import { openSqliteStorage } from './storage/sqlite.ts';
import {
  type TestServer,
  rawClient,
  startTestServer,
  stockClient,
  synced,
  tempDataDir,
  upgradeStatus,
  waitFor,
} from './testing.ts';
import { mintToken } from './token.ts';

const data = tempDataDir();
let server: TestServer;
const providers: WebsocketProvider[] = [];
const minted: string[] = [];

function token(
  user: string,
  role: 'viewer' | 'annotator' | 'editor' | 'admin',
  doc = 'unit:*',
  ttlSeconds = 3600,
): string {
  const value = server.token(user, [role, doc], ttlSeconds);
  minted.push(value);
  return value;
}

function client(
  doc: string,
  tokenValue: string,
  transport: 'query' | 'subprotocol' = 'query',
  ydoc?: Y.Doc,
): WebsocketProvider {
  const provider = stockClient(server.url, doc, tokenValue, transport, ydoc);
  providers.push(provider);
  return provider;
}

beforeAll(async () => {
  server = await startTestServer(data.dir, { idleUnloadMs: 100 });
});

afterEach(() => {
  for (const provider of providers.splice(0)) provider.destroy();
});

afterAll(async () => {
  await server.close();
  data.remove();
});

function updateOf(change: (doc: Y.Doc) => void, clientID?: number): Uint8Array {
  const doc = new Y.Doc();
  if (clientID !== undefined) doc.clientID = clientID;
  let captured: Uint8Array | null = null;
  doc.on('update', (update: Uint8Array) => {
    captured = update;
  });
  change(doc);
  if (captured === null) throw new Error('no update');
  return captured;
}

async function storedState(doc: string): Promise<Y.Doc> {
  const ydoc = new Y.Doc();
  Y.applyUpdate(ydoc, await exportDocument(data.dir, doc));
  return ydoc;
}

describe('stock clients', () => {
  it('converge, with the token in the query or as a subprotocol (echoed as dossierlens only)', async () => {
    const a = client('unit:A01', token('alice', 'editor'));
    const b = client('unit:A01', token('bob', 'editor'), 'subprotocol');
    await Promise.all([synced(a), synced(b)]);
    expect((b.ws as unknown as { protocol: string }).protocol).toBe('dossierlens');
    a.doc.getMap('cadres').set('c1', { name: '王五' });
    b.doc.getMap('cadres').set('c2', { name: '赵六' });
    await waitFor(() => a.doc.getMap('cadres').size === 2 && b.doc.getMap('cadres').size === 2, 'convergence');
    expect(a.doc.getMap('cadres').toJSON()).toEqual(b.doc.getMap('cadres').toJSON());
    expect((await storedState('unit:A01')).getMap('cadres').toJSON()).toEqual(a.doc.getMap('cadres').toJSON());
  });
});

describe('viewers', () => {
  it("never get a write into the store or to a peer, and still receive everyone's edits", async () => {
    const editor = client('unit:V01', token('erin', 'editor'));
    const viewer = client('unit:V01', token('victor', 'viewer'), 'subprotocol');
    await Promise.all([synced(editor), synced(viewer)]);
    const refusedBefore = server.metrics.refusalCount('read-only');
    viewer.doc.getMap('records').set('forged', { kind: 'red' });
    await waitFor(() => server.metrics.refusalCount('read-only') > refusedBefore, 'the viewer write to be refused');
    editor.doc.getMap('records').set('r1', { kind: 'blue' });
    await waitFor(() => viewer.doc.getMap('records').has('r1'), 'the viewer to receive the edit');
    expect(editor.doc.getMap('records').has('forged')).toBe(false);
    expect((await storedState('unit:V01')).getMap('records').has('forged')).toBe(false);
    expect((await readAudit(data.dir, { user: 'victor' })).length).toBe(0);
  });

  it('answers a viewer write with a permission-denied auth message', async () => {
    const raw = await rawClient(server.url, 'unit:V02', token('vera', 'viewer'));
    raw.ws.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
    raw.ws.send(encodeUpdate(updateOf((doc) => doc.getMap('m').set('k', 1))));
    await waitFor(() => raw.frames.some((frame) => frame[0] === messageAuth), 'permission denied');
    const denied = decoding.createDecoder(raw.frames.find((frame) => frame[0] === messageAuth)!);
    decoding.readVarUint(denied);
    expect(decoding.readVarUint(denied)).toBe(0);
    expect(decoding.readVarString(denied)).toMatch(/read-only/u);
    raw.ws.close();
  });
});

describe('refused tokens', () => {
  it('refuses missing, forged, expired and revoked tokens with 401, and other documents with 403', async () => {
    expect(await upgradeStatus(server.url, 'unit:R01', token('rita', 'editor'))).toBe(101);
    expect(
      await upgradeStatus(server.url, 'unit:R01', token('rita', 'editor'), [
        'dossierlens',
        `auth.${token('rita', 'editor')}`,
      ]),
    ).toBe(101);
    expect(await upgradeStatus(server.url, 'unit:R01', null)).toBe(401);
    const forged = mintToken(randomBytes(32), {
      user: 'mallory',
      grants: [{ role: 'admin', doc: '*' }],
      ttlSeconds: 60,
    }).token;
    minted.push(forged);
    expect(await upgradeStatus(server.url, 'unit:R01', forged)).toBe(401);
    expect(await upgradeStatus(server.url, 'unit:R01', null, ['dossierlens', `auth.${forged}`])).toBe(401);
    const expired = mintToken(Buffer.from(readFileSync(join(data.dir, 'secret.key'), 'utf8').trim(), 'hex'), {
      user: 'rita',
      grants: [{ role: 'editor', doc: 'unit:*' }],
      ttlSeconds: 60,
      now: Date.now() - 3_600_000,
    }).token;
    minted.push(expired);
    expect(await upgradeStatus(server.url, 'unit:R01', expired)).toBe(401);
    const revoked = token('rex', 'editor');
    await revoke(data.dir, { user: 'rex' });
    expect(await upgradeStatus(server.url, 'unit:R01', revoked)).toBe(401);
    expect(await upgradeStatus(server.url, 'notes:R01', token('rita', 'editor', 'unit:*'))).toBe(403);
    expect(await upgradeStatus(server.url, 'workspace', token('rita', 'editor', 'unit:R01'))).toBe(403);
    expect(await upgradeStatus(server.url, 'not-a-document', token('rita', 'admin', '*'))).toBe(400);
  });

  it('closes open sockets of a revoked user with 4401, and a stock client stops reconnecting', async () => {
    const provider = client('unit:R02', token('ruth', 'editor'));
    const other = client('unit:R02', token('sam', 'editor'));
    await Promise.all([synced(provider), synced(other)]);
    const closed = new Promise<{ code: number }>((resolve) => provider.once('closed', resolve));
    await revoke(data.dir, { user: 'ruth' });
    expect((await closed).code).toBe(4401);
    expect(provider.shouldConnect).toBe(false);
    expect(other.wsconnected).toBe(true);
  });

  it('closes a socket whose token expires while connected, with 4401', async () => {
    const provider = client('unit:R04', token('eve', 'editor', 'unit:*', 1));
    const closed = new Promise<{ code: number }>((resolve) => provider.once('closed', resolve));
    expect((await closed).code).toBe(4401);
    expect(provider.shouldConnect).toBe(false);
  });

  it('closes a socket whose token is revoked by id (jti)', async () => {
    const value = token('jules', 'editor');
    const jti = JSON.parse(Buffer.from(value.split('.')[1]!, 'base64url').toString()).jti as string;
    const raw = await rawClient(server.url, 'unit:R03', value);
    await revoke(data.dir, { jti });
    expect((await raw.closed).code).toBe(4401);
  });
});

describe('bad input', () => {
  it.each([
    ['a truncated varint', new Uint8Array([0x80])],
    ['an unknown message type', new Uint8Array([42, 0])],
    ['a garbage update', encodeUpdate(new Uint8Array(randomBytes(64)))],
    ['a garbage state vector', encodeSyncStep1(new Uint8Array([5, 0x80]))],
    ['a garbage awareness update', encodeAwareness(new Uint8Array([1, 2]))],
  ])('%s closes only that connection (4400)', async (_what, frame) => {
    const bystander = client('unit:M01', token('bea', 'editor'));
    await synced(bystander);
    const raw = await rawClient(server.url, 'unit:M01', token('mal', 'editor'));
    raw.ws.send(frame);
    expect((await raw.closed).code).toBe(4400);
    expect(bystander.wsconnected).toBe(true);
    const after = client('unit:M01', token('ben', 'editor'));
    await synced(after);
    bystander.doc.getText('t').insert(0, 'still serving');
    await waitFor(() => after.doc.getText('t').toString().includes('still serving'), 'the server to keep serving');
  });

  it('closes an oversized frame with 1009 and keeps serving', async () => {
    const raw = await rawClient(server.url, 'unit:M02', token('mal', 'editor'));
    raw.ws.send(new Uint8Array(1024 * 1024 + 10));
    expect((await raw.closed).code).toBe(1009);
    const after = client('unit:M02', token('ben', 'editor'));
    await synced(after);
  });

  it('refuses an update written with another user’s clientID', async () => {
    const alice = client('unit:C01', token('alice', 'editor'));
    await synced(alice);
    alice.doc.getMap('m').set('mine', 1);
    const updatesBefore = server.metrics.updatesTotal;
    await waitFor(() => server.metrics.updatesTotal > updatesBefore, 'the update');
    const aliceId = alice.doc.clientID;
    const raw = await rawClient(server.url, 'unit:C01', token('mallory', 'editor'));
    raw.ws.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
    // Impersonate alice's clientID, with a clock past hers so the update is new content.
    const impostor = new Y.Doc();
    Y.applyUpdate(impostor, Y.encodeStateAsUpdate(alice.doc));
    impostor.clientID = aliceId;
    let forged: Uint8Array | null = null;
    impostor.on('update', (u: Uint8Array) => {
      forged = u;
    });
    impostor.getMap('m').set('impersonated', 1);
    raw.ws.send(encodeUpdate(forged!));
    await waitFor(() => raw.frames.some((frame) => frame[0] === messageAuth), 'permission denied');
    expect((await storedState('unit:C01')).getMap('m').has('impersonated')).toBe(false);
    expect(alice.doc.getMap('m').has('impersonated')).toBe(false);
    raw.ws.close();
  });

  it('refuses awareness for another user’s clientID', async () => {
    const alice = client('unit:C02', token('alice', 'editor'));
    alice.awareness.setLocalStateField('user', { name: 'alice' });
    await synced(alice);
    const raw = await rawClient(server.url, 'unit:C02', token('mallory', 'viewer'));
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarUint(encoder, alice.doc.clientID);
    encoding.writeVarUint(encoder, 999);
    encoding.writeVarString(encoder, JSON.stringify({ user: { name: 'not alice' } }));
    const refusedBefore = server.metrics.refusalCount('awareness-id');
    raw.ws.send(encodeAwareness(encoding.toUint8Array(encoder)));
    await waitFor(() => server.metrics.refusalCount('awareness-id') > refusedBefore, 'the refusal');
    expect(alice.awareness.getLocalState()).toEqual({ user: { name: 'alice' } });
    raw.ws.close();
  });

  it('tells a newcomer who is already present in its first answer, not after the 15 s renewal', async () => {
    const alice = client('unit:C04', token('alice', 'editor'));
    alice.awareness.setLocalStateField('user', { name: 'alice' });
    await synced(alice);
    await waitFor(() => server.metrics.connections > 0, 'alice connected');
    const raw = await rawClient(server.url, 'unit:C04', token('bob', 'viewer'));
    raw.ws.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
    await waitFor(() => raw.frames.some((frame) => frame[0] === messageAwareness), 'presence');
    const frame = raw.frames.find((f) => f[0] === messageAwareness)!;
    const decoder = decoding.createDecoder(frame);
    decoding.readVarUint(decoder);
    const update = decoding.readVarUint8Array(decoder);
    const ids = awarenessClientIds(update);
    expect(ids).toContain(alice.doc.clientID);
    raw.ws.close();
  });

  it('quietly drops peers’ awareness echoed by a stock client and keeps the client’s own', async () => {
    // y-websocket re-broadcasts every awareness change it sees, its peers' included.
    const alice = client('unit:C03', token('alice', 'editor'));
    alice.awareness.setLocalStateField('user', { name: 'alice' });
    await synced(alice);
    const raw = await rawClient(server.url, 'unit:C03', token('bob', 'editor'));
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 2);
    encoding.writeVarUint(encoder, 4242); // bob's own clientID
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarString(encoder, JSON.stringify({ user: { name: 'bob' } }));
    encoding.writeVarUint(encoder, alice.doc.clientID); // alice's state, echoed back (removed)
    encoding.writeVarUint(encoder, 999);
    encoding.writeVarString(encoder, 'null');
    raw.ws.send(encodeAwareness(encoding.toUint8Array(encoder)));
    await waitFor(() => alice.awareness.getStates().get(4242) !== undefined, 'bob’s presence at alice');
    expect(alice.awareness.getStates().get(4242)).toEqual({ user: { id: 'bob', name: 'bob' } });
    expect(raw.frames.some((frame) => frame[0] === messageAuth)).toBe(false);
    raw.ws.close();
  });
});

describe('fuzzed frames', () => {
  it(
    'random and half-valid frames close at most their own connection; the server keeps serving',
    { timeout: 30_000 },
    async () => {
      const prefixes = [[], [0], [0, 0], [0, 1], [0, 2], [1], [3]];
      const samples = fc.sample(
        fc
          .tuple(fc.constantFrom(...prefixes), fc.uint8Array({ minLength: 0, maxLength: 64 }))
          .map(([prefix, tail]) => new Uint8Array([...prefix, ...tail])),
        { numRuns: 150, seed: 20261125 },
      );
      const bystander = client('unit:F01', token('bea', 'editor'));
      await synced(bystander);
      const value = token('fuzz', 'editor');
      const outcomes = await Promise.all(
        samples.map(async (frame) => {
          const raw = await rawClient(server.url, 'unit:F01', value);
          raw.ws.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
          raw.ws.send(frame);
          // A query-awareness round trip: answered only if the connection survived the frame.
          raw.ws.send(new Uint8Array([3]));
          const outcome = await Promise.race([
            raw.closed.then((closed) => closed.code),
            new Promise<number>((resolve) => setTimeout(() => resolve(0), 1500)),
          ]);
          raw.ws.terminate();
          return outcome;
        }),
      );
      // Every frame either was harmless (still open: 0) or closed its connection as malformed or as
      // an update the server refuses to store (4422: e.g. a header claiming hundreds of clientIDs).
      expect(outcomes.filter((code) => code !== 0 && code !== 4400 && code !== 4422)).toEqual([]);
      expect(outcomes.filter((code) => code === 4400).length).toBeGreaterThan(0);
      expect(bystander.wsconnected).toBe(true);
      const after = client('unit:F01', token('ben', 'editor'));
      await synced(after);
      bystander.doc.getText('t').insert(0, 'alive');
      await waitFor(() => after.doc.getText('t').toString() === 'alive', 'the server to keep serving');
      expect((await fetch(`${server.url.replace('ws:', 'http:')}/healthz`)).status).toBe(200);
    },
  );
});

describe('durable acknowledgement', () => {
  it('answers step 1 with step 2 then the server’s own state vector, which covers what was sent', async () => {
    const raw = await rawClient(server.url, 'unit:D01', token('dora', 'editor'));
    const local = new Y.Doc();
    let update: Uint8Array | null = null;
    local.on('update', (u: Uint8Array) => {
      update = u;
    });
    local.getMap('m').set('k', 'v');
    raw.ws.send(encodeUpdate(update!));
    raw.ws.send(encodeSyncStep1(Y.encodeStateVector(local)));
    await waitFor(() => raw.frames.length >= 2, 'step 2 and step 1');
    const kinds = raw.frames.slice(0, 2).map((frame) => [frame[0], frame[1]]);
    expect(kinds).toEqual([
      [messageSync, syncStep2],
      [messageSync, syncStep1],
    ]);
    const decoder = decoding.createDecoder(raw.frames[1]!);
    decoding.readVarUint(decoder);
    decoding.readVarUint(decoder);
    const serverVector = Y.decodeStateVector(decoding.readVarUint8Array(decoder));
    expect(serverVector.get(local.clientID)).toBe(1);
    // ...and what the state vector acknowledges is in storage, read by another connection.
    const storage = openSqliteStorage(data.dir);
    const stored = await storage.loadDocument('unit:D01');
    await storage.close();
    expect(stored.updates.length).toBe(1);
    raw.ws.close();
  });
});

describe('audit and history', () => {
  it('answers who wrote what, from the CLI store and over HTTP', async () => {
    const alice = client('notes:H01', token('alice', 'annotator', 'notes:*'));
    const carol = client('notes:H01', token('carol', 'editor', 'notes:*'));
    await Promise.all([synced(alice), synced(carol)]);
    alice.doc.getArray('threads').push(['alice says']);
    await waitFor(() => carol.doc.getArray('threads').length === 1, 'alice’s note');
    carol.doc.getArray('threads').push(['carol says']);
    await waitFor(() => alice.doc.getArray('threads').length === 2, 'carol’s note');
    const entries = await readAudit(data.dir, { doc: 'notes:H01' });
    expect(entries.map((entry) => entry.user)).toEqual(['alice', 'carol']);
    expect(entries[0]!.clientIds).toEqual([alice.doc.clientID]);
    expect(entries[1]!.clientIds).toEqual([carol.doc.clientID]);
    expect(entries[0]!.hash).toMatch(/^[0-9a-f]{64}$/u);

    const http = server.url.replace('ws:', 'http:');
    const origin = 'chrome-extension://abcdefghijklmnop';
    const history = await fetch(`${http}/history?doc=notes:H01`, {
      headers: { Authorization: `Bearer ${token('vic', 'viewer', 'notes:*')}`, Origin: origin },
    });
    expect(history.status).toBe(200);
    expect(history.headers.get('access-control-allow-origin')).toBe(origin);
    const body = (await history.json()) as { entries: { user: string; clientIds: number[] }[] };
    expect(body.entries.map((entry) => entry.user)).toEqual(['alice', 'carol']);
    expect(
      (
        await fetch(`${http}/history?doc=notes:H01`, {
          headers: { Authorization: `Bearer ${token('vic', 'viewer', 'unit:*')}` },
        })
      ).status,
    ).toBe(403);
    expect((await fetch(`${http}/history?doc=notes:H01`)).status).toBe(401);
    const preflight = await fetch(`${http}/history?doc=notes:H01`, {
      method: 'OPTIONS',
      headers: { Origin: 'moz-extension://0f0e-aa11', 'Access-Control-Request-Headers': 'authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('moz-extension://0f0e-aa11');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/authorization/iu);
    // Who each clientID is, for views to name authors by (core/sync/authors.ts).
    const authors = await fetch(`${http}/authors?doc=notes:H01`, {
      headers: { Authorization: `Bearer ${token('vic', 'viewer', 'notes:*')}`, Origin: origin },
    });
    expect(authors.headers.get('access-control-allow-origin')).toBe(origin);
    // In the order bound: alice's and carol's presence may arrive in the same millisecond, either first.
    const bound = ((await authors.json()) as { authors: { user: string }[] }).authors;
    expect(bound.sort((a, b) => a.user.localeCompare(b.user))).toEqual([
      { clientId: alice.doc.clientID, user: 'alice', name: 'alice' },
      { clientId: carol.doc.clientID, user: 'carol', name: 'carol' },
    ]);
    expect(
      (
        await fetch(`${http}/authors?doc=notes:H01`, {
          headers: { Authorization: `Bearer ${token('vic', 'viewer', 'unit:*')}` },
        })
      ).status,
    ).toBe(403);
    const limited = await fetch(`${http}/history?doc=notes:H01&limit=1`, {
      headers: { Authorization: `Bearer ${token('vic', 'viewer', 'notes:*')}` },
    });
    expect(((await limited.json()) as { entries: { user: string }[] }).entries.map((entry) => entry.user)).toEqual([
      'carol',
    ]);
    const evil = await fetch(`${http}/whoami`, {
      headers: { Authorization: `Bearer ${token('vic', 'viewer')}`, Origin: 'https://evil.example' },
    });
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const mine = await fetch(`${http}/whoami`, { headers: { Authorization: `Bearer ${token('vic', 'viewer')}` } });
    const whoami = (await mine.json()) as { user: string; grants: unknown };
    expect(whoami).toMatchObject({ user: 'vic', grants: [{ role: 'viewer', doc: 'unit:*' }] });
    expect((await fetch(`${http}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${http}/metrics`)).text()).toMatch(/dossierlens_updates_total \d+/u);
  });
});

describe('admin operations against a running server', () => {
  it('import reaches connected clients; export and backup hold the content', async () => {
    const watcher = client('unit:I01', token('walt', 'viewer'));
    await synced(watcher);
    const source = new Y.Doc();
    source.getMap('cadres').set('imported', { name: '李四' });
    await importDocument(data.dir, 'unit:I01', Y.encodeStateAsUpdate(source), 'cli:import');
    await waitFor(() => watcher.doc.getMap('cadres').has('imported'), 'the imported content to reach the client');
    expect((await storedState('unit:I01')).getMap('cadres').get('imported')).toEqual({ name: '李四' });
    const copy = tempDataDir();
    try {
      await backup(data.dir, join(copy.dir, 'backup'));
      const restored = new Y.Doc();
      Y.applyUpdate(restored, await exportDocument(join(copy.dir, 'backup'), 'unit:I01'));
      expect(restored.getMap('cadres').get('imported')).toEqual({ name: '李四' });
    } finally {
      copy.remove();
    }
  });

  it('unloads idle documents and reloads them from storage', async () => {
    const first = client('unit:U01', token('uma', 'editor'));
    await synced(first);
    const updatesBefore = server.metrics.updatesTotal;
    first.doc.getText('t').insert(0, 'persisted');
    await waitFor(() => server.metrics.updatesTotal > updatesBefore, 'the update to be stored');
    const loadsBefore = server.metrics.documentLoadsTotal;
    first.destroy();
    await waitFor(() => server.metrics.documentUnloadsTotal > 0 && server.metrics.documentsLoaded === 0, 'the unload');
    const second = client('unit:U01', token('uma', 'editor'));
    await waitFor(() => second.doc.getText('t').toString() === 'persisted', 'the reloaded content');
    expect(server.metrics.documentLoadsTotal).toBe(loadsBefore + 1);
  });
});

describe('compaction and batching', () => {
  it('folds the log into a snapshot, keeps the audit, and reloads the same content', async () => {
    const dir = tempDataDir();
    let small = await startTestServer(dir.dir, { compactEvery: 5, idleUnloadMs: 10 });
    try {
      const writer = stockClient(small.url, 'unit:P01', small.token('pat', ['editor', 'unit:*']));
      await synced(writer);
      for (let i = 0; i < 23; i++) writer.doc.getMap('m').set(`k${i}`, i);
      await waitFor(() => small.metrics.updatesTotal >= 23, 'all updates stored');
      writer.destroy();
      await waitFor(() => small.metrics.documentsLoaded === 0, 'the unload');
      await small.close();
      const storage = openSqliteStorage(dir.dir);
      const stored = await storage.loadDocument('unit:P01');
      const audit = await storage.audit({ doc: 'unit:P01' });
      await storage.close();
      expect(stored.snapshot).not.toBeNull();
      expect(stored.updates.length).toBe(0);
      expect(audit.length).toBe(23);
      small = await startTestServer(dir.dir);
      const reader = stockClient(small.url, 'unit:P01', small.token('pat', ['viewer', 'unit:*']));
      await synced(reader);
      expect(reader.doc.getMap('m').size).toBe(23);
      reader.destroy();
    } finally {
      await small.close();
      dir.remove();
    }
  });

  it('merges one turn’s updates per peer, never echoing a writer’s own update back', async () => {
    const a = await rawClient(server.url, 'unit:B01', token('ann', 'editor'));
    const b = await rawClient(server.url, 'unit:B01', token('bo', 'editor'));
    const c = await rawClient(server.url, 'unit:B01', token('cy', 'viewer'));
    for (const raw of [a, b, c]) raw.ws.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
    await waitFor(() => [a, b, c].every((raw) => raw.frames.length >= 2), 'the handshakes');
    for (const raw of [a, b, c]) raw.frames.length = 0;
    // Sent back to back: they arrive in the same turn of the server's event loop (most likely;
    // the assertions hold either way).
    a.ws.send(encodeUpdate(updateOf((doc) => doc.getMap('m').set('from', 'ann'))));
    b.ws.send(encodeUpdate(updateOf((doc) => doc.getArray('l').push(['from bo']))));
    const contents = (raw: typeof a) => {
      const doc = new Y.Doc();
      for (const frame of raw.frames) {
        const decoder = decoding.createDecoder(frame);
        if (decoding.readVarUint(decoder) !== messageSync) continue;
        decoding.readVarUint(decoder);
        Y.applyUpdate(doc, decoding.readVarUint8Array(decoder));
      }
      return { map: doc.getMap('m').toJSON(), list: doc.getArray('l').toJSON() };
    };
    await waitFor(() => contents(c).list.length === 1 && contents(c).map.from === 'ann', 'the viewer to get both');
    await waitFor(
      () => contents(a).list.length === 1 && contents(b).map.from === 'ann',
      'each writer to get the other’s',
    );
    expect(contents(a).map).toEqual({});
    expect(contents(b).list).toEqual([]);
    for (const raw of [a, b, c]) raw.ws.close();
  });
});

describe('limits', () => {
  it('closes a connection over its message rate (4529) and one that never starts syncing (4508)', async () => {
    const dir = tempDataDir();
    const strict = await startTestServer(dir.dir, { messagesPerSecond: 5, messageBurst: 5, handshakeTimeoutMs: 200 });
    try {
      const flood = await rawClient(strict.url, 'unit:L01', strict.token('fred', ['editor', 'unit:*']));
      flood.ws.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
      for (let i = 0; i < 20; i++) flood.ws.send(new Uint8Array([3]));
      expect((await flood.closed).code).toBe(4529);
      const silent = await rawClient(strict.url, 'unit:L01', strict.token('sid', ['editor', 'unit:*']));
      expect((await silent.closed).code).toBe(4508);
    } finally {
      await strict.close();
      dir.remove();
    }
  });
});

describe('logs', () => {
  it('never contain a token', () => {
    expect(minted.length).toBeGreaterThan(10);
    const text = server.logs.join('\n');
    expect(text).toMatch(/upgrade refused/u);
    for (const value of minted) {
      expect(text).not.toContain(value);
      expect(text).not.toContain(value.split('.')[2]!);
    }
  });
});
