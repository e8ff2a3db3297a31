import { afterEach, describe, expect, it, vi } from 'vitest';
import { backoffDelay, createSharedConnection } from './multiplex.ts';
import {
  MULTIPLEX_SUBPROTOCOL,
  encodeClose,
  envelope,
  envelopePrefix,
  messageClose,
  messageOpen,
  readEnvelope,
} from './multiplex-wire.ts';

/**
 * The shared connection against a scripted server (FakeSocket): one socket for many documents,
 * backoff, closes, fallback. Against real servers (ours, with and without multiplexing, and the
 * reference y-websocket server): multiplex-servers.test.ts.
 */

/** A socket the test drives: what the shared connection sends, and what the "server" answers. */
class FakeSocket {
  static made: FakeSocket[] = [];
  binaryType = 'blob';
  readyState = 0;
  protocol = '';
  sent: Uint8Array[] = [];
  closedByClient = false;
  onopen: ((e: unknown) => void) | null = null;
  onmessage: ((e: { data: ArrayBuffer }) => void) | null = null;
  onerror: ((e: unknown) => void) | null = null;
  onclose: ((e: { code: number; reason: string }) => void) | null = null;
  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {
    FakeSocket.made.push(this);
  }
  send(data: Uint8Array) {
    this.sent.push(new Uint8Array(data));
  }
  close() {
    this.closedByClient = true;
    this.readyState = 3;
  }
  accept(protocol: string) {
    this.readyState = 1;
    this.protocol = protocol;
    this.onopen?.({});
  }
  fail(message = '') {
    this.readyState = 3;
    this.onerror?.({ type: 'error', message });
    this.onclose?.({ code: 1006, reason: '' });
  }
  receive(bytes: Uint8Array) {
    this.onmessage?.({ data: bytes.slice().buffer });
  }
  drop(code: number, reason = '') {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
  /** The documents and message types of what was sent, e.g. ['unit:A:100', 'unit:A:0']. */
  log() {
    return this.sent.map((frame) => {
      const { doc, type } = readEnvelope(frame);
      return `${doc}:${type}`;
    });
  }
}

/** What y-websocket does with a socket: handlers, and its step 1 on open. */
function channel(Socket: typeof globalThis.WebSocket, doc: string, token = 't') {
  const events: string[] = [];
  const ws = new Socket(`ws://server/${doc}`, ['dossierlens', `auth.${token}`]);
  ws.binaryType = 'arraybuffer';
  ws.onopen = () => {
    events.push('open');
    ws.send(new Uint8Array([0, 0, 1, 0]));
  };
  ws.onmessage = (e) => events.push(`message:${new Uint8Array(e.data as ArrayBuffer).join(',')}`);
  ws.onerror = (e) => events.push(`error:${(e as unknown as { message: string }).message}`);
  ws.onclose = (e) => events.push(`close:${e.code}:${e.reason}`);
  return { ws, events };
}

const flush = () => new Promise<void>((resolve) => queueMicrotask(resolve));

function shared(random = () => 1, maxBackoffTime = 30_000) {
  return createSharedConnection({
    WebSocketPolyfill: FakeSocket as unknown as typeof globalThis.WebSocket,
    maxBackoffTime,
    random,
  });
}

afterEach(() => {
  FakeSocket.made = [];
  vi.useRealTimers();
});

describe('the shared connection (scripted server)', () => {
  it('waits half a step plus jitter, doubling from 100 ms up to the maximum', () => {
    expect(backoffDelay(1, 30_000, () => 0)).toBe(100);
    expect(backoffDelay(1, 30_000, () => 1)).toBe(200);
    expect(backoffDelay(3, 30_000, () => 0.5)).toBe(600);
    expect(backoffDelay(20, 30_000, () => 0)).toBe(15_000);
    expect(backoffDelay(20, 30_000, () => 1)).toBe(30_000);
  });

  it('opens every document over one socket, in one flight once it is open', async () => {
    const conn = shared();
    const docs = Array.from({ length: 30 }, (_, i) => channel(conn.WebSocket, `unit:U${i}`));
    expect(FakeSocket.made).toHaveLength(1);
    const [socket] = FakeSocket.made;
    expect(socket!.url).toBe('ws://server/unit:U0');
    expect(socket!.protocols).toEqual(['dossierlens', 'auth.t', MULTIPLEX_SUBPROTOCOL]);
    socket!.accept(MULTIPLEX_SUBPROTOCOL);
    expect(conn.mode()).toBe('multiplexed');
    // All opens first, then each document's step 1 from its own onopen.
    expect(socket!.log().slice(0, 30)).toEqual(docs.map((_, i) => `unit:U${i}:${messageOpen}`));
    expect(socket!.log().slice(30)).toEqual(docs.map((_, i) => `unit:U${i}:0`));
    expect(docs.every((d) => d.events[0] === 'open')).toBe(true);
    // A document that comes later is opened at once, on the same socket.
    const late = channel(conn.WebSocket, 'notes:U0');
    await flush();
    expect(late.events).toEqual(['open']);
    expect(FakeSocket.made).toHaveLength(1);
    expect(socket!.log().slice(-2)).toEqual([`notes:U0:${messageOpen}`, 'notes:U0:0']);
  });

  it('opens the socket ahead of its documents when asked, and they use it', async () => {
    const conn = shared();
    conn.preconnect('ws://server/workspace', ['dossierlens', 'auth.t']);
    expect(FakeSocket.made.map((s) => s.url)).toEqual(['ws://server/workspace']);
    FakeSocket.made[0]!.accept(MULTIPLEX_SUBPROTOCOL);
    const doc = channel(conn.WebSocket, 'unit:A01');
    await flush();
    expect(doc.events).toEqual(['open']);
    expect(FakeSocket.made).toHaveLength(1);
    expect(FakeSocket.made[0]!.log()).toEqual([`unit:A01:${messageOpen}`, 'unit:A01:0']);
  });

  it('while the server cannot be reached, one attempt per backoff step for all documents; they hear each failure but wait, not close', async () => {
    vi.useFakeTimers();
    const conn = shared(() => 1);
    const docs = Array.from({ length: 50 }, (_, i) => channel(conn.WebSocket, `unit:U${i}`));
    expect(docs.every((d) => d.events.length === 0)).toBe(true);
    FakeSocket.made[0]!.fail('connect ECONNREFUSED');
    // Each document learns the attempt failed (its status says offline), as from a socket of its own.
    expect(docs.every((d) => d.events.join() === 'error:connect ECONNREFUSED')).toBe(true);
    // A document that starts waiting now is told at once (after its handlers are set).
    const late = channel(conn.WebSocket, 'notes:U0');
    await flush();
    expect(late.events).toEqual(['error:connect ECONNREFUSED']);
    vi.advanceTimersByTime(199);
    expect(FakeSocket.made).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.made).toHaveLength(2);
    FakeSocket.made[1]!.fail();
    vi.advanceTimersByTime(400);
    expect(FakeSocket.made).toHaveLength(3);
    FakeSocket.made[2]!.fail();
    vi.advanceTimersByTime(799);
    expect(FakeSocket.made).toHaveLength(3);
    // The network is back (or the user asked): no need to wait out the step.
    conn.retryNow();
    expect(FakeSocket.made).toHaveLength(4);
    expect(docs.every((d) => d.events.length === 3 && d.events.every((e) => e.startsWith('error:')))).toBe(true);
    FakeSocket.made[3]!.accept(MULTIPLEX_SUBPROTOCOL);
    expect([...docs, late].every((d) => d.events.at(-1) === 'open')).toBe(true);
    expect([...docs, late].some((d) => d.events.some((e) => e.startsWith('close:')))).toBe(false);
  });

  it('spreads devices that lost the server at the same moment', () => {
    vi.useFakeTimers();
    const randoms = [0, 0.25, 0.5, 0.75, 0.99];
    const devices = randoms.map((r) => {
      const conn = shared(() => r);
      channel(conn.WebSocket, 'workspace');
      return conn;
    });
    for (const socket of [...FakeSocket.made]) socket.fail();
    const retried: number[] = [];
    for (let ms = 1; ms <= 200; ms++) {
      const before = FakeSocket.made.length;
      vi.advanceTimersByTime(1);
      for (let i = before; i < FakeSocket.made.length; i++) retried.push(ms);
    }
    expect(retried).toHaveLength(devices.length);
    expect(new Set(retried).size).toBe(devices.length);
  });

  it('closes one document with its own close message; the others stay open', () => {
    const conn = shared();
    const a = channel(conn.WebSocket, 'workspace');
    const b = channel(conn.WebSocket, 'unit:A01');
    const socket = FakeSocket.made[0]!;
    socket.accept(MULTIPLEX_SUBPROTOCOL);
    socket.receive(encodeClose(envelopePrefix('workspace'), 4403, 'no grant on this document'));
    socket.receive(envelope(envelopePrefix('unit:A01'), new Uint8Array([0, 1, 2, 0, 0])));
    expect(a.events).toEqual(['open', 'close:4403:no grant on this document']);
    expect(b.events).toEqual(['open', 'message:0,1,2,0,0']);
    // Frames for a document no longer open are dropped (they crossed the close on the wire).
    socket.receive(envelope(envelopePrefix('workspace'), new Uint8Array([3])));
    expect(a.events).toHaveLength(2);
  });

  it('closes every document with the socket’s code when it drops, and they come back on one new socket', async () => {
    vi.useFakeTimers();
    const conn = shared(() => 0);
    const docs = ['workspace', 'unit:A01', 'unit:A02'].map((d) => channel(conn.WebSocket, d));
    FakeSocket.made[0]!.accept(MULTIPLEX_SUBPROTOCOL);
    FakeSocket.made[0]!.drop(4401, 'token revoked');
    expect(docs.map((d) => d.events.at(-1))).toEqual(Array(3).fill('close:4401:token revoked'));
    // The providers reconnect after their own backoff; the new socket waits out its first step.
    const again = ['workspace', 'unit:A01', 'unit:A02'].map((d) => channel(conn.WebSocket, d));
    expect(FakeSocket.made).toHaveLength(1);
    vi.advanceTimersByTime(100);
    expect(FakeSocket.made).toHaveLength(2);
    FakeSocket.made[1]!.accept(MULTIPLEX_SUBPROTOCOL);
    expect(again.every((d) => d.events[0] === 'open')).toBe(true);
  });

  it('leaves a document its provider closes, and closes the socket with the last one', () => {
    const conn = shared();
    const a = channel(conn.WebSocket, 'workspace');
    const b = channel(conn.WebSocket, 'unit:A01');
    const socket = FakeSocket.made[0]!;
    socket.accept(MULTIPLEX_SUBPROTOCOL);
    a.ws.close();
    expect(socket.log().at(-1)).toBe(`workspace:${messageClose}`);
    expect(socket.closedByClient).toBe(false);
    b.ws.close();
    expect(socket.log().at(-1)).toBe(`unit:A01:${messageClose}`);
    expect(socket.closedByClient).toBe(true);
  });

  it.each([
    ['answers the per-document protocol', (s: FakeSocket) => s.accept('dossierlens')],
    [
      'refuses the probe’s document with 403 (Node sees the status)',
      (s: FakeSocket) => s.fail('Unexpected server response: 403'),
    ],
  ])('falls back to a socket per document when the server %s', (_what, answer) => {
    const conn = shared();
    const docs = ['workspace', 'unit:A01'].map((d) => channel(conn.WebSocket, d));
    answer(FakeSocket.made[0]!);
    expect(conn.mode()).toBe('per-document');
    expect(FakeSocket.made.slice(1).map((s) => [s.url, s.protocols])).toEqual([
      ['ws://server/workspace', ['dossierlens', 'auth.t']],
      ['ws://server/unit:A01', ['dossierlens', 'auth.t']],
    ]);
    FakeSocket.made[2]!.accept('dossierlens');
    expect(docs[1]!.events).toEqual(['open']);
    expect(FakeSocket.made[2]!.sent).toEqual([new Uint8Array([0, 0, 1, 0])]); // no envelope
    // Documents that come later get their own socket straight away.
    channel(conn.WebSocket, 'unit:A02');
    expect(FakeSocket.made.at(-1)!.url).toBe('ws://server/unit:A02');
  });

  it('tells every waiting document when the token is refused (401), so their providers stop', () => {
    const conn = shared();
    const docs = ['workspace', 'unit:A01'].map((d) => channel(conn.WebSocket, d));
    FakeSocket.made[0]!.fail('Unexpected server response: 401');
    expect(docs.map((d) => d.events)).toEqual(Array(2).fill(['error:Unexpected server response: 401', 'close:1006:']));
    expect(FakeSocket.made).toHaveLength(1);
  });

  it('keeps one socket per token: documents moved to a new token get a new socket', () => {
    const conn = shared();
    const old = channel(conn.WebSocket, 'workspace', 'old');
    FakeSocket.made[0]!.accept(MULTIPLEX_SUBPROTOCOL);
    channel(conn.WebSocket, 'unit:A01', 'new');
    expect(FakeSocket.made).toHaveLength(2);
    expect(FakeSocket.made[1]!.protocols).toContain('auth.new');
    old.ws.close();
    expect(FakeSocket.made[0]!.closedByClient).toBe(true);
  });
});
