/**
 * A new device's first sync of the 10,000-cadre city, server side only: no browser, no IndexedDB.
 * `npx tsx test/bench/server-cold-sync.ts [--root DIR] [--runs N] [--clients N]`.
 *
 * The store is seeded as test/bench/sync-transport.ts seeds it (support/seed-store.ts: 10,000 cadres
 * × 10 records over 98 unit documents and the workspace, one update each, written straight into
 * SQLite), once; every run
 * starts the server (`--root`'s sync-server, so another checkout can be measured against the same
 * data and this client) on a fresh copy of it and times:
 *
 * - **cold**: `--clients` stock y-websocket clients (a socket per document, as the reference client
 *   does), all at once, until each holds every document (the server loads each from storage first);
 * - **warm**: one more stock client, once every document is loaded;
 * - **mux cold / warm**: the same, on a server restarted on a fresh copy, with one bare multiplexed
 *   socket (core/sync/multiplex-wire.ts) carrying all 99 documents, each answer applied to a Y.Doc;
 *
 * and the server's CPU time (user + system) over each phase, with the load average beside it.
 * `BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=DIR'` is passed to the server's node (profiles).
 */
import type { ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { connectMultiplexed, cpuMicros, frameUpdate, stopChild } from './support/protocol-clients.ts';
import { seedLargeCity } from './support/seed-store.ts';
import { envWords, spawnOurServer } from './support/servers.ts';

const arg = (name: string) => {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
};
const root = resolve(arg('--root') ?? fileURLToPath(new URL('../..', import.meta.url)));
const runs = Number(arg('--runs') ?? 3);
const clients = Number(arg('--clients') ?? 1);
// Every stock client registers a process 'exit' listener (y-websocket); hundreds are expected here.
process.setMaxListeners(0);

type StorageModule = typeof import('../../sync-server/storage/sqlite.ts');
type AdminModule = typeof import('../../sync-server/admin.ts');

/** The large city's store, written with `root`'s own storage module (its schema). */
async function seed(dir: string): Promise<string[]> {
  const { openSqliteStorage } = (await import(join(root, 'sync-server/storage/sqlite.ts'))) as StorageModule;
  const storage = openSqliteStorage(dir);
  const { docs } = await seedLargeCity(storage);
  await storage.close();
  return docs;
}

interface Server {
  child: ChildProcess;
  url: string;
  token: string;
  startMs: number;
}

async function startServer(dataDir: string): Promise<Server> {
  const { issueToken } = (await import(join(root, 'sync-server/admin.ts'))) as AdminModule;
  // The per-user socket cap (32 with multiplexing) came with the hardening; the old server has none.
  const caps = readFileSync(join(root, 'sync-server/main.ts'), 'utf8').includes('--max-connections-per-user')
    ? ['--max-connections-per-user', '100000']
    : [];
  const started = performance.now();
  const { child, url } = await spawnOurServer(dataDir, {
    root,
    node: [...envWords('BENCH_NODE_ARGS'), '--import', 'tsx'],
    args: caps,
  });
  const token = issueToken(dataDir, {
    user: 'officer',
    name: 'bench',
    grants: [{ role: 'admin', doc: '*' }],
    ttlSeconds: 3600,
  }).token;
  return { child, url, token, startMs: performance.now() - started };
}

/** A stock y-websocket client per document, until every one has synced. */
async function stockClient(server: Server, docs: string[]): Promise<() => void> {
  const providers = docs.map(
    (doc) =>
      new WebsocketProvider(server.url, doc, new Y.Doc(), {
        WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
        disableBc: true,
        params: { token: server.token },
      }),
  );
  await Promise.all(providers.map((p) => (p.synced ? undefined : new Promise((done) => p.once('sync', done)))));
  return () => providers.forEach((p) => p.destroy());
}

/** One multiplexed socket carrying every document; resolves once each has its step 2 applied. */
function muxClient(server: Server, docs: string[]): Promise<() => void> {
  const ydocs = new Map(docs.map((doc) => [doc, new Y.Doc()]));
  const waiting = new Set(docs);
  return new Promise((done, fail) => {
    const opening = connectMultiplexed({ url: server.url, query: `?token=${server.token}` }, docs, (frame, doc) => {
      if (frame[0] !== 0 || frame[1] !== 1) return;
      Y.applyUpdate(ydocs.get(doc)!, frameUpdate(frame)!);
      waiting.delete(doc);
      if (waiting.size === 0) void opening.then((ws) => done(() => ws.close()));
    });
    opening.catch(fail);
  });
}

interface Phase {
  ms: number;
  cpuMs: number;
}

async function timed(server: Server, work: () => Promise<(() => void)[]>): Promise<Phase & { close: () => void }> {
  const cpu = cpuMicros(server.child.pid!);
  const started = performance.now();
  const closers = await work();
  return {
    ms: performance.now() - started,
    cpuMs: (cpuMicros(server.child.pid!) - cpu) / 1000,
    close: () => closers.forEach((close) => close()),
  };
}

interface Run {
  start: number;
  cold: Phase;
  warm: Phase;
  muxCold: Phase;
  muxWarm: Phase;
  load: number;
}

async function run(template: string, docs: string[]): Promise<Run> {
  const load = loadavg()[0]!;
  const dir = mkdtempSync(join(tmpdir(), 'dl-cold-sync-run-'));
  try {
    cpSync(template, join(dir, 'stock'), { recursive: true });
    cpSync(template, join(dir, 'mux'), { recursive: true });
    const stock = await startServer(join(dir, 'stock'));
    const cold = await timed(stock, () => Promise.all(Array.from({ length: clients }, () => stockClient(stock, docs))));
    const warm = await timed(stock, async () => [await stockClient(stock, docs)]);
    cold.close();
    warm.close();
    await stopChild(stock.child);
    const mux = await startServer(join(dir, 'mux'));
    const muxCold = await timed(mux, () => Promise.all(Array.from({ length: clients }, () => muxClient(mux, docs))));
    const muxWarm = await timed(mux, async () => [await muxClient(mux, docs)]);
    muxCold.close();
    muxWarm.close();
    await stopChild(mux.child);
    return { start: stock.startMs, cold, warm, muxCold, muxWarm, load: Math.max(load, loadavg()[0]!) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const summary = (values: number[]) =>
  `${Math.round(median(values))} (${Math.round(Math.min(...values))}–${Math.round(Math.max(...values))})`;

async function main(): Promise<void> {
  const template = mkdtempSync(join(tmpdir(), 'dl-cold-sync-'));
  try {
    const docs = await seed(template);
    console.log(`server ${root}, ${docs.length} documents, ${clients} client(s) cold, ${runs} runs`);
    const results: Run[] = [];
    for (let i = 0; i < runs; i++) {
      const r = await run(template, docs);
      results.push(r);
      const phase = (p: Phase) => `${p.ms.toFixed(0)} (${p.cpuMs.toFixed(0)})`;
      console.log(
        `run ${i + 1}: start ${r.start.toFixed(0)} ms; ` +
          `stock cold ${r.cold.ms.toFixed(0)} ms (server CPU ${r.cold.cpuMs.toFixed(0)}), warm ${phase(r.warm)}; ` +
          `mux cold ${phase(r.muxCold)}, warm ${phase(r.muxWarm)}; load ${r.load.toFixed(1)}`,
      );
    }
    console.log('median (range), ms:');
    const line = (label: string, figures: string) => console.log(`  ${label.padEnd(22)}${figures}`);
    line('server start', summary(results.map((r) => r.start)));
    const phases = {
      'stock cold': 'cold',
      'stock warm': 'warm',
      'mux cold': 'muxCold',
      'mux warm': 'muxWarm',
    } as const;
    for (const [label, key] of Object.entries(phases)) {
      const ms = summary(results.map((r) => r[key].ms));
      line(label, `${ms}   server CPU ${summary(results.map((r) => r[key].cpuMs))}`);
    }
    line('load average (1 min)', results.map((r) => r.load.toFixed(1)).join(', '));
  } finally {
    rmSync(template, { recursive: true, force: true });
  }
}

await main();
// Stock clients leave timers behind (y-websocket); the figures are printed.
process.exit(0);
