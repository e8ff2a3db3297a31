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
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';
// The reference server's own persistence (a dependency of @y/websocket-server), for the cold load.
// @ts-expect-error y-leveldb's package.json points at type declarations it does not ship
import { LeveldbPersistence as UntypedLeveldb } from 'y-leveldb';
import * as Y from 'yjs';
import { issueToken } from '../../sync-server/admin.ts';
import { encodeOpen, envelope, envelopePrefix, readEnvelope } from '../../core/sync/multiplex-wire.ts';
import { MULTIPLEX_SUBPROTOCOL, encodeSyncStep1, encodeSyncStep2, encodeUpdate } from '../../sync-server/protocol.ts';
import { openSqliteStorage } from '../../sync-server/storage/sqlite.ts';
import {
  collectedRssKb,
  connect,
  cpuMicros,
  freePort,
  markers,
  percentile,
  stopChild,
  waitForLine,
} from './bench-clients.ts';

const LeveldbPersistence = UntypedLeveldb as new (dir: string) => {
  storeUpdate(doc: string, update: Uint8Array): Promise<unknown>;
  destroy(): Promise<void>;
};

const root = fileURLToPath(new URL('../..', import.meta.url));
const write = process.argv.includes('--write') || process.env.BENCH_WRITE === '1';

type Kind = 'ours' | 'reference';

/** Both servers: tsx (ours needs it; the reference is plain JS) and a GC on SIGUSR2 (server-gc.ts). */
const gcPreload = ['--expose-gc', '--import', 'tsx', '--import', './test/bench/server-gc.ts'];

