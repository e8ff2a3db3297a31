/**
 * Helpers for the server's tests (and the benchmark): temporary data directories, a server on a
 * random loopback port that records its log lines, tokens, stock clients, raw sockets and raw
 * multiplexed sockets.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { type Socket, connect } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import {
  MULTIPLEX_SUBPROTOCOL,
  encodeLeave,
  encodeOpen,
  envelope,
  envelopePrefix,
  messageClose,
  readClose,
  readEnvelope,
} from '../core/sync/multiplex-wire.ts';
import type { Grant, Role } from './access.ts';
import { exportDocument, issueToken } from './admin.ts';
import { encodeAwarenessEntries } from './presence.ts';
import { encodeAwareness, encodeSyncStep1 } from './protocol.ts';
import { type RunningServer, type ServerOptions, startServer } from './server.ts';

export function tempDataDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'dossier-lens-server-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TestServer extends RunningServer {
  dataDir: string;
  logs: string[];
  token(user: string, grants: Grant[] | [Role, string], ttlSeconds?: number): string;
  /** Every token `token` issued, and any a test adds: what the logs must never contain. */
  minted: string[];
}

export async function startTestServer(dataDir: string, options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const logs: string[] = [];
  const server = await startServer({ port: 0, dataDir, logSink: (line) => logs.push(line), ...options });
  const minted: string[] = [];
  return Object.assign(server, {
    dataDir,
    logs,
    minted,
    token(user: string, grants: Grant[] | [Role, string], ttlSeconds = 3600) {
      const list: Grant[] =
        typeof grants[0] === 'string' ? [{ role: grants[0] as Role, doc: grants[1] as string }] : (grants as Grant[]);
      const { token } = issueToken(dataDir, { user, grants: list, ttlSeconds });
      minted.push(token);
      return token;
    },
  });
}

/** `run` against a server of its own on a fresh data directory, closed and removed afterwards. */
export async function withTestServer<T>(
  options: Partial<ServerOptions>,
  run: (server: TestServer) => Promise<T>,
): Promise<T> {
  const data = tempDataDir();
  const server = await startTestServer(data.dir, options);
  try {
    return await run(server);
  } finally {
    await server.close();
    data.remove();
  }
}

/** What the store in `dataDir` holds of `doc` (the CLI's export), as a Y.Doc. */
export async function storedDoc(dataDir: string, doc: string): Promise<Y.Doc> {
  const ydoc = new Y.Doc();
  Y.applyUpdate(ydoc, await exportDocument(dataDir, doc));
  return ydoc;
}

/** A stock y-websocket 3 client in Node, token in the query string or as a subprotocol. */
export function stockClient(
  url: string,
  docName: string,
  token: string,
  transport: 'query' | 'subprotocol' = 'query',
  doc = new Y.Doc(),
): WebsocketProvider {
  return new WebsocketProvider(url, docName, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    ...(transport === 'query' ? { params: { token } } : { protocols: ['dossierlens', `auth.${token}`] }),
  });
}

/** Poll `predicate` until it holds; reject with `what` after `timeoutMs`. A wait, not an assertion on time. */
export async function waitFor(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const synced = (provider: WebsocketProvider) => waitFor(() => provider.synced, `${provider.roomname} to sync`);

export interface RawClient {
  ws: WebSocket;
  frames: Uint8Array[];
  closed: Promise<{ code: number; reason: string }>;
}

/** A bare socket for crafted frames. Resolves when open; rejects with the HTTP status if refused. */
export function rawClient(
  url: string,
  docName: string,
  token: string | null,
  protocols?: string[],
): Promise<RawClient> {
  const target = `${url}/${docName}${token !== null ? `?token=${encodeURIComponent(token)}` : ''}`;
  const ws = new WebSocket(target, protocols);
  const frames: Uint8Array[] = [];
  ws.binaryType = 'nodebuffer';
  ws.on('message', (data: Buffer) => frames.push(new Uint8Array(data)));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, frames, closed }));
    ws.once('unexpected-response', (_req, res) => {
      reject(new Error(`HTTP ${res.statusCode}`));
      ws.terminate();
    });
    ws.once('error', (error) => reject(error));
  });
}

