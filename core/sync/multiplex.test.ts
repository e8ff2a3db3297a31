import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { setupWSConnection } from '@y/websocket-server/utils';
// The real server, on loopback. Only tests reach into sync-server/; the library does not.
import { startTestServer, tempDataDir, waitFor } from '../../sync-server/testing.ts';
import { QUERIES_DOC, unitDocName, userDocName } from '../doc/names.ts';
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
import { openWorkspace, type Workspace } from './workspace.ts';

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

// y-websocket adds a process 'exit' listener per document (Node only); a workspace has a few dozen.
process.setMaxListeners(Math.max(process.getMaxListeners(), 64));

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

describe('the shared connection against real servers', () => {
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  });

  async function server(options: { multiplex?: boolean } = {}) {
    const data = tempDataDir();
    const s = await startTestServer(data.dir, options);
    stops.push(async () => {
      await s.close();
      data.remove();
    });
    return s;
  }

  async function workspaceOn(url: string, token: string): Promise<Workspace> {
    const w = await openWorkspace({
      serverUrl: url,
      token,
      persistence: 'none',
      crossTab: false,
      confirmDebounceMs: 20,
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    });
    stops.push(() => w.close());
    return w;
  }

  /** Ten units with a cadre each, written by an admin. */
  async function city(url: string, token: string, codes: string[]) {
    const w = await workspaceOn(url, token);
    await w.workspaceSynced.whenSynced();
    for (const code of codes) w.workspace.units.put({ code, name: `单位${code}`, kind: 'government' });
    for (const code of codes) {
      const u = await w.unit(code);
      u.dossiers.cadres.put({
        id: `${code}-c1`,
        name: '王伟',
        aliases: [],
        gender: 'male',
        birth: '1975-03',
        unitCode: code,
        post: '局长',
        rank: '正处级',
      });
    }
    await w.whenConfirmed();
    await w.close();
  }

  const codes = Array.from({ length: 10 }, (_, i) => `K${String(i).padStart(2, '0')}`);

  it('syncs a workspace of many documents over one socket', async () => {
    const s = await server();
    const token = s.token('kai', [{ role: 'admin', doc: '*' }]);
    await city(s.url, token, codes);
    await waitFor(() => s.metrics.connections === 0, 'the writer to leave');
    const w = await workspaceOn(s.url, token);
    await w.workspaceSynced.whenSynced();
    await w.openUnits({ notes: true });
    await waitFor(() => w.status().connection === 'online', 'every document online');
    expect(w.transport()).toBe('multiplexed');
    expect(w.docs()).toHaveLength(1 + 2 * codes.length);
    expect(s.metrics.connections).toBe(1);
    expect(s.metrics.openDocuments).toBe(1 + 2 * codes.length);
    expect(w.index.all().filter((e) => e.type === 'cadre')).toHaveLength(codes.length);
  });

  it('refuses a document without a grant on its own (403), and keeps the others online on the same socket', async () => {
    const s = await server();
    await city(s.url, s.token('ada', [{ role: 'admin', doc: '*' }]), ['G01']);
    const w = await workspaceOn(
      s.url,
      s.token('gus', [
        { role: 'viewer', doc: 'workspace' },
        { role: 'editor', doc: 'unit:*' },
      ]),
    );
    await w.workspaceSynced.whenSynced();
    const n = await w.notes('G01');
    await expect(n.synced.whenSynced()).rejects.toMatchObject({
      name: 'SyncRefusedError',
      kind: 'refused',
      httpStatus: 403,
      doc: 'notes:G01',
    });
    const u = await w.unit('G01');
    await u.synced.whenSynced();
    expect(w.status().closed).toEqual([
      { doc: 'notes:G01', code: 4403, httpStatus: 403, reason: 'HTTP 403: the token has no grant on this document' },
    ]);
    expect(
      w
        .status()
        .docs.filter((d) => d.connection === 'online')
        .map((d) => d.name),
    ).toEqual(['workspace', unitDocName('G01')]);
    expect(s.metrics.connections).toBe(1);
  });

  it('opens the documents with derived access and the register on the shared socket; one refused (403) is not asked for again', async () => {
    const s = await server();
    const w = await workspaceOn(
      s.url,
      s.token('eve', [
        { role: 'viewer', doc: 'workspace' },
        { role: 'editor', doc: 'unit:*' },
        { role: 'editor', doc: 'register' },
      ]),
    );
    const [mine, queries, register] = await Promise.all([
      w.doc(userDocName('eve'), 'user'),
      w.doc(QUERIES_DOC, 'queries'),
      w.register(),
    ]);
    await Promise.all([
      w.workspaceSynced.whenSynced(),
      mine.whenSynced(),
      queries.whenSynced(),
      register.synced.whenSynced(),
    ]);
    // Somebody else's own document: refused once, and its provider stops (4403 is final).
    const theirs = await w.doc(userDocName('zed'), 'user');
    await expect(theirs.whenSynced()).rejects.toMatchObject({
      name: 'SyncRefusedError',
      kind: 'refused',
      httpStatus: 403,
      doc: 'user:zed',
    });
    expect(theirs.provider.shouldConnect).toBe(false);
    // The others carry on over the same socket: a write to each is confirmed.
    for (const d of [mine, queries, register.synced]) d.doc.getMap('m').set('by', 'eve');
    await Promise.all([mine.whenConfirmed(), queries.whenConfirmed(), register.synced.whenConfirmed()]);
    expect(w.transport()).toBe('multiplexed');
    expect(s.metrics.connections).toBe(1);
    expect(s.logs.filter((line) => line.includes('has no grant'))).toEqual([
      expect.stringContaining('eve has no grant on user:zed'),
    ]);
    expect(w.status().closed).toEqual([
      { doc: 'user:zed', code: 4403, httpStatus: 403, reason: 'HTTP 403: the token has no grant on this document' },
    ]);
  });

  it('falls back to a socket per document against our server with multiplexing off', async () => {
    const s = await server({ multiplex: false });
    const token = s.token('fox', [{ role: 'admin', doc: '*' }]);
    await city(s.url, token, codes);
    await waitFor(() => s.metrics.connections === 0, 'the writer to leave');
    const w = await workspaceOn(s.url, token);
    await w.workspaceSynced.whenSynced();
    await w.openUnits();
    await waitFor(() => w.status().connection === 'online', 'every document online');
    expect(w.transport()).toBe('per-document');
    expect(s.metrics.connections).toBe(1 + codes.length);
    expect(w.index.all().filter((e) => e.type === 'cadre')).toHaveLength(codes.length);
  });

  it('falls back against the reference y-websocket server, which takes the first protocol offered', async () => {
    const http: Server = createServer();
    const wss = new WebSocketServer({ noServer: true });
    http.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => setupWSConnection(ws, req)));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    stops.push(
      () =>
        new Promise<void>((resolve) => {
          for (const client of wss.clients) client.terminate();
          http.close(() => resolve());
        }),
    );
    const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const a = await workspaceOn(url, 'no-auth-here');
    const b = await workspaceOn(url, 'no-auth-here');
    await a.workspaceSynced.whenSynced();
    a.workspace.units.put({ code: 'R01', name: '参照单位', kind: 'government' });
    await waitFor(() => b.workspace.units.ids().includes('R01'), 'the other client to receive the unit');
    expect([a.transport(), b.transport()]).toEqual(['per-document', 'per-document']);
  });
});