interface Server {
  kind: Kind;
  child: ChildProcess;
  url: string;
  /** Query string for a client of `doc` ('' for the reference). */
  query: string;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const stopper = (child: ChildProcess) => () => stopChild(child);

async function startOurs(dataDir: string, extra: string[] = []): Promise<Server> {
  const token = issueToken(dataDir, {
    user: 'bench',
    grants: [{ role: 'editor', doc: 'unit:*' }],
    ttlSeconds: 3600,
  }).token;
  // Limits raised: the reference has none, the throughput phase sends as fast as it can, and the
  // bench's one user stands for the thousands of stock clients of the idle phase.
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      ...gcPreload,
      'sync-server/main.ts',
      '--port',
      '0',
      '--data',
      dataDir,
      '--log-level',
      'warn',
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
      ...extra,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const match = await waitForLine(child, /listening (ws:\/\/[^\s"]+)/u).catch(() => null);
  if (!match) throw new Error('our server did not start');
  return { kind: 'ours', child, url: match[1]!, query: `?token=${token}`, stop: stopper(child) };
}

async function startReference(persistenceDir?: string): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, [...gcPreload, 'node_modules/@y/websocket-server/src/server.js'], {
    cwd: root,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      ...(persistenceDir ? { YPERSISTENCE: persistenceDir } : {}),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await waitForLine(child, /running at/u);
  return { kind: 'reference', child, url: `ws://127.0.0.1:${port}`, query: '', stop: stopper(child) };
}

/**
 * A bare multiplexed client (ours only): opens every document of `docs` on one socket with a step 1,
 * answers the server's step 1s, and reports each document's messages without their envelope.
 */
function connectMux(server: Server, docs: string[], onFrame?: (frame: Buffer) => void): Promise<WebSocket> {
  const ws = new WebSocket(`${server.url}/${docs[0]}${server.query}`, ['dossierlens', MULTIPLEX_SUBPROTOCOL], {
    perMessageDeflate: false,
  });
  ws.binaryType = 'nodebuffer';
  const nothing = encodeSyncStep2(Y.encodeStateAsUpdate(new Y.Doc()));
  ws.on('message', (data: Buffer) => {
    const { doc, prefixLength } = readEnvelope(data);
    const frame = data.subarray(prefixLength);
    if (frame[0] === 0 && frame[1] === 0) ws.send(envelope(envelopePrefix(doc), nothing));
    onFrame?.(frame);
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => {
      const step1 = encodeSyncStep1(Y.encodeStateVector(new Y.Doc()));
      for (const doc of docs) {
        const prefix = envelopePrefix(doc);
        ws.send(encodeOpen(prefix));
        ws.send(envelope(prefix, step1));
      }
      resolve(ws);
    });
    ws.once('error', reject);
  });
}

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
  server: Server,
  multiplexedPeers = false,
  docs = 10,
  peersPerDoc = 10,
  phaseMs = 2000,
): Promise<FanOutResult> {
  const sentAt = new Map<string, number>();
  const remaining = new Map<string, number>();
  const latencies: number[] = [];
  let measuring = false;
  let completed = 0;
  const onComplete: ((doc: number) => void)[] = [];
  const sockets: WebSocket[] = [];
  const receive = (frame: Buffer) => {
    const now = performance.now();
    for (const [doc, seq] of markers(frame)) {
      const key = `${doc}.${seq}`;
      const sent = sentAt.get(key);
      if (sent === undefined) continue;
      if (measuring) latencies.push(now - sent);
      const left = (remaining.get(key) ?? 0) - 1;
      if (left > 0) remaining.set(key, left);
      else {
        remaining.delete(key);
        sentAt.delete(key);
        completed++;
        onComplete[doc]?.(doc);
      }
    }
  };
  const writers: { ws: WebSocket; ydoc: Y.Doc; seq: number }[] = [];
  const stamp = Date.now();
  const names = Array.from({ length: docs }, (_, d) => `unit:FAN${d}-${stamp}`);
  if (multiplexedPeers) for (let p = 0; p < peersPerDoc; p++) sockets.push(await connectMux(server, names, receive));
  for (let d = 0; d < docs; d++) {
    const name = names[d]!;
    if (!multiplexedPeers) for (let p = 0; p < peersPerDoc; p++) sockets.push(await connect(server, name, receive));
    const ydoc = new Y.Doc();
    const ws = await connect(server, name);
    sockets.push(ws);
    writers.push({ ws, ydoc, seq: 0 });
  }
  await sleep(300);
  const send = (d: number) => {
    const writer = writers[d]!;
    const seq = writer.seq++;
    const key = `${d}.${seq}`;
    let update: Uint8Array | null = null;
    const capture = (u: Uint8Array) => {
      update = u;
    };
    writer.ydoc.on('update', capture);
    writer.ydoc.getMap('m').set('edit', `~${d}.${seq}~`);
    writer.ydoc.off('update', capture);
    sentAt.set(key, performance.now());
    remaining.set(key, peersPerDoc);
    writer.ws.send(encodeUpdate(update!));
  };

  // Latency at a steady 50 edits/s per writer.
  measuring = true;
  const steadyCpuBefore = cpuMicros(server.child.pid!);
  let steadyEdits = 0;
  const ticker = setInterval(() => {
    for (let d = 0; d < docs; d++) send(d);
    steadyEdits += docs;
  }, 20);
  await sleep(phaseMs);
  clearInterval(ticker);
  await sleep(300);
  const steadyCpu = cpuMicros(server.child.pid!) - steadyCpuBefore;
  measuring = false;

  // Throughput with a window of edits in flight per writer.
  const window = 16;
  let running = true;
  const inFlight = new Array<number>(docs).fill(0);
  for (let d = 0; d < docs; d++) {
    onComplete[d] = (doc) => {
      inFlight[doc]!--;
      if (running) {
        inFlight[doc]!++;
        send(doc);
      }
    };
  }
  completed = 0;
  const cpuBefore = cpuMicros(server.child.pid!);
  const started = performance.now();
  for (let d = 0; d < docs; d++)
    for (let i = 0; i < window; i++) {
      inFlight[d]!++;
      send(d);
    }
  await sleep(phaseMs);
  const elapsed = (performance.now() - started) / 1000;
  const done = completed;
  const cpuUsed = cpuMicros(server.child.pid!) - cpuBefore;
  running = false;
  await sleep(300);
  for (const ws of sockets) ws.terminate();
  latencies.sort((a, b) => a - b);
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    latencySamples: latencies.length,
    updatesPerSecond: done / elapsed,
    cpuMicrosPerEdit: cpuUsed / done,
    cpuMicrosPerSteadyEdit: steadyCpu / steadyEdits,
  };
}

async function idleMemory(server: Server, connections = 1000): Promise<{ perConnectionKb: number; totalMb: number }> {
  const before = await collectedRssKb(server.child);
  const sockets: WebSocket[] = [];
  const stamp = Date.now();
  for (let batch = 0; batch < connections; batch += 100) {
    const opened = await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const ws = await connect(server, `unit:IDLE${batch + i}-${stamp}`);
        // A small document: one cadre entry.
        const ydoc = new Y.Doc();
        ydoc.getMap('cadres').set(`c${batch + i}`, { name: '张三', unit: 'A01', grade: 'good' });
        ws.send(encodeUpdate(Y.encodeStateAsUpdate(ydoc)));
        return ws;
      }),
    );
    sockets.push(...opened);
  }
  await sleep(1500);
  const after = await collectedRssKb(server.child);
  for (const ws of sockets) ws.terminate();
  return { perConnectionKb: (after - before) / connections, totalMb: (after - before) / 1024 };
}