/** The HTTP status an upgrade attempt gets: 101 when accepted. */
export async function upgradeStatus(
  url: string,
  docName: string,
  token: string | null,
  protocols?: string[],
): Promise<number> {
  try {
    const client = await rawClient(url, docName, token, protocols);
    client.ws.close();
    return 101;
  } catch (error) {
    const match = /HTTP (\d+)/u.exec((error as Error).message);
    if (!match) throw error;
    return Number(match[1]);
  }
}

/** A bare multiplexed socket (protocol.ts): open documents, send them messages, read what comes back. */
export interface MuxClient {
  ws: WebSocket;
  /** Messages received for `doc`, envelope removed (y-websocket messages). */
  messages(doc: string): Uint8Array[];
  /** Close messages received, by document. */
  closes: Map<string, { code: number; reason: string }>;
  open(doc: string): void;
  /** Opens `doc` and sends sync step 1 from `ydoc`, as the sync library does. */
  start(doc: string, ydoc?: Y.Doc): void;
  leave(doc: string): void;
  send(doc: string, message: Uint8Array): void;
  closed: Promise<{ code: number; reason: string }>;
}

export function muxClient(url: string, token: string, path = 'workspace'): Promise<MuxClient> {
  const ws = new WebSocket(`${url}/${path}`, ['dossierlens', `auth.${token}`, MULTIPLEX_SUBPROTOCOL]);
  ws.binaryType = 'nodebuffer';
  const received = new Map<string, Uint8Array[]>();
  const closes = new Map<string, { code: number; reason: string }>();
  ws.on('message', (data: Buffer) => {
    const bytes = new Uint8Array(data);
    const { doc, type, decoder, prefixLength } = readEnvelope(bytes);
    if (type === messageClose) closes.set(doc, readClose(decoder));
    else received.set(doc, [...(received.get(doc) ?? []), bytes.subarray(prefixLength)]);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
  const client: MuxClient = {
    ws,
    messages: (doc) => received.get(doc) ?? [],
    closes,
    open: (doc) => ws.send(encodeOpen(envelopePrefix(doc))),
    start: (doc, ydoc = new Y.Doc()) => {
      client.open(doc);
      client.send(doc, encodeSyncStep1(Y.encodeStateVector(ydoc)));
    },
    leave: (doc) => ws.send(encodeLeave(envelopePrefix(doc))),
    send: (doc, message) => ws.send(envelope(envelopePrefix(doc), message)),
    closed,
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('unexpected-response', (_req, res) => {
      reject(new Error(`HTTP ${res.statusCode}`));
      ws.terminate();
    });
    ws.once('error', (error) => reject(error));
  });
}

/**
 * Sends `request` as raw bytes on a new TCP connection and resolves with the status code of the
 * answer (0 when the server closed without one). For requests `fetch` and `ws` refuse to make.
 */
export function rawHttpStatus(port: number, request: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      answer += chunk;
      const match = /^HTTP\/1\.1 (\d{3})/u.exec(answer);
      if (match) {
        resolve(Number(match[1]));
        socket.destroy();
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(0));
    socket.write(request);
  });
}

/** A WebSocket opened by hand on a TCP socket: the test decides what (not) to answer. */
export interface HandMadeSocket {
  socket: Socket;
  /** Sends one masked binary frame. */
  send(payload: Uint8Array): boolean;
  /** Resolves when the server has closed or destroyed the TCP connection. */
  ended: Promise<void>;
}

