/**
 * Multiplexed sockets (protocol.ts, "MULTIPLEXED CONNECTIONS") over real sockets on loopback with a
 * real SQLite file: many documents on one socket, each authorised, limited, acknowledged and
 * refused as if it had a socket of its own, side by side with stock clients on the same documents.
 */
import * as decoding from 'lib0/decoding';
import { describe, expect, it } from 'vitest';
import { encodeAwarenessUpdate, Awareness } from 'y-protocols/awareness';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { exportDocument } from './admin.ts';
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
import { type MuxClient, synced, upgradeStatus, waitFor, withTestServer } from './testing.ts';
import { updateOf } from './testing-frames.ts';
import { useFileServer } from './testing-fixture.ts';

const { server, stock, mux } = useFileServer({ idleUnloadMs: 100 }, { settle: true });

const editor = (user: string) =>
  server.token(user, [
    { role: 'editor', doc: 'unit:*' },
    { role: 'viewer', doc: 'workspace' },
  ]);

const kinds = (messages: Uint8Array[]) => messages.map((m) => [m[0], m[1]]);

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

    await withTestServer({ multiplex: false }, async (plain) => {
      const other = plain.token('una', ['editor', 'unit:*']);
      expect(
        await upgradeStatus(plain.url, 'workspace', null, ['dossierlens', `auth.${other}`, MULTIPLEX_SUBPROTOCOL]),
      ).toBe(403);
      const fallback = await mux(other, 'unit:U01', plain);
      expect(fallback.ws.protocol).toBe('dossierlens');
    });
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
    for (const doc of ['unit:M01', 'unit:M02', 'workspace']) socket.start(doc);
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
    socket.start('unit:W01');
    socket.start('workspace');
    await waitFor(
      () => socket.messages('unit:W01').length >= 2 && socket.messages('workspace').length >= 2,
      'both open',
    );
    socket.send('unit:W01', encodeUpdate(updateOf((d) => d.getMap('m').set('from', 'mux'))));
    await waitFor(() => peer.doc.getMap('m').get('from') === 'mux', 'the peer to receive the write');
    const stored = new Y.Doc();
    Y.applyUpdate(stored, await exportDocument(server.dataDir, 'unit:W01'));
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
    socket.start('workspace');
    socket.start('unit:N01');
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
    for (const doc of ['user:dee', 'queries', 'register', 'user:vic']) dee.start(doc);
    for (const doc of ['user:vic', 'queries', 'register']) vic.start(doc);
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
    socket.start('unit:P01');
    socket.start('unit:P02');
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
    socket.start('unit:O01');
    await waitFor(() => socket.messages('unit:O01').length >= 2, 'the first answer');
    const openBefore = server.metrics.openDocuments;
    socket.start('unit:O01');
    await waitFor(() => socket.messages('unit:O01').length >= 4, 'the second answer');
    expect(server.metrics.openDocuments).toBe(openBefore);
  });
});
