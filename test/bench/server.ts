/**
 * Sync server benchmark: ours against the reference @y/websocket-server@0.1.1, each started as a
 * child process on loopback in the same run, driven by the same lightweight protocol clients in
 * this process. `npx tsx test/bench/server.ts [--write]` (--write updates BENCHMARKS.md).
 *
 * 1. fan-out: 10 documents × (1 writer + 10 peers) = 100 receiving peers.
 *    latency: each writer sends 50 edits/s for a few seconds; latency = send → receipt at each
 *    peer (ours: the server broadcasts only after the SQLite commit, so a receipt is durable).
 *    throughput: writers keep a window of 16 edits in flight; an edit counts when all 10 peers
 *    of its document have it.
 *    Ours also with the 100 peers on 10 multiplexed sockets (each carrying all 10 documents).
 * 2. idle: 1,000 connections, each on its own small document; server RSS growth per connection.
 *    Ours also with the 1,000 documents over 10 multiplexed sockets: RSS growth per document.
 * 3. cold load: a document built from 10,000 updates; restart the server; time until a fresh
 *    client holds the whole document (the reference is given its default persistence,
 *    y-leveldb via YPERSISTENCE, for this part only: without persistence nothing is cold).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type WebSocket from 'ws';
// The reference server's own persistence (a dependency of @y/websocket-server), for the cold load.
// @ts-expect-error y-leveldb's package.json points at type declarations it does not ship
import { LeveldbPersistence as UntypedLeveldb } from 'y-leveldb';
import { envelope, envelopePrefix } from '../../core/sync/multiplex-wire.ts';
import { openSqliteStorage } from '../../sync-server/storage/sqlite.ts';
import { markdownTable, writeResults } from './support/benchmarks-md.ts';
import { FanOutLoad } from './support/fan-out.ts';
import { idleConnections, rssGrowthKb, smallDocUpdate } from './support/idle-documents.ts';
import { connect, connectMultiplexed, cpuMicros, sleep, timeToFullText } from './support/protocol-clients.ts';
import { type BenchServer, envWords, startOurs as startOursLifted, startReference } from './support/servers.ts';
import { storedUpdate, typedUpdates } from './support/seed-store.ts';

const LeveldbPersistence = UntypedLeveldb as new (dir: string) => {
  storeUpdate(doc: string, update: Uint8Array): Promise<unknown>;
  destroy(): Promise<void>;
};

const write = process.argv.includes('--write') || process.env.BENCH_WRITE === '1';

type Kind = 'ours' | 'reference';

const startOurs = (dataDir: string, args: string[] = []) =>
  startOursLifted(dataDir, { node: envWords('BENCH_NODE_ARGS'), args });

interface FanOutResult {
  p50: number;
  p99: number;
  latencySamples: number;
  updatesPerSecond: number;
  /** Server CPU time (user + system) per edit delivered to all its peers, throughput phase. */
  cpuMicrosPerEdit: number;
  /** The same in the latency phase (50 edits/s per writer: little to batch or merge). */
  cpuMicrosPerSteadyEdit: number;
}

async function fanOut(
  server: BenchServer,
  multiplexedPeers = false,
  docs = 10,
  peersPerDoc = 10,
  phaseMs = 2000,
): Promise<FanOutResult> {
  const load = new FanOutLoad(peersPerDoc);
  const sockets: WebSocket[] = [];
  const stamp = Date.now();
  const names = Array.from({ length: docs }, (_, d) => `unit:FAN${d}-${stamp}`);
  if (multiplexedPeers)
    for (let p = 0; p < peersPerDoc; p++) sockets.push(await connectMultiplexed(server, names, load.receive));
  for (const name of names) {
    if (!multiplexedPeers)
      for (let p = 0; p < peersPerDoc; p++) sockets.push(await connect(server, name, load.receive));
    const ws = await connect(server, name);
    sockets.push(ws);
    load.addWriter(ws);
  }
  await sleep(300);
  const cpu = () => cpuMicros(server.child.pid!);

  const steadyCpuBefore = cpu();
  const steadyEdits = await load.steady(phaseMs);
  const steadyCpu = cpu() - steadyCpuBefore;

  const cpuBefore = cpu();
  const { delivered, perSecond } = await load.saturate(phaseMs);
  const cpuUsed = cpu() - cpuBefore;
  await sleep(300);
  for (const ws of sockets) ws.terminate();
  const { p50, p99, samples } = load.latency();
  return {
    p50,
    p99,
    latencySamples: samples,
    updatesPerSecond: perSecond,
    cpuMicrosPerEdit: cpuUsed / delivered,
    cpuMicrosPerSteadyEdit: steadyCpu / steadyEdits,
  };
}