/** The same small documents, `perSocket` of them on each multiplexed socket. */
async function idleMemoryMultiplexed(
  server: Server,
  documents = 1000,
  perSocket = 100,
): Promise<{ perDocumentKb: number }> {
  const before = await collectedRssKb(server.child);
  const sockets: WebSocket[] = [];
  const stamp = Date.now();
  const small = (i: number) => {
    const ydoc = new Y.Doc();
    ydoc.getMap('cadres').set(`c${i}`, { name: '张三', unit: 'A01', grade: 'good' });
    return encodeUpdate(Y.encodeStateAsUpdate(ydoc));
  };
  for (let first = 0; first < documents; first += perSocket) {
    const names = Array.from({ length: perSocket }, (_, i) => `unit:MUXIDLE${first + i}-${stamp}`);
    const ws = await connectMux(server, names);
    names.forEach((name, i) => ws.send(envelope(envelopePrefix(name), small(first + i))));
    sockets.push(ws);
  }
  await sleep(1500);
  const after = await collectedRssKb(server.child);
  for (const ws of sockets) ws.terminate();
  return { perDocumentKb: (after - before) / documents };
}

/** 10,000 small text edits, each its own update, as a typing client would produce them. */
function typedUpdates(count: number): { updates: Uint8Array[]; text: string } {
  const ydoc = new Y.Doc();
  const updates: Uint8Array[] = [];
  ydoc.on('update', (update: Uint8Array) => updates.push(update));
  const text = ydoc.getText('t');
  for (let i = 0; i < count; i++) text.insert(text.length, `${i % 10}`);
  return { updates, text: text.toString() };
}

