/**
 * What closes one document of a multiplexed socket and what closes the socket (protocol.ts,
 * "MULTIPLEXED CONNECTIONS"), over real sockets on loopback: revocation, malformed envelopes,
 * per-document limits, and fuzzed envelopes that must close at most their own socket.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { revoke } from './admin.ts';
import { encodeSyncStep1, encodeUpdate } from './protocol.ts';
import { muxClient, synced, waitFor, withTestServer } from './testing.ts';
import { useFileServer } from './testing-fixture.ts';

const { server, stock, mux } = useFileServer({ idleUnloadMs: 100 }, { settle: true });

const editor = (user: string) =>
  server.token(user, [
    { role: 'editor', doc: 'unit:*' },
    { role: 'viewer', doc: 'workspace' },
  ]);

describe('what closes a document and what closes the socket', () => {
  it('closes every document of a revoked token with the socket (4401)', async () => {
    const socket = await mux(editor('rue'));
    socket.start('unit:R01');
    socket.start('unit:R02');
    await waitFor(() => socket.messages('unit:R02').length >= 2, 'open');
    await revoke(server.dataDir, { user: 'rue' });
    expect((await socket.closed).code).toBe(4401);
  });

  it.each([
    ['a garbage update', encodeUpdate(new Uint8Array(randomBytes(64)))],
    ['a garbage state vector', encodeSyncStep1(new Uint8Array([5, 0x80]))],
    ['trailing bytes', new Uint8Array([3, 0])],
  ])('%s closes only its document (4400)', async (_what, message) => {
    const socket = await mux(editor('mal'));
    socket.start('unit:B01');
    socket.start('unit:B02');
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
    socket.start('unit:E01');
    socket.ws.send(frame);
    expect((await socket.closed).code).toBe(4400);
  });

  it('limits each document as its own socket (4529), the documents open at once, and the time to open one (4508)', async () => {
    await withTestServer(
      {
        messagesPerSecond: 1,
        messageBurst: 10,
        handshakeTimeoutMs: 300,
        maxDocumentsPerConnection: 2,
      },
      async (strict) => {
        const token = strict.token('fay', ['editor', 'unit:*']);
        const socket = await mux(token, 'workspace', strict);
        socket.start('unit:L01');
        socket.start('unit:L02');
        await waitFor(() => socket.messages('unit:L02').length >= 2, 'open');
        // The step 1 and ten more: one over the burst. (More would reach a closed document and count
        // against the socket's own budget, which this test keeps clear of.)
        for (let i = 0; i < 10; i++) socket.send('unit:L01', new Uint8Array([3]));
        await waitFor(() => socket.closes.has('unit:L01'), 'the flood to be closed');
        expect(socket.closes.get('unit:L01')!.code).toBe(4529);
        socket.send('unit:L02', encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
        await waitFor(() => socket.messages('unit:L02').length >= 4, 'the other document to answer');
        socket.start('unit:L03'); // L01 was closed: two open again with this one
        socket.start('unit:L04');
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
      },
    );
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
        socket.start('unit:Z01');
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
