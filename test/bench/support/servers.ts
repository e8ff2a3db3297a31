/**
 * The sync servers the benchmarks measure, each a child process on loopback: ours (a checkout's
 * sync-server/main.ts) and the reference @y/websocket-server 0.1.1. A helper, not a benchmark.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { issueToken } from '../../../sync-server/admin.ts';
import { type Endpoint, freePort, stopChild, waitForLine } from './protocol-clients.ts';

/** This checkout: where the servers run from, and where BENCHMARKS.md is. */
export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

/** Both servers: tsx (ours needs it; the reference is plain JS) and a GC on SIGUSR2 (server-gc.ts). */
export const gcPreload = ['--expose-gc', '--import', 'tsx', '--import', './test/bench/server-gc.ts'];

/** Words of an environment variable such as BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=DIR'. */
export const envWords = (name: string): string[] => process.env[name]?.split(' ').filter(Boolean) ?? [];

/**
 * Our limits raised: the reference has none, the throughput phases send as fast as they can, and
 * the bench's one user stands for the thousands of stock clients of the idle phases.
 */
export const limitsLifted = [
  '--messages-per-second',
  '1000000',
  '--message-burst',
  '1000000',
  '--bytes-per-second',
  '1000000000',
  '--byte-burst',
  '1000000000',
  '--max-queued-messages',
  '1000000',
  '--max-connections',
  '100000',
  '--max-connections-per-user',
  '100000',
];

export interface BenchServer extends Endpoint {
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * `root`'s sync-server/main.ts on a free loopback port with `dataDir`, warnings only, run by node
 * with `node` (tsx by default) and given `args`; resolves once it listens, with its ws:// URL.
 */
export async function spawnOurServer(
  dataDir: string,
  { root = repoRoot, node = ['--import', 'tsx'], args = [] }: { root?: string; node?: string[]; args?: string[] } = {},
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [...node, 'sync-server/main.ts', '--port', '0', '--data', dataDir, '--log-level', 'warn', ...args],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const match = await waitForLine(child, /listening (ws:\/\/[^\s"]+)/u);
  return { child, url: match[1]! };
}

/** The token of the bench's one user: editor of every unit document, signed with `dataDir`'s secret. */
export function benchToken(dataDir: string): string {
  return issueToken(dataDir, { user: 'bench', grants: [{ role: 'editor', doc: 'unit:*' }], ttlSeconds: 3600 }).token;
}

/** Ours as measured against the reference: limits lifted, a GC on SIGUSR2, the bench user's token. */
export async function startOurs(
  dataDir: string,
  { token = benchToken(dataDir), node = [], args = [] }: { token?: string; node?: string[]; args?: string[] } = {},
): Promise<BenchServer> {
  const { child, url } = await spawnOurServer(dataDir, {
    node: [...node, ...gcPreload],
    args: [...limitsLifted, ...args],
  }).catch((error: Error) => {
    throw new Error(`our server did not start: ${error.message}`);
  });
  return { child, url, query: `?token=${token}`, stop: () => stopChild(child) };
}

/** The reference, without persistence unless given a y-leveldb directory (its YPERSISTENCE). */
export async function startReference(persistenceDir?: string): Promise<BenchServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [...gcPreload, 'node_modules/@y/websocket-server/src/server.js'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      ...(persistenceDir ? { YPERSISTENCE: persistenceDir } : {}),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await waitForLine(child, /running at/u);
  return { child, url: `ws://127.0.0.1:${port}`, query: '', stop: () => stopChild(child) };
}
