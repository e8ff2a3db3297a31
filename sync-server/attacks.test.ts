/**
 * The attacks of issue 10 ("no single user or request can take down the service, a document or a
 * colleague"), reproduced over real sockets against a real SQLite file: each one fails on the
 * server as it was, and must leave the document serving everyone else with nothing bad stored.
 */
import { describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { readAudit } from './admin.ts';
import { encodeSyncStep1, encodeUpdate, messageAuth } from './protocol.ts';
import { hashUpdate } from './attribution.ts';
import { openSqliteStorage } from './storage/sqlite.ts';
import {
  type RawClient,
  type TestServer,
  presenceSeenBy,
  rawClient,
  startTestServer,
  storedDoc,
  synced,
  tempDataDir,
  waitFor,
  withTestServer,
} from './testing.ts';
import { awarenessFrame, manyClientIdsUpdate, nestedChain, presentIds, updatesOf } from './testing-frames.ts';
import { useFileServer } from './testing-fixture.ts';

const { server, providers, stock } = useFileServer({ idleUnloadMs: 50 });

function client(
  doc: string,
  user: string,
  role = 'editor',
  ydoc?: Y.Doc,
  target: TestServer = server,
): WebsocketProvider {
  return stock(doc, target.token(user, [role as 'editor', 'unit:*']), 'query', ydoc, target);
}

async function raw(doc: string, user: string, target: TestServer = server): Promise<RawClient> {
  const connection = await rawClient(target.url, doc, target.token(user, ['editor', 'unit:*']));
  connection.ws.send(encodeSyncStep1(new Uint8Array([0])));
  return connection;
}

/** The clientIDs whose presence `connection` has been told about. */
/** One struct under `clientID`, at `clock` (a document that "already wrote" that much). */
function structAt(clientID: number, clock: number): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  if (clock > 0) doc.getText('padding').insert(0, 'x'.repeat(clock));
  const before = Y.encodeStateVector(doc);
  doc.getMap('m').set('forged', 'by bob');
  return Y.encodeStateAsUpdate(doc, before);
}

const denied = (connection: RawClient) => connection.frames.some((frame) => frame[0] === messageAuth);

