/**
 * Issue 10's server checks on the multiplexed socket (the extension's transport): a document opened
 * over it is a `Connection` like one with a socket of its own, so the update guard, presence
 * stamping and binding, the limits and the document-name alphabet must hold there too, closing
 * only the offending document; Origin, Host and the connection caps are checked at the one shared
 * upgrade; the close timeout cuts off a multiplexed peer that ignores the close frame. attacks.test.ts
 * and requests.test.ts try the same on per-document sockets; authz-matrix.test.ts runs every cell on both.
 */
import { describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { MULTIPLEX_SUBPROTOCOL, encodeOpen, envelopePrefix } from '../core/sync/multiplex-wire.ts';
import { readAudit } from './admin.ts';
import { encodeSyncStep1, encodeUpdate, messageAuth, syncStep1 } from './protocol.ts';
import {
  type MuxClient,
  type TestServer,
  muxClient,
  presenceSeenBy,
  startTestServer,
  stockClient,
  storedDoc,
  synced,
  tempDataDir,
  upgradeStatus,
  waitFor,
  withTestServer,
} from './testing.ts';
import {
  awarenessFrame,
  handMadeSocket,
  manyClientIdsUpdate,
  nestedChain,
  presentIds,
  rawHttpStatus,
  syncPayloads,
  updatesOf,
  upgradeHeaders,
} from './testing-frames.ts';
import { useFileServer } from './testing-fixture.ts';

const { server, sockets, stock, mux: muxAs } = useFileServer();

function client(doc: string, user: string, role = 'editor', target: TestServer = server): WebsocketProvider {
  return stock(doc, target.token(user, [role as 'editor', 'unit:*']), 'query', undefined, target);
}

/** A multiplexed socket of `user` with `docs` open, each greeted with a step 1. */
async function mux(user: string, docs: string[], target: TestServer = server, role = 'editor'): Promise<MuxClient> {
  const socket = await muxAs(target.token(user, [role as 'editor', 'unit:*']), '', target);
  for (const doc of docs) socket.start(doc);
  return socket;
}

/** The server's answers to step 1 on `doc` (its state vectors): one arrives after every write before it. */
const stateVectors = (socket: MuxClient, doc: string) =>
  syncPayloads(socket.messages(doc), syncStep1).map((vector) => Y.decodeStateVector(vector));

/** Write on `doc` over the socket and wait until the server has answered a step 1 sent after it. */
async function writeOver(socket: MuxClient, doc: string, author: Y.Doc, change: () => void): Promise<void> {
  const before = stateVectors(socket, doc).length;
  socket.send(doc, encodeUpdate(updatesOf(author, change)));
  socket.send(doc, encodeSyncStep1(Y.encodeStateVector(author)));
  await waitFor(() => stateVectors(socket, doc).length > before || socket.closes.has(doc), `the answer on ${doc}`);
}

describe('the update guard, per document on a multiplexed socket', () => {
  it('closes only the document of 3,000 nested maps (4422), stores nothing of it, and the socket’s other document keeps writing', async () => {
    const honest = client('unit:MN01', 'alice');
    await synced(honest);
    const mallory = await mux('mallory', ['unit:MN01', 'unit:MN02']);
    const { nested, deleteRoot } = nestedChain(3000);
    mallory.send('unit:MN01', encodeUpdate(nested));
    mallory.send('unit:MN01', encodeUpdate(deleteRoot));
    await waitFor(() => mallory.closes.has('unit:MN01'), 'the document’s close');
    expect(mallory.closes.get('unit:MN01')!.code).toBe(4422);
    const other = new Y.Doc();
    await writeOver(mallory, 'unit:MN02', other, () => other.getMap('m').set('still', 'open'));
    expect((await storedDoc(server.dataDir, 'unit:MN02')).getMap('m').get('still')).toBe('open');
    expect((await readAudit(server.dataDir, { doc: 'unit:MN01', user: 'mallory' })).length).toBe(0);
    honest.doc.getMap('m').set('after', true);
    const reader = client('unit:MN01', 'vera', 'viewer');
    await waitFor(() => reader.doc.getMap('m').get('after') === true, 'the document to keep serving');
  });

  it('closes a document sent 60,000 clientIDs in one update (4422) before binding any', async () => {
    const mallory = await mux('mallory', ['unit:MZ01']);
    mallory.send('unit:MZ01', encodeUpdate(manyClientIdsUpdate(60_000)));
    await waitFor(() => mallory.closes.has('unit:MZ01'), 'the document’s close');
    expect(mallory.closes.get('unit:MZ01')!.code).toBe(4422);
    expect(mallory.ws.readyState).toBe(mallory.ws.OPEN);
    expect((await readAudit(server.dataDir, { doc: 'unit:MZ01', user: 'mallory' })).length).toBe(0);
  });

  it('closes a document that would grow past its cap (4413); it stays readable', async () => {
    await withTestServer({ maxDocumentBytes: 64 * 1024, maxDailyBytesPerUser: 1024 * 1024 }, async (capped) => {
      const mallory = await mux('mallory', ['unit:MZ02'], capped);
      const grower = new Y.Doc();
      for (let i = 0; i < 3; i++)
        mallory.send(
          'unit:MZ02',
          encodeUpdate(updatesOf(grower, () => grower.getText('t').insert(0, 'x'.repeat(30_000)))),
        );
      await waitFor(() => mallory.closes.has('unit:MZ02'), 'the document’s close');
      expect(mallory.closes.get('unit:MZ02')!.code).toBe(4413);
      const reader = client('unit:MZ02', 'vera', 'viewer', capped);
      await synced(reader);
      expect(reader.doc.getText('t').length).toBe(60_000);
    });
  });

  it('refuses B’s write under A’s clientID read from A’s presence; A’s edits are stored', async () => {
    const alice = client('unit:MK01', 'alice');
    alice.awareness.setLocalStateField('user', { name: 'alice' });
    await synced(alice);
    const bob = await mux('bob', ['unit:MK01']);
    await waitFor(() => presentIds(bob.messages('unit:MK01')).includes(alice.doc.clientID), 'alice’s presence at bob');
    const forger = new Y.Doc();
    forger.clientID = alice.doc.clientID;
    bob.send('unit:MK01', encodeUpdate(updatesOf(forger, () => forger.getMap('m').set('forged', 'by bob'))));
    await waitFor(
      () => bob.messages('unit:MK01').some((m) => m[0] === messageAuth),
      'bob’s forged write to be refused',
    );
    alice.doc.getMap('m').set('alice', 1);
    const reader = client('unit:MK01', 'vera', 'viewer');
    await waitFor(() => reader.doc.getMap('m').get('alice') === 1, 'alice’s edit at a reader');
    expect((await storedDoc(server.dataDir, 'unit:MK01')).getMap('m').get('alice')).toBe(1);
    expect((await storedDoc(server.dataDir, 'unit:MK01')).getMap('m').has('forged')).toBe(false);
  });
});

describe('presence on a multiplexed socket', () => {
  it('shows who the token says, whatever name the client wrote, and drops an oversized state', async () => {
    const alice = client('unit:MP01', 'alice');
    await synced(alice);
    const seen = presenceSeenBy(alice);
    const vic = await mux('vic', ['unit:MP01'], server, 'viewer');
    vic.send(
      'unit:MP01',
      awarenessFrame([
        {
          id: 7171,
          clock: 1,
          state: JSON.stringify({ user: { id: 'alice', name: '张三' }, blob: 'x'.repeat(900 * 1024) }),
        },
      ]),
    );
    vic.send(
      'unit:MP01',
      awarenessFrame([
        { id: 7272, clock: 1, state: JSON.stringify({ user: { id: 'alice', name: '张三', subject: 'cadre:c1' } }) },
      ]),
    );
    await waitFor(() => alice.awareness.getStates().has(7272), 'vic’s presence at alice');
    expect(alice.awareness.getStates().get(7272)).toEqual({ user: { id: 'vic', name: 'vic', subject: 'cadre:c1' } });
    expect(seen).not.toContain(7171);
  });
});

describe('document names on a multiplexed socket', () => {
  it.each([
    ['full-width letters and digits', 'unit:\uff2d\uff10\uff11'],
    ['a Cyrillic look-alike', 'unit:\u041c01'],
    ['lower case', 'unit:m01'],
    ['a zero-width space', 'unit:M0\u200b1'],
  ])('closes a code with %s (4400) and keeps the socket', async (_what, name) => {
    const socket = await mux('nina', [name]);
    await waitFor(() => socket.closes.has(name), 'the close of that name');
    expect(socket.closes.get(name)!.code).toBe(4400);
    expect(socket.ws.readyState).toBe(socket.ws.OPEN);
  });
});

describe('the shared upgrade', () => {
  const muxUpgrade = (target: TestServer, token: string, headers: string) =>
    rawHttpStatus(
      target.port,
      `GET / HTTP/1.1\r\n${headers}${upgradeHeaders}` +
        `Sec-WebSocket-Protocol: dossierlens, auth.${token}, ${MULTIPLEX_SUBPROTOCOL}\r\n\r\n`,
    );

  it('checks Origin and Host for a multiplexed socket as for any other', async () => {
    const token = server.token('olga', ['editor', 'unit:*']);
    const host = `Host: 127.0.0.1:${server.port}\r\n`;
    expect(await muxUpgrade(server, token, `${host}Origin: https://evil.example\r\n`)).toBe(403);
    expect(await muxUpgrade(server, token, `Host: attacker.example:${server.port}\r\n`)).toBe(421);
    expect(
      await muxUpgrade(server, token, `${host}Origin: chrome-extension://abcdefghijklmnopabcdefghijklmnop\r\n`),
    ).toBe(101);
  });

  it('counts a multiplexed socket once against the caps, however many documents it carries', async () => {
    const dir = tempDataDir();
    const capped = await startTestServer(dir.dir, { maxConnectionsPerUser: 2, maxConnections: 3 });
    try {
      const uma = await mux('uma', ['unit:MQ01', 'unit:MQ02', 'unit:MQ03', 'unit:MQ04'], capped);
      await waitFor(
        () => ['unit:MQ01', 'unit:MQ04'].every((doc) => stateVectors(uma, doc).length > 0),
        'four documents open',
      );
      expect(capped.metrics.connections).toBe(1);
      const second = await muxClient(capped.url, capped.token('uma', ['editor', 'unit:*']), '');
      sockets.push(second);
      await expect(muxClient(capped.url, capped.token('uma', ['editor', 'unit:*']), '')).rejects.toThrow('HTTP 429');
      expect(await upgradeStatus(capped.url, 'unit:MQ01', capped.token('uma', ['editor', 'unit:*']))).toBe(429);
      sockets.push(await muxClient(capped.url, capped.token('vic', ['viewer', 'unit:*']), ''));
      await expect(muxClient(capped.url, capped.token('wes', ['viewer', 'unit:*']), '')).rejects.toThrow('HTTP 503');
    } finally {
      for (const socket of sockets.splice(0)) socket.ws.close();
      await capped.close();
      dir.remove();
    }
  });

  it('destroys a multiplexed peer that keeps sending after our close frame', async () => {
    await withTestServer({ messagesPerSecond: 5, messageBurst: 5, closeTimeoutMs: 200 }, async (strict) => {
      const token = strict.token('flo', ['editor', 'unit:*']);
      const peer = await handMadeSocket(strict.port, '/', ['dossierlens', `auth.${token}`, MULTIPLEX_SUBPROTOCOL]);
      const open = encodeOpen(envelopePrefix('unit:ML01'));
      // Opens of a document again and again: frames that reach no open document, rate limited
      // for the socket; over it the server sends a close frame, which this peer never answers.
      const flood = setInterval(() => {
        for (let i = 0; i < 20; i++) peer.send(open);
      }, 5);
      try {
        await peer.ended;
      } finally {
        clearInterval(flood);
      }
      const provider = stockClient(strict.url, 'unit:S01', strict.token('sam', ['editor', 'unit:*']));
      await synced(provider);
      provider.destroy();
    });
  });
});
