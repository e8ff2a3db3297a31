/**
 * The setup the server's test files share, as vitest hooks: `useFileServer`, one server on a fresh
 * data directory, started before the file's (or the describe block's) tests and closed, directory
 * removed, after them, with the stock clients and multiplexed sockets a test opens through it
 * closed after each test; `useCleanups`, what a test leaves to undo; `expectNoTokenInLogs`.
 * Kept apart from testing.ts, which benchmarks and scripts import outside vitest.
 */
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import type { Role } from './access.ts';
import type { ServerOptions } from './server.ts';
import {
  type MuxClient,
  type TestServer,
  muxClient,
  startTestServer,
  stockClient,
  tempDataDir,
  waitFor,
} from './testing.ts';

export interface FileServer {
  /**
   * The server, usable at module scope: it stands for the one started before the first test (a
   * property read before then throws), so helpers defined beside the tests can name it.
   */
  server: TestServer;
  /** Destroyed after each test. */
  providers: WebsocketProvider[];
  /** Closed after each test. */
  sockets: MuxClient[];
  /** A stock y-websocket client (testing.ts, `stockClient`), destroyed after the test. */
  stock(
    doc: string,
    token: string,
    transport?: 'query' | 'subprotocol',
    ydoc?: Y.Doc,
    target?: TestServer,
  ): WebsocketProvider;
  /** A token for `user` of `role` on `doc` (every unit unless said). */
  token(user: string, role: Role, doc?: string, ttlSeconds?: number): string;
  /** A bare multiplexed socket (testing.ts, `muxClient`), closed after the test. */
  mux(token: string, path?: string, target?: TestServer): Promise<MuxClient>;
}

export function useFileServer(
  options: Partial<ServerOptions> = {},
  /** After each test, also wait until the server counts no connection (the next test starts clean). */
  { settle = false }: { settle?: boolean } = {},
): FileServer {
  const data = tempDataDir();
  let started: TestServer | undefined;
  const server = new Proxy({} as TestServer, {
    get(_, key) {
      if (started === undefined) throw new Error(`the test server is not started yet (reading ${String(key)})`);
      const value: unknown = Reflect.get(started, key);
      return typeof value === 'function' ? value.bind(started) : value;
    },
  });
  const providers: WebsocketProvider[] = [];
  const sockets: MuxClient[] = [];

  beforeAll(async () => {
    started = await startTestServer(data.dir, options);
  });
  afterEach(async () => {
    for (const provider of providers.splice(0)) provider.destroy();
    for (const socket of sockets.splice(0)) socket.ws.close();
    if (settle) await waitFor(() => server.metrics.connections === 0, 'every socket to close');
  });
  afterAll(async () => {
    await started?.close();
    data.remove();
  });

  return {
    server,
    providers,
    sockets,
    stock(doc, token, transport = 'query', ydoc, target = server) {
      const provider = stockClient(target.url, doc, token, transport, ydoc);
      providers.push(provider);
      return provider;
    },
    token: (user, role, doc = 'unit:*', ttlSeconds = 3600) => server.token(user, [role, doc], ttlSeconds),
    async mux(token, path, target = server) {
      const socket = await muxClient(target.url, token, path);
      sockets.push(socket);
      return socket;
    },
  };
}

/** The server's log holds none of the tokens it minted, whole or their signature alone. */
export function expectNoTokenInLogs(server: TestServer): void {
  const text = server.logs.join('\n');
  for (const value of server.minted) {
    expect(text).not.toContain(value);
    expect(text).not.toContain(value.split('.')[2]!);
  }
}

/**
 * What a test pushes onto `cleanups` runs after it, last pushed first (a server before its
 * directory); `dir()` is a fresh data directory removed then.
 */
export function useCleanups(): { cleanups: (() => unknown)[]; dir(): string } {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return {
    cleanups,
    dir() {
      const data = tempDataDir();
      cleanups.push(() => data.remove());
      return data.dir;
    },
  };
}