async function idleMemory(
  server: BenchServer,
  connections = 1000,
): Promise<{ perConnectionKb: number; totalMb: number }> {
  const kb = await rssGrowthKb(server, idleConnections(server, connections, 100));
  return { perConnectionKb: kb / connections, totalMb: kb / 1024 };
}

/** The same small documents, `perSocket` of them on each multiplexed socket. */
async function idleMemoryMultiplexed(
  server: BenchServer,
  documents = 1000,
  perSocket = 100,
): Promise<{ perDocumentKb: number }> {
  const kb = await rssGrowthKb(server, async (stamp) => {
    const sockets: WebSocket[] = [];
    for (let first = 0; first < documents; first += perSocket) {
      const names = Array.from({ length: perSocket }, (_, i) => `unit:MUXIDLE${first + i}-${stamp}`);
      const ws = await connectMultiplexed(server, names);
      names.forEach((name, i) => ws.send(envelope(envelopePrefix(name), smallDocUpdate(first + i))));
      sockets.push(ws);
    }
    return sockets;
  });
  return { perDocumentKb: kb / documents };
}

/** Write the updates straight into each server's own store, as if they had been received one by one. */
async function populate(kind: Kind, dir: string, doc: string, updates: Uint8Array[]): Promise<void> {
  if (kind === 'ours') {
    const storage = openSqliteStorage(dir);
    // One row per update, as if they had arrived one by one.
    await storage.commitUpdates(updates.map((data) => storedUpdate(doc, data)));
    await storage.close();
  } else {
    const ldb = new LeveldbPersistence(dir);
    for (const update of updates) await ldb.storeUpdate(doc, update);
    await ldb.destroy();
  }
}

async function coldLoad(kind: Kind, dir: string, count = 10_000): Promise<{ ms: number; ok: boolean }> {
  const doc = 'unit:COLD';
  const { updates, text: expected } = typedUpdates(count);
  await populate(kind, dir, doc, updates);
  const server = kind === 'ours' ? await startOurs(dir) : await startReference(dir);
  await sleep(300);
  const result = await timeToFullText(server, doc, expected, 15_000);
  await server.stop();
  return result;
}

function ratio(ours: number, reference: number): string {
  return Number.isFinite(ours) && Number.isFinite(reference) && reference !== 0
    ? `${(ours / reference).toFixed(2)}×`
    : 'n/a';
}

const f = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

