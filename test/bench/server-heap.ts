/**
 * Server heap per idle document: 1,000 small documents held open by clients either on a socket
 * each (stock clients) or 100 to a multiplexed socket, the server in this process, heap after
 * three forced GCs (RSS, in test/bench/server.ts, moves with the allocator by ±25 % between runs;
 * the heap is steadier). The figure includes the clients' own sockets, which live in this process
 * too. `npx tsx test/bench/server-heap.ts [--root DIR] [--runs N]` (it restarts itself with
 * --expose-gc): `--root`
 * measures another checkout's server (e.g. one exported with `git archive`), per-document only
 * when it has no multiplexing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { MULTIPLEX_SUBPROTOCOL, encodeOpen, envelope, envelopePrefix } from '../../core/sync/multiplex-wire.ts';
import { encodeSyncStep1 } from '../../sync-server/protocol.ts';
import { smallDocUpdate } from './support/idle-documents.ts';

const argv = process.argv.slice(2);
const arg = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const root = resolve(arg('--root') ?? fileURLToPath(new URL('../..', import.meta.url)));
const runs = Number(arg('--runs') ?? 2);
const DOCUMENTS = 1000;
const PER_SOCKET = 100;

type Mode = 'per-document' | 'multiplexed';
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  // `npm run bench` runs benchmarks without --expose-gc: run again with it.
  const again = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), ...argv],
    { stdio: 'inherit' },
  );
  process.exit(again.status ?? 1);
}
const collect = () => {
  for (let i = 0; i < 3; i++) gc!();
};
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

const step1 = encodeSyncStep1(Y.encodeStateVector(new Y.Doc()));

async function open(url: string, protocols: string[] = []): Promise<WebSocket> {
  const ws = new WebSocket(url, protocols, { perMessageDeflate: false });
  await new Promise((done, fail) => {
    ws.once('open', done);
    ws.once('error', fail);
  });
  return ws;
}

async function measure(mode: Mode): Promise<number> {
  const { startServer } = await import(join(root, 'sync-server/server.ts'));
  const { issueToken } = await import(join(root, 'sync-server/admin.ts'));
  const dataDir = mkdtempSync(join(tmpdir(), 'dl-heap-'));
  // The bench's one user holds 1,000 stock sockets: above the per-user cap (32 with multiplexing)
  // that came with the hardening; an older server has no such option.
  const caps = readFileSync(join(root, 'sync-server/server.ts'), 'utf8').includes('maxConnectionsPerUser')
    ? { maxConnectionsPerUser: 100_000 }
    : {};
  const server = await startServer({ port: 0, dataDir, logLevel: 'error', logSink: () => undefined, ...caps });
  const token: string = issueToken(dataDir, {
    user: 'bench',
    grants: [{ role: 'editor', doc: 'unit:*' }],
    ttlSeconds: 3600,
  }).token;
  const sockets: WebSocket[] = [];
  try {
    await sleep(200);
    collect();
    const before = process.memoryUsage().heapUsed;
    if (mode === 'per-document') {
      for (let i = 0; i < DOCUMENTS; i++) {
        const ws = await open(`${server.url}/unit:IDLE${i}?token=${token}`);
        ws.send(step1);
        ws.send(smallDocUpdate(i));
        sockets.push(ws);
      }
    } else {
      for (let first = 0; first < DOCUMENTS; first += PER_SOCKET) {
        const ws = await open(`${server.url}/unit:IDLE${first}?token=${token}`, ['dossierlens', MULTIPLEX_SUBPROTOCOL]);
        if (ws.protocol !== MULTIPLEX_SUBPROTOCOL) throw new Error(`${root}: this server does not multiplex`);
        for (let i = first; i < first + PER_SOCKET; i++) {
          const prefix = envelopePrefix(`unit:IDLE${i}`);
          ws.send(encodeOpen(prefix));
          ws.send(envelope(prefix, step1));
          ws.send(envelope(prefix, smallDocUpdate(i)));
        }
        sockets.push(ws);
      }
    }
    await sleep(2000);
    collect();
    if (server.metrics.documentsLoaded !== DOCUMENTS)
      throw new Error(`${server.metrics.documentsLoaded} documents loaded, expected ${DOCUMENTS}`);
    return (process.memoryUsage().heapUsed - before) / DOCUMENTS / 1024;
  } finally {
    for (const ws of sockets) ws.terminate();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const modes: Mode[] = existsSync(join(root, 'sync-server/multiplex.ts'))
  ? ['per-document', 'multiplexed']
  : ['per-document'];
process.stdout.write(`Server heap per idle document (${root}, node ${process.version})\n`);
// A first round is not counted: it pays for what the modules set up once (compiled code, caches).
await measure('per-document');
for (const mode of modes) {
  const kb: number[] = [];
  for (let i = 0; i < runs; i++) kb.push(await measure(mode));
  const label = mode === 'per-document' ? 'a socket per document' : `${PER_SOCKET} documents per multiplexed socket`;
  process.stdout.write(`  ${label}: ${kb.map((x) => x.toFixed(2)).join(', ')} kB\n`);
}
process.exit(0);