async function aliceWritesFive(alice: WebsocketProvider, doc: string): Promise<void> {
  for (let i = 0; i < 5; i++) alice.doc.getMap('m').set(`alice-${i}`, i);
  const deadline = Date.now() + 5000;
  for (;;) {
    const snapshot = await storedDoc(server.dataDir, doc);
    if ([0, 1, 2, 3, 4].every((i) => snapshot.getMap('m').get(`alice-${i}`) === i)) return;
    if (Date.now() > deadline)
      throw new Error(`alice's edits in ${doc}: ${JSON.stringify(snapshot.getMap('m').toJSON())}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('a colleague cannot silence anyone present (clientID binding)', () => {
  it('refuses B’s struct far ahead under A’s clientID read from A’s presence; A’s five edits are stored, also after reconnecting', async () => {
    const alice = client('unit:K01', 'alice');
    alice.awareness.setLocalStateField('user', { name: 'alice' });
    await synced(alice);
    const bob = await raw('unit:K01', 'bob');
    await waitFor(() => presentIds(bob.frames).includes(alice.doc.clientID), 'alice’s presence at bob');
    const refusedBefore = server.metrics.refusalCount('pending');
    bob.ws.send(encodeUpdate(structAt(alice.doc.clientID, 1_000_000)));
    await waitFor(() => server.metrics.refusalCount('pending') > refusedBefore, 'bob’s forged write to be refused');
    await aliceWritesFive(alice, 'unit:K01');
    expect((await storedDoc(server.dataDir, 'unit:K01')).getMap('m').has('forged')).toBe(false);

    // Reconnect and reload: still everything.
    alice.disconnect();
    alice.connect();
    await synced(alice);
    alice.doc.getMap('m').set('after-reconnect', true);
    await waitFor(() => alice.doc.getMap('m').get('after-reconnect') === true, 'local');
    const reloaded = client('unit:K01', 'carol', 'viewer');
    await waitFor(
      () => reloaded.doc.getMap('m').get('after-reconnect') === true,
      'alice’s edit after reconnecting at a peer',
    );
    expect((await readAudit(server.dataDir, { doc: 'unit:K01', user: 'bob' })).length).toBe(0);
    bob.ws.close();
  });

  it('refuses B writing first under A’s clientID, at clock 0, before A wrote anything', async () => {
    const alice = client('unit:K02', 'alice');
    alice.awareness.setLocalStateField('user', { name: 'alice' });
    await synced(alice);
    const bob = await raw('unit:K02', 'bob');
    await waitFor(() => presentIds(bob.frames).includes(alice.doc.clientID), 'alice’s presence at bob');
    bob.ws.send(encodeUpdate(structAt(alice.doc.clientID, 0)));
    await waitFor(() => denied(bob), 'bob’s forged write to be refused');
    await aliceWritesFive(alice, 'unit:K02');
    bob.ws.close();
  });

  it('keeps A’s clientID A’s across an unload and a restart while A is away', async () => {
    const dir = tempDataDir();
    let target = await startTestServer(dir.dir, { idleUnloadMs: 10 });
    try {
      const aliceDoc = new Y.Doc();
      const alice = client('unit:K03', 'alice', 'editor', aliceDoc, target);
      alice.awareness.setLocalStateField('user', { name: 'alice' });
      await synced(alice);
      const bob = await raw('unit:K03', 'bob', target);
      await waitFor(() => presentIds(bob.frames).includes(aliceDoc.clientID), 'alice’s presence at bob');
      bob.ws.close();
      alice.disconnect();
      await waitFor(() => target.metrics.documentsLoaded === 0, 'the unload');
      await target.close();
      target = await startTestServer(dir.dir, { idleUnloadMs: 10 });
      const bobAgain = await raw('unit:K03', 'bob', target);
      bobAgain.ws.send(encodeUpdate(structAt(aliceDoc.clientID, 0)));
      await waitFor(() => denied(bobAgain), 'bob’s forged write to be refused');
      bobAgain.ws.close();
      const back = client('unit:K03', 'alice', 'editor', aliceDoc, target);
      await synced(back);
      aliceDoc.getMap('m').set('back', true);
      const watcher = client('unit:K03', 'carol', 'viewer', undefined, target);
      await waitFor(() => watcher.doc.getMap('m').get('back') === true, 'alice’s edit at a peer');
    } finally {
      await target.close();
      dir.remove();
    }
  });
});

describe('one writer cannot make a document unloadable', () => {
  it('closes the connection of 3,000 nested maps (4422) before storing; the document keeps serving and reloads', async () => {
    const honest = client('unit:N01', 'alice');
    await synced(honest);
    honest.doc.getMap('records').set('r1', '{"summary":"honest"}');
    const mallory = await raw('unit:N01', 'mallory');
    const { nested, deleteRoot } = nestedChain(3000);
    mallory.ws.send(encodeUpdate(nested));
    mallory.ws.send(encodeUpdate(deleteRoot));
    expect((await mallory.closed).code).toBe(4422);
    honest.doc.getMap('records').set('r2', '{"summary":"still serving"}');
    const reader = client('unit:N01', 'vera', 'viewer');
    await waitFor(() => reader.doc.getMap('records').has('r2'), 'the document to keep serving');
    expect((await readAudit(server.dataDir, { doc: 'unit:N01', user: 'mallory' })).length).toBe(0);
    for (const provider of providers.splice(0)) provider.destroy();
    await waitFor(() => server.metrics.documentsLoaded === 0, 'the unload');
    const again = client('unit:N01', 'vera', 'viewer');
    await waitFor(() => again.doc.getMap('records').size === 2, 'the document to load again');
  });

  it('serves and exports everything around a bad update stored before the guard existed', async () => {
    const dir = tempDataDir();
    const storage = openSqliteStorage(dir.dir);
    const author = new Y.Doc();
    const captured: Uint8Array[] = [];
    author.on('update', (update: Uint8Array) => captured.push(update));
    author.getMap('records').set('before', '{"summary":"before"}');
    const { nested, deleteRoot } = nestedChain(3000, 9191);
    const writes = [captured[0]!, nested, deleteRoot];
    author.getMap('records').set('after', '{"summary":"after"}');
    writes.push(captured[1]!);
    await storage.commitUpdates(
      writes.map((update, i) => ({
        doc: 'unit:N02',
        data: update,
        user: 'u',
        name: 'u',
        time: i,
        hash: hashUpdate(update),
        clientIds: [],
        newBindings: [],
      })),
    );
    await storage.close();

    const recovered = await storedDoc(dir.dir, 'unit:N02');
    expect(recovered.getMap('records').toJSON()).toMatchObject({
      before: '{"summary":"before"}',
      after: '{"summary":"after"}',
    });

    const target = await startTestServer(dir.dir);
    try {
      const reader = client('unit:N02', 'vera', 'viewer', undefined, target);
      await waitFor(() => reader.doc.getMap('records').size === 2, 'the document to load and serve');
      expect(target.logs.some((line) => line.includes('stored update does not apply'))).toBe(true);
    } finally {
      await target.close();
      dir.remove();
    }
  });
});

describe('limits on what one update or document may hold', () => {
  it('closes a frame of 60,000 clientIDs (4422) before binding any, and keeps serving', async () => {
    const frame = encodeUpdate(manyClientIdsUpdate(60_000));
    expect(frame.byteLength).toBeLessThan(1024 * 1024);
    const mallory = await raw('unit:Z01', 'mallory');
    mallory.ws.send(frame);
    expect((await mallory.closed).code).toBe(4422);
    const alice = client('unit:Z01', 'alice');
    await synced(alice);
    alice.doc.getMap('m').set('k', 1);
    await waitFor(() => server.metrics.updatesTotal > 0, 'a write');
    expect((await readAudit(server.dataDir, { doc: 'unit:Z01', user: 'mallory' })).length).toBe(0);
  });

  it('closes one user who would add more than their daily share (4413); colleagues keep writing', async () => {
    await withTestServer({ maxDocumentBytes: 1024 * 1024, maxDailyBytesPerUser: 64 * 1024 }, async (capped) => {
      const mallory = await rawClient(capped.url, 'unit:Z03', capped.token('mallory', ['editor', 'unit:*']));
      mallory.ws.send(encodeSyncStep1(new Uint8Array([0])));
      const grower = new Y.Doc();
      for (let i = 0; i < 4; i++)
        mallory.ws.send(encodeUpdate(updatesOf(grower, () => grower.getText('t').insert(0, 'x'.repeat(30_000)))));
      expect((await mallory.closed).code).toBe(4413);
      const alice = client('unit:Z03', 'alice', 'editor', undefined, capped);
      await synced(alice);
      alice.doc.getText('mine').insert(0, 'y'.repeat(30_000));
      const reader = client('unit:Z03', 'vera', 'viewer', undefined, capped);
      await waitFor(() => reader.doc.getText('mine').length === 30_000, 'alice’s edit at a reader');
      expect(reader.doc.getText('t').length).toBe(60_000);
    });
  });

  it('closes a writer who would grow a document past its cap (4413); the document stays readable', async () => {
    await withTestServer({ maxDocumentBytes: 64 * 1024, maxDailyBytesPerUser: 1024 * 1024 }, async (capped) => {
      const mallory = await rawClient(capped.url, 'unit:Z02', capped.token('mallory', ['editor', 'unit:*']));
      mallory.ws.send(encodeSyncStep1(new Uint8Array([0])));
      const grower = new Y.Doc();
      const chunks: Uint8Array[] = [];
      grower.on('update', (update: Uint8Array) => chunks.push(update));
      for (let i = 0; i < 3; i++) grower.getText('t').insert(0, 'x'.repeat(30_000));
      for (const chunk of chunks) mallory.ws.send(encodeUpdate(chunk));
      expect((await mallory.closed).code).toBe(4413);
      const reader = client('unit:Z02', 'vera', 'viewer', undefined, capped);
      await synced(reader);
      expect(reader.doc.getText('t').length).toBe(60_000);
    });
  });
});

describe('presence', () => {
  it('shows who the token says, whatever name the client wrote', async () => {
    const alice = client('unit:P01', 'alice');
    await synced(alice);
    const vic = await rawClient(server.url, 'unit:P01', server.token('vic', ['viewer', 'unit:*']));
    vic.ws.send(
      awarenessFrame([
        { id: 5151, clock: 1, state: JSON.stringify({ user: { id: 'alice', name: '张三', subject: 'cadre:c1' } }) },
      ]),
    );
    await waitFor(() => alice.awareness.getStates().has(5151), 'vic’s presence at alice');
    expect(alice.awareness.getStates().get(5151)).toEqual({ user: { id: 'vic', name: 'vic', subject: 'cadre:c1' } });
    vic.ws.close();
  });

  it('drops a 900 KB presence state instead of relaying it to every peer', async () => {
    const alice = client('unit:P02', 'alice');
    await synced(alice);
    const seen = presenceSeenBy(alice);
    const mallory = await rawClient(server.url, 'unit:P02', server.token('mallory', ['viewer', 'unit:*']));
    const before = server.metrics.refusalCount('presence-size');
    mallory.ws.send(
      awarenessFrame([
        { id: 6161, clock: 1, state: JSON.stringify({ user: { name: 'm' }, blob: 'x'.repeat(900 * 1024) }) },
      ]),
    );
    // A small one after it: once that arrives, the big one would have arrived before it.
    mallory.ws.send(awarenessFrame([{ id: 6262, clock: 1, state: JSON.stringify({ user: { name: 'm' } }) }]));
    await waitFor(() => seen.includes(6262), 'the small presence');
    expect(seen).not.toContain(6161);
    expect(server.metrics.refusalCount('presence-size')).toBe(before + 1);
    mallory.ws.close();
  });
});

describe('honest races the guard must not punish', () => {
  it('an edit that overtakes the step 2 after a reconnect is dropped quietly and arrives with the step 2', async () => {
    const author = new Y.Doc();
    updatesOf(author, () => author.getMap('m').set('offline', 1)); // made offline, not on the server
    const live = updatesOf(author, () => author.getMap('m').set('live', 2));
    const reconnecting = await rawClient(server.url, 'unit:H01', server.token('hana', ['editor', 'unit:*']));
    reconnecting.ws.send(encodeSyncStep1(new Uint8Array([0])));
    reconnecting.ws.send(encodeUpdate(live)); // depends on the offline edit, which the server does not have yet
    // Then the step 2 a client sends in answer to the server's step 1: everything the server lacks.
    reconnecting.ws.send(encodeUpdate(Y.encodeStateAsUpdate(author)));
    // Frames are handled in order: once this step 1 is answered, every frame above was.
    reconnecting.ws.send(encodeSyncStep1(Y.encodeStateVector(author)));
    await waitFor(
      () => reconnecting.frames.filter((frame) => frame[0] === 0 && frame[1] === 0).length >= 2,
      'the second answer',
    );
    const state = await storedDoc(server.dataDir, 'unit:H01');
    expect(state.getMap('m').toJSON()).toEqual({ offline: 1, live: 2 });
    expect(denied(reconnecting)).toBe(false);
    reconnecting.ws.close();
  });
});