export function handMadeSocket(port: number, path: string, protocols: string[] = []): Promise<HandMadeSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const ended = new Promise<void>((done) => socket.once('close', () => done()));
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      if (!head.startsWith('HTTP/1.1 101')) return reject(new Error(head.split('\r\n')[0]));
      // Whatever the server sends from now on (its close frame included) is read and ignored.
      socket.on('data', () => undefined);
      resolve({ socket, ended, send: (payload) => socket.write(maskedFrame(payload)) });
    };
    socket.on('data', onData);
    socket.on('error', () => undefined);
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n` +
        (protocols.length > 0 ? `Sec-WebSocket-Protocol: ${protocols.join(', ')}\r\n` : '') +
        '\r\n',
    );
  });
}

function maskedFrame(payload: Uint8Array): Buffer {
  const length = payload.byteLength;
  const header =
    length < 126
      ? Buffer.from([0x82, 0x80 | length])
      : length < 65536
        ? Buffer.from([0x82, 0x80 | 126, length >> 8, length & 255])
        : null;
  if (header === null) throw new Error('frame too large for this helper');
  const mask = randomBytes(4);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i]! ^= mask[i % 4]!;
  return Buffer.concat([header, mask, body]);
}

/** What `change` makes `doc` emit, as one update. */
export function updatesOf(doc: Y.Doc, change: () => void): Uint8Array {
  const captured: Uint8Array[] = [];
  const listen = (update: Uint8Array) => captured.push(update);
  doc.on('update', listen);
  change();
  doc.off('update', listen);
  return Y.mergeUpdates(captured);
}

/** A chain of `depth` nested Y.Maps under root.deep, and the update deleting it (11 bytes). */
export function nestedChain(depth: number, clientID = 777): { nested: Uint8Array; deleteRoot: Uint8Array } {
  const doc = new Y.Doc({ gc: false });
  doc.clientID = clientID;
  const nested = updatesOf(doc, () =>
    doc.transact(() => {
      let current = new Y.Map<unknown>();
      doc.getMap('root').set('deep', current);
      for (let i = 1; i < depth; i++) {
        const next = new Y.Map<unknown>();
        current.set('x', next);
        current = next;
      }
    }),
  );
  const encoder = encoding.createEncoder();
  for (const n of [0, 1, clientID, 1, 0, 1]) encoding.writeVarUint(encoder, n);
  return { nested, deleteRoot: encoding.toUint8Array(encoder) };
}

const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * `npm run server`'s entry point as a child process on any free port; resolves once it listens.
 * Rejects with its exit code and stderr if it stops first (e.g. refused to start).
 */
export async function spawnServer(
  dataDir: string,
  args: string[] = [],
): Promise<{ child: ChildProcess; url: string; stdout: string[] }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'sync-server/main.ts', '--port', '0', '--data', dataDir, ...args],
    {
      cwd: repositoryRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const stdout: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) =>
      reject(Object.assign(new Error(`server exited with ${code}: ${stderr.trim()}`), { code, stderr })),
    );
    lines.on('line', (line) => {
      stdout.push(line);
      const match = /listening (ws:\/\/[^\s"]+)/u.exec(line);
      if (match?.[1]) resolve(match[1]);
    });
  });
  return { child, url, stdout };
}

/** An awareness frame of these entries, each state as given (JSON text, valid or not). */
export function awarenessFrame(entries: { id: number; clock: number; state: string }[]): Uint8Array {
  return encodeAwareness(encodeAwarenessEntries(entries));
}

/** An update of `count` clientIDs, one garbage-collected struct each: small bytes, many authors. */
export function manyClientIdsUpdate(count: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, count);
  for (let client = 1; client <= count; client++) {
    for (const n of [1, client, 0]) encoding.writeVarUint(encoder, n); // one struct, its client, clock 0
    encoding.writeUint8(encoder, 0); // a GC struct
    encoding.writeVarUint(encoder, 1); // of length 1
  }
  encoding.writeVarUint(encoder, 0); // no deletions
  return encoding.toUint8Array(encoder);
}