/** Write the updates straight into each server's own store, as if they had been received one by one. */
async function populate(kind: Kind, dir: string, doc: string, updates: Uint8Array[]): Promise<void> {
  if (kind === 'ours') {
    const storage = openSqliteStorage(dir);
    // One row per update, as if they had arrived one by one.
    await storage.commitUpdates(
      updates.map((data) => ({
        doc,
        data,
        user: 'bench',
        name: 'bench',
        time: Date.now(),
        hash: '',
        clientIds: [],
        newBindings: [],
      })),
    );
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
  const ydoc = new Y.Doc();
  let ms = NaN;
  const done = new Promise<void>((resolve) => {
    ydoc.on('update', () => {
      if (ydoc.getText('t').length === expected.length) {
        ms = performance.now() - started;
        resolve();
      }
    });
  });
  const started = performance.now();
  const ws = await connect(server, doc, (frame) => {
    if (frame[0] === 0 && (frame[1] === 1 || frame[1] === 2)) {
      const decoder = decoding.createDecoder(frame);
      decoding.readVarUint(decoder);
      decoding.readVarUint(decoder);
      Y.applyUpdate(ydoc, decoding.readVarUint8Array(decoder));
    }
  });
  await Promise.race([done, sleep(15_000)]);
  ws.terminate();
  const ok = ydoc.getText('t').toString() === expected;
  await server.stop();
  return { ms, ok };
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
    const pairedRatio = (key: keyof FanOutResult) =>
      medianOf(fans.ours.map((result, i) => result[key] / (fans.reference[i]?.[key] ?? NaN)));
    const o = {
      p50: median(fans.ours, 'p50'),
      p99: median(fans.ours, 'p99'),
      tput: median(fans.ours, 'updatesPerSecond'),
    };
    const r = {
      p50: median(fans.reference, 'p50'),
      p99: median(fans.reference, 'p99'),
      tput: median(fans.reference, 'updatesPerSecond'),
    };
    const paired = (key: keyof FanOutResult) => `${pairedRatio(key).toFixed(2)}×`;
    const full = fans.full[0]!;
    const rows = [
      ['fan-out p50 latency, 100 peers / 10 docs (ms)', f(o.p50, 2), f(r.p50, 2), paired('p50')],
      ['fan-out p99 latency (ms)', f(o.p99, 2), f(r.p99, 2), paired('p99')],
      ['throughput, edits/s fully delivered to 10 peers', f(o.tput, 0), f(r.tput, 0), paired('updatesPerSecond')],
      [
        'server CPU per edit at 500 edits/s (µs)',
        f(median(fans.ours, 'cpuMicrosPerSteadyEdit'), 0),
        f(median(fans.reference, 'cpuMicrosPerSteadyEdit'), 0),
        paired('cpuMicrosPerSteadyEdit'),
      ],
      [
        'server CPU per delivered edit, throughput phase (µs)',
        f(median(fans.ours, 'cpuMicrosPerEdit'), 0),
        f(median(fans.reference, 'cpuMicrosPerEdit'), 0),
        paired('cpuMicrosPerEdit'),
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
    const m = {
      p50: median(fans.multiplexed, 'p50'),
      p99: median(fans.multiplexed, 'p99'),
      tput: median(fans.multiplexed, 'updatesPerSecond'),
    };
    const versusOurs = (key: keyof FanOutResult) =>
      `${medianOf(fans.multiplexed.map((result, i) => result[key] / (fans.ours[i]?.[key] ?? NaN))).toFixed(2)}×`;
    const muxRows = [
      ['fan-out p50 latency, 100 peers / 10 docs (ms)', f(o.p50, 2), f(m.p50, 2), versusOurs('p50')],
      ['fan-out p99 latency (ms)', f(o.p99, 2), f(m.p99, 2), versusOurs('p99')],
      ['throughput, edits/s fully delivered to 10 peers', f(o.tput, 0), f(m.tput, 0), versusOurs('updatesPerSecond')],
      [
        'server CPU per edit at 500 edits/s (µs)',
        f(median(fans.ours, 'cpuMicrosPerSteadyEdit'), 0),
        f(median(fans.multiplexed, 'cpuMicrosPerSteadyEdit'), 0),
        versusOurs('cpuMicrosPerSteadyEdit'),
      ],
      [
        'idle small document, RSS (kB each)',
        f(idle.ours.perConnectionKb),
        f(muxIdle.perDocumentKb),
        ratio(muxIdle.perDocumentKb, idle.ours.perConnectionKb),
      ],
    ];
    const muxTable = [
      '| ours, same run | peers on a socket per document (stock clients) | peers on 10 multiplexed sockets | multiplexed / per-document |',
      '|---|---:|---:|---:|',
      ...muxRows.map((row) => `| ${row.join(' | ')} |`),
    ].join('\n');
    const rawRounds = (kind: Kind | 'multiplexed') =>
      fans[kind].map((x) => `${f(x.p50, 1)}/${f(x.p99, 1)} ms ${f(x.updatesPerSecond, 0)}/s`).join('; ');
    const table = [
      '| measure | ours (SQLite, durable) | reference @y/websocket-server 0.1.1 | ours / reference (fan-out: median of per-round ratios) |',
      '|---|---:|---:|---:|',
      ...rows.map((row) => `| ${row.join(' | ')} |`),
    ].join('\n');
    const samples = `Rounds (p50/p99, throughput): ours ${rawRounds('ours')}; reference ${rawRounds('reference')}; ours, multiplexed peers ${rawRounds('multiplexed')}.`;
    process.stdout.write(
      `\nSync server (${new Date().toISOString()}, node ${process.version})\n${table}\n\n${muxTable}\n${samples}\n`,
    );
    if (write) writeSection(`${table}\n\n${muxTable}`, samples);
  } finally {
    for (const stop of stopAll) await stop().catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Replace only the "## Sync server" section of BENCHMARKS.md; other sections belong to others. */
function writeSection(table: string, samples: string): void {
  const file = join(root, 'BENCHMARKS.md');
  let text = '# Benchmarks\n';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // first benchmark to write the file
  }
  const marker = '\n## Sync server\n';
  const begin = text.indexOf(marker);
  const end = begin < 0 ? -1 : text.indexOf('\n## ', begin + marker.length);
  const previous = begin < 0 ? '' : text.slice(begin + marker.length, end < 0 ? undefined : end);
  const notes = previous.split('<!-- results -->')[0]?.trim() ?? '';
  const body = `${notes ? notes + '\n\n' : ''}<!-- results -->\nLast run ${new Date().toISOString().slice(0, 16)}Z, node ${process.version}, shared 2-core box (figures move ±30 % with other work running):\n\n${table}\n\n${samples}\n`;
  const section = `${marker}\n${body}`;
  const next =
    begin < 0 ? `${text.trimEnd()}\n${section}` : `${text.slice(0, begin)}${section}${end < 0 ? '' : text.slice(end)}`;
  writeFileSync(file, next);
}

await main();
