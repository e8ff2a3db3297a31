/**
 * Helpers for the server's tests (and the benchmark): temporary data directories, a server on a
 * random loopback port that records its log lines and the tokens it mints, what the store holds,
 * stock clients, raw sockets and raw multiplexed sockets, and the server as a child process.
 * Crafted frames and updates are in testing-frames.ts, the per-file server in testing-fixture.ts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import * as wire from '../core/sync/multiplex-wire.ts';
import type { Grant, Role } from './access.ts';
import { exportDocument, issueToken } from './admin.ts';
import { encodeSyncStep1 } from './protocol.ts';
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

/** The clientIDs whose presence `provider` sees added or updated from now on, in order. */
export function presenceSeenBy(provider: WebsocketProvider): number[] {
  const seen: number[] = [];
  provider.awareness.on('update', ({ added, updated }: { added: number[]; updated: number[] }) =>
    seen.push(...added, ...updated),
  );
  return seen;
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
  const ws = new WebSocket(`${url}/${path}`, ['dossierlens', `auth.${token}`, wire.MULTIPLEX_SUBPROTOCOL]);
  ws.binaryType = 'nodebuffer';
  const received = new Map<string, Uint8Array[]>();
  const closes = new Map<string, { code: number; reason: string }>();
  ws.on('message', (data: Buffer) => {
    const bytes = new Uint8Array(data);
    const { doc, type, decoder, prefixLength } = wire.readEnvelope(bytes);
    if (type === wire.messageClose) closes.set(doc, wire.readClose(decoder));
    else received.set(doc, [...(received.get(doc) ?? []), bytes.subarray(prefixLength)]);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
  const client: MuxClient = {
    ws,
    messages: (doc) => received.get(doc) ?? [],
    closes,
    open: (doc) => ws.send(wire.encodeOpen(wire.envelopePrefix(doc))),
    start: (doc, ydoc = new Y.Doc()) => {
      client.open(doc);
      client.send(doc, encodeSyncStep1(Y.encodeStateVector(ydoc)));
    },
    leave: (doc) => ws.send(wire.encodeLeave(wire.envelopePrefix(doc))),
    send: (doc, message) => ws.send(wire.envelope(wire.envelopePrefix(doc), message)),
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

/** SIGKILL a server started by `spawnServer`; resolves once it has exited. */
export function killServer(child: ChildProcess): Promise<void> {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  return exited;
}