async function main() {
  const tmp = mkdtempSync(join(tmpdir(), 'dossier-lens-bench-'));
  const stopAll: (() => Promise<void>)[] = [];
  try {
    // A short warm-up of this process's client code, so the first server measured is not penalised.
    const warm = await startReference();
    await fanOut(warm, false, 2, 2, 1000);
    await warm.stop();
    // Fan-out rounds alternate between the servers (the box is shared: load drifts), and the
    // median round is reported.
    const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
    const fans: Record<Kind | 'full' | 'multiplexed', FanOutResult[]> = {
      ours: [],
      reference: [],
      full: [],
      multiplexed: [],
    };
    for (let round = 0; round < rounds; round++) {
      const order: (Kind | 'multiplexed')[] =
        round % 2 === 0 ? ['reference', 'ours', 'multiplexed'] : ['multiplexed', 'ours', 'reference'];
      for (const kind of order) {
        const server = kind === 'reference' ? await startReference() : await startOurs(join(tmp, `${kind}-${round}`));
        stopAll.push(server.stop);
        process.stderr.write(`round ${round + 1}/${rounds}: ${kind} fan-out…\n`);
        fans[kind].push(await fanOut(server, kind === 'multiplexed'));
        await server.stop();
      }
    }
    {
      const server = await startOurs(join(tmp, 'ours-full'), ['--sync', 'full']);
      stopAll.push(server.stop);
      process.stderr.write('ours with --sync full: fan-out…\n');
      fans.full.push(await fanOut(server));
      await server.stop();
    }
    const idle: Record<Kind, { perConnectionKb: number; totalMb: number }> = {} as never;
    const cold: Record<Kind, { ms: number; ok: boolean }> = {} as never;
    let muxIdle = { perDocumentKb: NaN };
    for (const kind of ['reference', 'ours'] as const) {
      const server = kind === 'ours' ? await startOurs(join(tmp, 'ours-idle')) : await startReference();
      stopAll.push(server.stop);
      process.stderr.write(`${kind}: 1,000 idle connections…\n`);
      idle[kind] = await idleMemory(server);
      await server.stop();
      if (kind === 'ours') {
        const again = await startOurs(join(tmp, 'ours-mux-idle'));
        stopAll.push(again.stop);
        process.stderr.write('ours: 1,000 idle documents on 10 multiplexed sockets…\n');
        muxIdle = await idleMemoryMultiplexed(again);
        await again.stop();
      }
      process.stderr.write(`${kind}: cold load…\n`);
      cold[kind] = await coldLoad(kind, join(tmp, `${kind}-cold`));
    }
    const medianOf = (values: number[]) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
    const median = (list: FanOutResult[], key: keyof FanOutResult) => medianOf(list.map((result) => result[key]));
    // Ratios are taken within a round (the two runs closest in time), then the median round.
    const pairedRatio = (list: FanOutResult[], base: FanOutResult[], key: keyof FanOutResult) =>
      `${medianOf(list.map((result, i) => result[key] / (base[i]?.[key] ?? NaN))).toFixed(2)}×`;
    /** Ours (a socket per document) beside `other`'s fan-out, `versus` in the last column. */
    const fanOutRows = (other: FanOutResult[], versus: (key: keyof FanOutResult) => string) => {
      const cells = (key: keyof FanOutResult, digits: number) => [
        f(median(fans.ours, key), digits),
        f(median(other, key), digits),
        versus(key),
      ];
      return [
        ['fan-out p50 latency, 100 peers / 10 docs (ms)', ...cells('p50', 2)],
        ['fan-out p99 latency (ms)', ...cells('p99', 2)],
        ['throughput, edits/s fully delivered to 10 peers', ...cells('updatesPerSecond', 0)],
        ['server CPU per edit at 500 edits/s (µs)', ...cells('cpuMicrosPerSteadyEdit', 0)],
      ];
    };
    const full = fans.full[0]!;
    const rows = [
      ...fanOutRows(fans.reference, (key) => pairedRatio(fans.ours, fans.reference, key)),
      [
        'server CPU per delivered edit, throughput phase (µs)',
        f(median(fans.ours, 'cpuMicrosPerEdit'), 0),
        f(median(fans.reference, 'cpuMicrosPerEdit'), 0),
        pairedRatio(fans.ours, fans.reference, 'cpuMicrosPerEdit'),
      ],
      [
        'same with `--sync full` (fsync per commit): p50 / p99 ms, edits/s',
        `${f(full.p50, 2)} / ${f(full.p99, 2)}, ${f(full.updatesPerSecond, 0)}`,
        '',
        '',
      ],
      [
        'idle connection + small document, RSS (kB each)',
        f(idle.ours.perConnectionKb),
        f(idle.reference.perConnectionKb),
        ratio(idle.ours.perConnectionKb, idle.reference.perConnectionKb),
      ],
      [
        '1,000 idle connections, RSS growth (MB)',
        f(idle.ours.totalMb),
        f(idle.reference.totalMb),
        ratio(idle.ours.totalMb, idle.reference.totalMb),
      ],
      [
        'cold load, 10,000 updates (ms to full content)',
        `${f(cold.ours.ms, 0)}${cold.ours.ok ? '' : ' (INCOMPLETE)'}`,
        `${f(cold.reference.ms, 0)}${cold.reference.ok ? '' : ' (INCOMPLETE)'}`,
        ratio(cold.ours.ms, cold.reference.ms),
      ],
    ];
    const muxRows = [
      ...fanOutRows(fans.multiplexed, (key) => pairedRatio(fans.multiplexed, fans.ours, key)),
      [
        'idle small document, RSS (kB each)',
        f(idle.ours.perConnectionKb),
        f(muxIdle.perDocumentKb),
        ratio(muxIdle.perDocumentKb, idle.ours.perConnectionKb),
      ],
    ];
    const muxTable = markdownTable(
      [
        'ours, same run',
        'peers on a socket per document (stock clients)',
        'peers on 10 multiplexed sockets',
        'multiplexed / per-document',
      ],
      muxRows,
    );
    const rawRounds = (kind: Kind | 'multiplexed') =>
      fans[kind].map((x) => `${f(x.p50, 1)}/${f(x.p99, 1)} ms ${f(x.updatesPerSecond, 0)}/s`).join('; ');
    const table = markdownTable(
      [
        'measure',
        'ours (SQLite, durable)',
        'reference @y/websocket-server 0.1.1',
        'ours / reference (fan-out: median of per-round ratios)',
      ],
      rows,
    );
    const samples =
      `Rounds (p50/p99, throughput): ours ${rawRounds('ours')}; reference ${rawRounds('reference')}; ` +
      `ours, multiplexed peers ${rawRounds('multiplexed')}.`;
    process.stdout.write(
      `\nSync server (${new Date().toISOString()}, node ${process.version})\n${table}\n\n${muxTable}\n${samples}\n`,
    );
    const machine = 'shared 2-core box (figures move ±30 % with other work running)';
    if (write) writeResults('Sync server', machine, `${table}\n\n${muxTable}`, samples);
  } finally {
    for (const stop of stopAll) await stop().catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
