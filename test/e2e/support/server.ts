import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateSecret, mintToken as mint } from '../../../sync-server/token.ts';
import { startServer, type RunningServer } from '../../../sync-server/server.ts';

/**
 * The real sync server on loopback, with a temporary data directory, and real tokens minted by
 * the server's token module with the data directory's secret (what `npm run cli -- token` does), so
 * tests go through the production auth path and never a backdoor.
 */

type StartedServer = RunningServer;

export interface TestServer {
  /** ws://127.0.0.1:PORT */
  url: string;
  /** http://127.0.0.1:PORT, for GET /whoami and /history */
  httpUrl: string;
  port: number;
  dataDir: string;
  /** Stops the server (clients see it go away: the "offline" of the e2e tests). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data directory. */
  restart(): Promise<void>;
  /** Stops it and removes the data directory. */
  close(): Promise<void>;
  /** Mints an access token signed with this server's secret. */
  token(t: TokenRequest): string;
}

export interface TokenRequest {
  user: string;
  name: string;
  role?: 'viewer' | 'annotator' | 'editor' | 'admin';
  /** Document names or patterns granted `role`, e.g. ['unit:*', 'notes:*', 'workspace']. */
  docs?: string[];
  /** Or explicit grants, for mixed roles (editor on unit:*, annotator on notes:*). */
  grants?: { role: 'viewer' | 'annotator' | 'editor' | 'admin'; doc: string }[];
  ttlSeconds?: number;
}

export async function startTestServer(): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dl-server-'));
  let running: StartedServer | undefined = await startServer({ port: 0, dataDir, logLevel: 'warn' });
  const port = running.port;
  const url = `ws://127.0.0.1:${port}`;
  const self: TestServer = {
    url,
    httpUrl: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    async stop() {
      await running?.close();
      running = undefined;
    },
    async restart() {
      if (!running) running = await startServer({ port, dataDir, logLevel: 'warn' });
    },
    async close() {
      await self.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
    token: (t) => mintToken(dataDir, t),
  };
  return self;
}

/** Mints a token in-process with the server's own token module and the data directory's secret. */
export function mintToken(dataDir: string, t: TokenRequest): string {
  const grants = [...(t.grants ?? []), ...(t.docs ?? []).map((doc) => ({ role: t.role ?? 'viewer', doc }))];
  return mint(loadOrCreateSecret(dataDir), { user: t.user, name: t.name, grants, ttlSeconds: t.ttlSeconds ?? 8 * 3600 })
    .token;
}
