/**
 * Multiplexed sockets (protocol.ts, "MULTIPLEXED CONNECTIONS") over real sockets on loopback with a
 * real SQLite file: many documents on one socket, each authorised, limited, acknowledged and
 * refused as if it had a socket of its own, side by side with stock clients on the same documents.
 */
import { randomBytes } from 'node:crypto';
import * as decoding from 'lib0/decoding';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { encodeAwarenessUpdate, Awareness } from 'y-protocols/awareness';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { exportDocument, revoke } from './admin.ts';
import {
  MULTIPLEX_SUBPROTOCOL,
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
import {
  type MuxClient,
  type TestServer,
  muxClient,
  startTestServer,
  stockClient,
  synced,
  tempDataDir,
  upgradeStatus,
  waitFor,
} from './testing.ts';

const data = tempDataDir();
let server: TestServer;
const providers: WebsocketProvider[] = [];
const sockets: MuxClient[] = [];

beforeAll(async () => {
  server = await startTestServer(data.dir, { idleUnloadMs: 100 });
});
afterEach(async () => {
  for (const provider of providers.splice(0)) provider.destroy();
  for (const socket of sockets.splice(0)) socket.ws.terminate();
  await waitFor(() => server.metrics.connections === 0, 'every socket to close');
});
afterAll(async () => {
  await server.close();
  data.remove();
});

const editor = (user: string) =>
  server.token(user, [
    { role: 'editor', doc: 'unit:*' },
    { role: 'viewer', doc: 'workspace' },
  ]);

async function mux(token: string, path?: string, on = server): Promise<MuxClient> {
  const socket = await muxClient(on.url, token, path);
  sockets.push(socket);
  return socket;
}

function stock(doc: string, token: string): WebsocketProvider {
  const provider = stockClient(server.url, doc, token);
  providers.push(provider);
  return provider;
}

/** Opens `doc` on the socket and sends sync step 1 from `ydoc`, as the sync library does. */
function start(socket: MuxClient, doc: string, ydoc = new Y.Doc()): void {
  socket.open(doc);
  socket.send(doc, encodeSyncStep1(Y.encodeStateVector(ydoc)));
}

const kinds = (messages: Uint8Array[]) => messages.map((m) => [m[0], m[1]]);

function updateOf(change: (doc: Y.Doc) => void): Uint8Array {
  const doc = new Y.Doc();
  let captured: Uint8Array | null = null;
  doc.on('update', (update: Uint8Array) => (captured = update));
  change(doc);
  return captured!;
}

/** What the server holds of `doc`: its step 2 answer to an empty step 1 (after what was sent before it). */
async function stateOn(socket: MuxClient, doc: string): Promise<Y.Doc> {
  const before = socket.messages(doc).length;
  socket.send(doc, encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
  const isStep2 = (m: Uint8Array) => m[0] === messageSync && m[1] === syncStep2;
  await waitFor(() => socket.messages(doc).slice(before).some(isStep2), `the state of ${doc}`);
  const decoder = decoding.createDecoder(socket.messages(doc).slice(before).find(isStep2)!);
  decoding.readVarUint(decoder);
  decoding.readVarUint(decoder);
  const state = new Y.Doc();
  Y.applyUpdate(state, decoding.readVarUint8Array(decoder));
  return state;
}

/** The state vector in a server's step 1 message. */
function stateVectorIn(message: Uint8Array): Map<number, number> {
  const decoder = decoding.createDecoder(message);
  decoding.readVarUint(decoder);
  decoding.readVarUint(decoder);
  return Y.decodeStateVector(decoding.readVarUint8Array(decoder));
}

describe('the upgrade', () => {
  it('selects the multiplexed protocol and authorises no document on the path; without multiplexing it is a per-document socket', async () => {
    // A grant on units only: the path (workspace) would be a 403 for a per-document socket.
    const token = server.token('una', ['editor', 'unit:*']);
    const socket = await mux(token, 'workspace');
    expect(socket.ws.protocol).toBe(MULTIPLEX_SUBPROTOCOL);
    expect((await mux(token, '')).ws.protocol).toBe(MULTIPLEX_SUBPROTOCOL);
    expect(
      await upgradeStatus(server.url, 'workspace', null, [
        'dossierlens',
        'auth.dl1.forged.token',
        MULTIPLEX_SUBPROTOCOL,
      ]),
    ).toBe(401);
    expect(
      await upgradeStatus(server.url, 'not-a-document', null, ['dossierlens', `auth.${token}`, MULTIPLEX_SUBPROTOCOL]),
    ).toBe(400);

    const dir = tempDataDir();
    const plain = await startTestServer(dir.dir, { multiplex: false });
    try {
      const other = plain.token('una', ['editor', 'unit:*']);
      expect(
        await upgradeStatus(plain.url, 'workspace', null, ['dossierlens', `auth.${other}`, MULTIPLEX_SUBPROTOCOL]),
      ).toBe(403);
      const fallback = await mux(other, 'unit:U01', plain);
      expect(fallback.ws.protocol).toBe('dossierlens');
    } finally {
      await plain.close();
      dir.remove();
    }
  });
});

describe('many documents over one socket', () => {
  it('answers each document like its own socket: step 2, then the durable step 1', async () => {
    const connectionsBefore = server.metrics.connections;
    const openBefore = server.metrics.openDocuments;
    const writer = stock('unit:M02', editor('wes'));
    await synced(writer);
    writer.doc.getMap('m').set('k', 'v');
    await waitFor(() => server.metrics.updatesTotal > 0, 'the write');
    const socket = await mux(editor('mia'));
    for (const doc of ['unit:M01', 'unit:M02', 'workspace']) start(socket, doc);
    await waitFor(
      () => ['unit:M01', 'unit:M02', 'workspace'].every((doc) => socket.messages(doc).length >= 2),
      'three answers',
    );
    for (const doc of ['unit:M01', 'unit:M02', 'workspace']) {
      expect(kinds(socket.messages(doc).slice(0, 2))).toEqual([
        [messageSync, syncStep2],
        [messageSync, syncStep1],
      ]);
    }
    expect(stateVectorIn(socket.messages('unit:M02')[1]!).get(writer.doc.clientID)).toBe(1);
    expect(server.metrics.connections - connectionsBefore).toBe(2); // the stock client and the multiplexed socket
    expect(server.metrics.openDocuments - openBefore).toBe(4);
  });

  it('keeps writes per document: stored before they reach a stock peer; read-only where the role says so', async () => {
    const socket = await mux(editor('wil'));
    const peer = stock('unit:W01', editor('pat'));
    await synced(peer);
    start(socket, 'unit:W01');
    start(socket, 'workspace');
    await waitFor(
      () => socket.messages('unit:W01').length >= 2 && socket.messages('workspace').length >= 2,
      'both open',
    );
    socket.send('unit:W01', encodeUpdate(updateOf((d) => d.getMap('m').set('from', 'mux'))));
    await waitFor(() => peer.doc.getMap('m').get('from') === 'mux', 'the peer to receive the write');
    const stored = new Y.Doc();
    Y.applyUpdate(stored, await exportDocument(data.dir, 'unit:W01'));
    expect(stored.getMap('m').get('from')).toBe('mux');

    // viewer on workspace: refused on that document, in its own envelope; the unit stays writable
    socket.send('workspace', encodeUpdate(updateOf((d) => d.getMap('m').set('k', 1))));
    await waitFor(() => socket.messages('workspace').some((m) => m[0] === messageAuth), 'permission denied');
    expect(socket.messages('unit:W01').some((m) => m[0] === messageAuth)).toBe(false);
    const denied = decoding.createDecoder(socket.messages('workspace').find((m) => m[0] === messageAuth)!);
    decoding.readVarUint(denied);
    decoding.readVarUint(denied);
    expect(decoding.readVarString(denied)).toMatch(/read-only: your role on workspace is viewer/u);
    socket.send('unit:W01', encodeUpdate(updateOf((d) => d.getMap('m').set('again', 2))));
    await waitFor(() => peer.doc.getMap('m').get('again') === 2, 'the unit to stay writable');
    expect(socket.closes.size).toBe(0);
  });

  it('closes a document without a grant (4403) and carries on with the others', async () => {
    const token = server.token('nia', ['editor', 'unit:*']);
    const socket = await mux(token);
    start(socket, 'workspace');
    start(socket, 'unit:N01');
    await waitFor(() => socket.closes.has('workspace'), 'the refusal');
    expect(socket.closes.get('workspace')).toEqual({ code: 4403, reason: 'no grant on this document' });
    expect(server.logs.some((line) => line.includes('nia has no grant on workspace'))).toBe(true);
    await waitFor(() => socket.messages('unit:N01').length >= 2, 'the unit to answer');
    // Frames for the refused document are ignored (they may cross the close on the wire).
    socket.send('workspace', new Uint8Array([3]));
    const writer = stock('unit:N01', editor('ned'));
    await synced(writer);
    writer.doc.getMap('m').set('k', 'v');
    await waitFor(
      () => socket.messages('unit:N01').some((m) => m[0] === messageSync && m[1] === 2),
      'the edit to arrive',
    );
    expect(socket.ws.readyState).toBe(WebSocket.OPEN);
    expect(socket.messages('workspace')).toEqual([]);
  });

  it('opens the documents whose access is derived (user:<sub>, queries) and the register by their own rules', async () => {
    // An editor of the register: it writes something, so it may save shared queries too.
    const dee = await mux(
      server.token('dee', [
        { role: 'viewer', doc: 'workspace' },
        { role: 'viewer', doc: 'unit:*' },
        { role: 'editor', doc: 'register' },
      ]),
    );
    // A viewer of everything it holds: reads the shared queries, writes none, has no register.
    const vic = await mux(
      server.token('vic', [
        { role: 'viewer', doc: 'workspace' },
        { role: 'viewer', doc: 'unit:*' },
      ]),
    );
    for (const doc of ['user:dee', 'queries', 'register', 'user:vic']) start(dee, doc);
    for (const doc of ['user:vic', 'queries', 'register']) start(vic, doc);
    await waitFor(
      () =>
        ['user:dee', 'queries', 'register'].every((doc) => dee.messages(doc).length >= 2) &&
        dee.closes.has('user:vic') &&
        vic.messages('queries').length >= 2 &&
        vic.closes.has('register'),
      'the answers and the refusals',
    );
    // Somebody else's own document is refused on its own (even an owner's beside it), and so is a
    // register without a grant; the other documents of each socket stay open.
    expect([...dee.closes]).toEqual([['user:vic', { code: 4403, reason: 'no grant on this document' }]]);
    expect([...vic.closes]).toEqual([['register', { code: 4403, reason: 'no grant on this document' }]]);
    await waitFor(() => vic.messages('user:vic').length >= 2, 'the viewer’s own document');

    // Writes as each rule says.
    for (const doc of ['user:dee', 'queries', 'register'])
      dee.send(doc, encodeUpdate(updateOf((d) => d.getMap('m').set('dee', 1))));
    vic.send('user:vic', encodeUpdate(updateOf((d) => d.getMap('m').set('vic', 1))));
    vic.send('queries', encodeUpdate(updateOf((d) => d.getMap('m').set('vic', 1))));
    await waitFor(() => vic.messages('queries').some((m) => m[0] === messageAuth), 'the viewer’s query refused');
    const kept = await Promise.all([
      stateOn(dee, 'user:dee'),
      stateOn(dee, 'queries'),
      stateOn(dee, 'register'),
      stateOn(vic, 'user:vic'),
    ]);
    expect(kept.map((d) => d.getMap('m').toJSON())).toEqual([{ dee: 1 }, { dee: 1 }, { dee: 1 }, { vic: 1 }]);
    expect(['user:dee', 'queries', 'register'].some((doc) => dee.messages(doc).some((m) => m[0] === messageAuth))).toBe(
      false,
    );
  });

  it('keeps presence per document, and a document left takes its presence with it', async () => {
    const socket = await mux(editor('ava'));
    const same = stock('unit:P01', editor('pia'));
    const other = stock('unit:P02', editor('pio'));
    same.awareness.setLocalStateField('user', { name: 'pia' });
    await Promise.all([synced(same), synced(other)]);
    start(socket, 'unit:P01');
    start(socket, 'unit:P02');
    await waitFor(
      () => socket.messages('unit:P01').length >= 2 && socket.messages('unit:P02').length >= 2,
      'both open',
    );
    const local = new Y.Doc();
    const awareness = new Awareness(local);
    awareness.setLocalState({ user: 'ava' });
    socket.send('unit:P01', encodeAwareness(encodeAwarenessUpdate(awareness, [local.clientID])));
    await waitFor(() => same.awareness.getStates().has(local.clientID), 'the peer of that document to see it');
    expect(other.awareness.getStates().has(local.clientID)).toBe(false);
    // The stock peer's own presence reaches the socket under its document only.
    await waitFor(
      () =>
        socket
          .messages('unit:P01')
          .some((m) => m[0] === messageAwareness && awarenessClientIds(m.subarray(2)).includes(same.doc.clientID)),
      'the peer presence',
    );
    expect(
      socket
        .messages('unit:P02')
        .some((m) => m[0] === messageAwareness && awarenessClientIds(m.subarray(2)).includes(same.doc.clientID)),
    ).toBe(false);
    socket.leave('unit:P01');
    await waitFor(() => !same.awareness.getStates().has(local.clientID), 'the presence to leave with the document');
    awareness.destroy();
  });

  it('starts a document opened again afresh', async () => {
    const socket = await mux(editor('ora'));
    start(socket, 'unit:O01');
    await waitFor(() => socket.messages('unit:O01').length >= 2, 'the first answer');
    const openBefore = server.metrics.openDocuments;
    start(socket, 'unit:O01');
    await waitFor(() => socket.messages('unit:O01').length >= 4, 'the second answer');
    expect(server.metrics.openDocuments).toBe(openBefore);
  });
});

describe('what closes a document and what closes the socket', () => {
  it('closes every document of a revoked token with the socket (4401)', async () => {
    const socket = await mux(editor('rue'));
    start(socket, 'unit:R01');
    start(socket, 'unit:R02');
    await waitFor(() => socket.messages('unit:R02').length >= 2, 'open');
    await revoke(data.dir, { user: 'rue' });
    expect((await socket.closed).code).toBe(4401);
  });

  it.each([
    ['a garbage update', encodeUpdate(new Uint8Array(randomBytes(64)))],
    ['a garbage state vector', encodeSyncStep1(new Uint8Array([5, 0x80]))],
    ['trailing bytes', new Uint8Array([3, 0])],
  ])('%s closes only its document (4400)', async (_what, message) => {
    const socket = await mux(editor('mal'));
    start(socket, 'unit:B01');
    start(socket, 'unit:B02');
    await waitFor(() => socket.messages('unit:B02').length >= 2, 'open');
    socket.send('unit:B01', message);
    await waitFor(() => socket.closes.has('unit:B01'), 'the close');
    expect(socket.closes.get('unit:B01')!.code).toBe(4400);
    const before = socket.messages('unit:B02').length;
    socket.send('unit:B02', new Uint8Array([3]));
    socket.send('unit:B02', encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
    await waitFor(() => socket.messages('unit:B02').length >= before + 2, 'the other document to answer');
  });

  it.each([
    ['no name', new Uint8Array([0x80])],
    ['an unknown message type', new Uint8Array([1, 0x41, 42])],
    ['trailing bytes after open', new Uint8Array([1, 0x41, 100, 0])],
    ['a name that is not UTF-8', new Uint8Array([2, 0xff, 0xfe, 100])],
  ])('%s in the envelope closes the socket (4400)', async (_what, frame) => {
    const socket = await mux(editor('eve'));
    start(socket, 'unit:E01');
    socket.ws.send(frame);
    expect((await socket.closed).code).toBe(4400);
  });

  it('limits each document as its own socket (4529), the documents open at once, and the time to open one (4508)', async () => {
    const dir = tempDataDir();
    const strict = await startTestServer(dir.dir, {
      messagesPerSecond: 1,
      messageBurst: 10,
      handshakeTimeoutMs: 300,
      maxDocumentsPerConnection: 2,
    });
    try {
      const token = strict.token('fay', ['editor', 'unit:*']);
      const socket = await mux(token, 'workspace', strict);
      start(socket, 'unit:L01');
      start(socket, 'unit:L02');
      await waitFor(() => socket.messages('unit:L02').length >= 2, 'open');
      // The step 1 and ten more: one over the burst. (More would reach a closed document and count
      // against the socket's own budget, which this test keeps clear of.)
      for (let i = 0; i < 10; i++) socket.send('unit:L01', new Uint8Array([3]));
      await waitFor(() => socket.closes.has('unit:L01'), 'the flood to be closed');
      expect(socket.closes.get('unit:L01')!.code).toBe(4529);
      socket.send('unit:L02', encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
      await waitFor(() => socket.messages('unit:L02').length >= 4, 'the other document to answer');
      start(socket, 'unit:L03'); // L01 was closed: two open again with this one
      start(socket, 'unit:L04');
      await waitFor(() => socket.closes.has('unit:L04'), 'the third document to be refused');
      expect(socket.closes.get('unit:L04')).toEqual({
        code: 4529,
        reason: 'too many documents open on this connection',
      });
      socket.leave('unit:L03');
      socket.open('unit:L05'); // opened, but never a step 1
      await waitFor(() => socket.closes.has('unit:L05'), 'the deadline', 3000);
      expect(socket.closes.get('unit:L05')).toEqual({ code: 4508, reason: 'no sync step 1 in time' });
      expect(socket.ws.readyState).toBe(WebSocket.OPEN);
      const silent = await mux(token, 'workspace', strict);
      expect((await silent.closed).code).toBe(4508);
    } finally {
      await strict.close();
      dir.remove();
    }
  });

  it('fuzzed envelopes close at most their own socket; the server keeps serving', { timeout: 30_000 }, async () => {
    const prefixes = [
      [],
      [8, ...Buffer.from('unit:Z01')],
      [8, ...Buffer.from('unit:Z01'), 0],
      [8, ...Buffer.from('unit:Z01'), 100],
      [8, ...Buffer.from('unit:Z01'), 101],
      [1],
    ];
    const samples = fc.sample(
      fc
        .tuple(fc.constantFrom(...prefixes), fc.uint8Array({ minLength: 0, maxLength: 48 }))
        .map(([prefix, tail]) => new Uint8Array([...prefix, ...tail])),
      { numRuns: 100, seed: 20261126 },
    );
    const bystander = stock('unit:Z01', editor('bea'));
    await synced(bystander);
    const token = editor('fuzz');
    const outcomes = await Promise.all(
      samples.map(async (frame) => {
        const socket = await muxClient(server.url, token);
        start(socket, 'unit:Z01');
        socket.ws.send(frame);
        const outcome = await Promise.race([
          socket.closed.then((c) => c.code),
          new Promise<number>((resolve) => setTimeout(() => resolve(0), 1500)),
        ]);
        socket.ws.terminate();
        return outcome;
      }),
    );
    expect(outcomes.filter((code) => code !== 0 && code !== 4400)).toEqual([]);
    expect(outcomes.filter((code) => code === 4400).length).toBeGreaterThan(0);
    expect(bystander.wsconnected).toBe(true);
    const after = stock('unit:Z01', editor('ben'));
    await synced(after);
    bystander.doc.getText('t').insert(0, 'alive');
    await waitFor(() => after.doc.getText('t').toString() === 'alive', 'the server to keep serving');
  });
});
