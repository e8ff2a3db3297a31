/**
 * Several instances (issue 17): fan-out latency and throughput for 100 peers over 10 documents with
 * (a) one SQLite instance, (b) one PostgreSQL instance, (c) three PostgreSQL + Redis instances with
 * every document's peers on instances other than its writer's, beside the reference
 * @y/websocket-server@0.1.1 (no persistence). Then memory per idle document and cold load of a
 * document of 10,000 updates, SQLite against PostgreSQL. Every server is a child process on
 * loopback, driven by bare protocol clients in this process; "lost" counts edits that had not
 * reached every peer of their document 5 s after the last was sent.
 * `npx tsx test/bench/scaleout.ts [--write]` (--write replaces BENCHMARKS.md's "## Several instances").
 * Diagnostics: BENCH_ROUNDS=n, BENCH_SETUPS=sqlite,cluster (fan-out of those only, no idle/cold),
 * BENCH_COLOCATE=1 (a document's peers on its writer's instance), BENCH_EXTRA="--flag value" (to our servers).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { issueToken } from '../../sync-server/admin.ts';
import { encodeUpdate } from '../../sync-server/protocol.ts';
import { openPostgresStorage } from '../../sync-server/storage/postgres.ts';
import { openSqliteStorage } from '../../sync-server/storage/sqlite.ts';
import { type TestSchema, servicesFor, tempSchema, testRedisUrl } from '../../sync-server/testing-services.ts';
import { secretFileName } from '../../sync-server/token.ts';
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

const root = fileURLToPath(new URL('../..', import.meta.url));
const write = process.argv.includes('--write') || process.env.BENCH_WRITE === '1';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const gcPreload = ['--expose-gc', '--import', 'tsx', '--import', './test/bench/server-gc.ts'];
const limits = [
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
  '--log-level',
  'warn',
];

interface Instance {
  child: ChildProcess;
  url: string;
  query: string;
}

const stop = stopChild;

async function startOurs(dataDir: string, extra: string[], token: string): Promise<Instance> {
  const child = spawn(
    process.execPath,
    [
      ...gcPreload,
      'sync-server/main.ts',
      '--port',
      '0',
      '--data',
      dataDir,
      ...limits,
      ...extra,
      ...(process.env.BENCH_EXTRA?.split(' ').filter(Boolean) ?? []),
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const match = await waitForLine(child, /listening (ws:\/\/[^\s"]+)/u);
  return { child, url: match[1]!, query: `?token=${token}` };
}

async function startReference(): Promise<Instance> {
  const port = await freePort();
  const child = spawn(process.execPath, [...gcPreload, 'node_modules/@y/websocket-server/src/server.js'], {
    cwd: root,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await waitForLine(child, /running at/u);
  return { child, url: `ws://127.0.0.1:${port}`, query: '' };
}

type Setup = 'reference' | 'sqlite' | 'postgres' | 'cluster';

/** Start a setup: its instances, and how to stop them. */
async function start(setup: Setup, tmp: string, schema: TestSchema | null): Promise<Instance[]> {
  if (setup === 'reference') return [await startReference()];
  const dirs = Array.from({ length: setup === 'cluster' ? 3 : 1 }, (_, i) => join(tmp, `${setup}-${Date.now()}-${i}`));
  const token = issueToken(dirs[0]!, {
    user: 'bench',
    grants: [{ role: 'editor', doc: 'unit:*' }],
    ttlSeconds: 3600,
  }).token;
  for (const dir of dirs.slice(1)) {
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(dirs[0]!, secretFileName), join(dir, secretFileName));
  }
  const extra =
    setup === 'sqlite'
      ? []
      : setup === 'postgres'
        ? ['--store', schema!.url]
        : ['--store', schema!.url, '--pubsub', testRedisUrl];
  return Promise.all(dirs.map((dir) => startOurs(dir, extra, token)));
}

interface FanOut {
  p50: number;
  p99: number;
  perSecond: number;
  lost: number;
  /** Server CPU (all instances, user + system) per edit delivered to all its peers, whole run. */
  cpuMicrosPerEdit: number;
  /** Mean time from a batch's arrival at storage to its commit, over all instances (ours only). */
  commitMs: number;
}

async function meanCommitMs(instances: Instance[]): Promise<number> {
  let sum = 0;
  let count = 0;
  for (const instance of instances) {
    const text = await (await fetch(`${instance.url.replace('ws:', 'http:')}/metrics`)).text().catch(() => '');
    sum += Number(/dossierlens_persist_seconds_sum (\S+)/u.exec(text)?.[1] ?? NaN);
    count += Number(/dossierlens_persist_seconds_count (\S+)/u.exec(text)?.[1] ?? NaN);
  }
  return (sum / count) * 1000;
}

/** 10 documents × (1 writer + 10 peers); with several instances, a document's peers sit on the instances its writer is not on. */
async function fanOut(instances: Instance[], docs = 10, peersPerDoc = 10, phaseMs = 2000): Promise<FanOut> {
  const sentAt = new Map<string, number>();
  const remaining = new Map<string, number>();
  const latencies: number[] = [];
  let measuring = false;
  let completed = 0;
  const onComplete: ((doc: number) => void)[] = [];
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
  const sockets: WebSocket[] = [];
  const writers: { ws: WebSocket; ydoc: Y.Doc; seq: number }[] = [];
  const stamp = Date.now();
  for (let d = 0; d < docs; d++) {
    const name = `unit:SCALE${d}-${stamp}`;
    const home = d % instances.length;
    const others =
      instances.length === 1 || process.env.BENCH_COLOCATE
        ? [instances[home]!]
        : instances.filter((_, i) => i !== home);
    for (let p = 0; p < peersPerDoc; p++) sockets.push(await connect(others[p % others.length]!, name, receive));
    const ws = await connect(instances[home]!, name);
    sockets.push(ws);
    writers.push({ ws, ydoc: new Y.Doc(), seq: 0 });
  }
  await sleep(500);
  const send = (d: number) => {
    const writer = writers[d]!;
    const seq = writer.seq++;
    let update: Uint8Array | null = null;
    const capture = (u: Uint8Array) => {
      update = u;
    };
    writer.ydoc.on('update', capture);
    writer.ydoc.getMap('m').set('edit', `~${d}.${seq}~`);
    writer.ydoc.off('update', capture);
    sentAt.set(`${d}.${seq}`, performance.now());
    remaining.set(`${d}.${seq}`, peersPerDoc);
    writer.ws.send(encodeUpdate(update!));
    sent++;
  };
  const cpuBefore = instances.reduce((sum, i) => sum + cpuMicros(i.child.pid!), 0);
  let sent = 0;
  measuring = true;
  const ticker = setInterval(() => {
    for (let d = 0; d < docs; d++) send(d);
  }, 20);
  await sleep(phaseMs);
  clearInterval(ticker);
  await sleep(300);
  measuring = false;
  let running = true;
  for (let d = 0; d < docs; d++) onComplete[d] = (doc) => running && send(doc);
  completed = 0;
  const started = performance.now();
  for (let d = 0; d < docs; d++) for (let i = 0; i < 16; i++) send(d);
  await sleep(phaseMs);
  const done = completed;
  const elapsed = (performance.now() - started) / 1000;
  running = false;
  // Every edit sent must reach every peer of its document (merged frames keep each marker).
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && remaining.size > 0) await sleep(50);
  const lost = remaining.size;
  const cpu = instances.reduce((sum, i) => sum + cpuMicros(i.child.pid!), 0) - cpuBefore;
  const commitMs = instances[0]!.query === '' ? NaN : await meanCommitMs(instances);
  for (const ws of sockets) ws.terminate();
  latencies.sort((a, b) => a - b);
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    perSecond: done / elapsed,
    lost,
    cpuMicrosPerEdit: cpu / sent,
    commitMs,
  };
}

/** RSS growth per idle document: 500 connections, each with its own small document. */
async function idlePerDocKb(server: Instance, count = 500): Promise<number> {
  const before = await collectedRssKb(server.child);
  const sockets: WebSocket[] = [];
  const stamp = Date.now();
  for (let batch = 0; batch < count; batch += 50) {
    sockets.push(
      ...(await Promise.all(
        Array.from({ length: 50 }, async (_, i) => {
          const ws = await connect(server, `unit:IDLE${batch + i}-${stamp}`);
          const ydoc = new Y.Doc();
          ydoc.getMap('cadres').set(`c${batch + i}`, { name: '张三', unit: 'A01', grade: 'good' });
          ws.send(encodeUpdate(Y.encodeStateAsUpdate(ydoc)));
          return ws;
        }),
      )),
    );
  }
  await sleep(1500);
  const after = await collectedRssKb(server.child);
  for (const ws of sockets) ws.terminate();
  return (after - before) / count;
}

/** A document of 10,000 one-character updates, stored row by row; ms until a fresh client holds it all. */
async function coldLoad(setup: 'sqlite' | 'postgres', tmp: string, schema: TestSchema): Promise<number> {
  const doc = 'unit:COLD';
  const source = new Y.Doc();
  const updates: Uint8Array[] = [];
  source.on('update', (u: Uint8Array) => updates.push(u));
  for (let i = 0; i < 10_000; i++) source.getText('t').insert(i, `${i % 10}`);
  const rows = updates.map((data) => ({
    doc,
    data,
    user: 'bench',
    name: 'bench',
    time: Date.now(),
    hash: '',
    clientIds: [],
    newBindings: [],
  }));
  const dir = join(tmp, `cold-${setup}`);
  const token = issueToken(dir, { user: 'bench', grants: [{ role: 'editor', doc: 'unit:*' }], ttlSeconds: 3600 }).token;
  const storage = setup === 'sqlite' ? openSqliteStorage(dir) : await openPostgresStorage(schema.url);
  await storage.commitUpdates(rows);
  await storage.close();
  const server = await startOurs(dir, setup === 'sqlite' ? [] : ['--store', schema.url], token);
  await sleep(300);
  const ydoc = new Y.Doc();
  const started = performance.now();
  let ms = NaN;
  const done = new Promise<void>((resolve) =>
    ydoc.on('update', () => {
      if (ydoc.getText('t').length === 10_000) {
        ms = performance.now() - started;
        resolve();
      }
    }),
  );
  const ws = await connect(server, doc, (frame) => {
    if (frame[0] !== 0 || (frame[1] !== 1 && frame[1] !== 2)) return;
    const decoder = decoding.createDecoder(frame);
    decoding.readVarUint(decoder);
    decoding.readVarUint(decoder);
    Y.applyUpdate(ydoc, decoding.readVarUint8Array(decoder));
  });
  await Promise.race([done, sleep(20_000)]);
  ws.terminate();
  await stop(server.child);
  return ms;
}

const f = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const median = (values: number[]) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

async function main() {
  if (!(await servicesFor('the several-instances benchmark', ['postgres', 'redis']))) return;
  const tmp = mkdtempSync(join(tmpdir(), 'dossier-lens-scaleout-'));
  const schemas: TestSchema[] = [];
  const running: ChildProcess[] = [];
  try {
    const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
    const setups = (process.env.BENCH_SETUPS?.split(',') ?? ['reference', 'sqlite', 'postgres', 'cluster']) as Setup[];
    const results = new Map<Setup, FanOut[]>(setups.map((s) => [s, []]));
    for (let round = 0; round < rounds; round++) {
      for (const setup of round % 2 === 0 ? setups : [...setups].reverse()) {
        const schema = setup === 'postgres' || setup === 'cluster' ? tempSchema() : null;
        if (schema) schemas.push(schema);
        const instances = await start(setup, tmp, schema);
        running.push(...instances.map((i) => i.child));
        process.stderr.write(`round ${round + 1}/${rounds}: ${setup} fan-out…\n`);
        results.get(setup)!.push(await fanOut(instances));
        await Promise.all(instances.map((i) => stop(i.child)));
        await schema?.drop();
      }
    }
    const idle: Record<string, number> = {};
    const cold: Record<string, number> = {};
    for (const setup of process.env.BENCH_SETUPS ? [] : (['sqlite', 'postgres'] as const)) {
      const schema = tempSchema();
      schemas.push(schema);
      const [instance] = await start(setup, tmp, schema);
      running.push(instance!.child);
      process.stderr.write(`${setup}: idle documents, cold load…\n`);
      idle[setup] = await idlePerDocKb(instance!);
      await stop(instance!.child);
      cold[setup] = await coldLoad(setup, tmp, schema);
      await schema.drop();
    }
    const m = (setup: Setup, key: keyof FanOut) => median((results.get(setup) ?? []).map((r) => r[key]));
    const lost = (setup: Setup) => results.get(setup)!.reduce((sum, r) => sum + r.lost, 0);
    const names: Record<Setup, string> = {
      reference: 'reference @y/websocket-server 0.1.1 (memory only)',
      sqlite: '(a) one instance, SQLite',
      postgres: '(b) one instance, PostgreSQL',
      cluster: '(c) three instances, PostgreSQL + Redis, peers on other instances',
    };
    const table = [
      '| setup | p50 ms | p99 ms | edits/s to all 10 peers | lost | p99 / (a) | server CPU per edit (µs, all instances) | mean commit (ms) |',
      '|---|---:|---:|---:|---:|---:|---:|---:|',
      ...setups.map(
        (s) =>
          `| ${names[s]} | ${f(m(s, 'p50'), 2)} | ${f(m(s, 'p99'), 2)} | ${f(m(s, 'perSecond'), 0)} | ${lost(s)} | ${f(m(s, 'p99') / m('sqlite', 'p99'), 2)}× | ${f(m(s, 'cpuMicrosPerEdit'), 0)} | ${f(m(s, 'commitMs'), 2)} |`,
      ),
      '',
      '| measure | SQLite | PostgreSQL |',
      '|---|---:|---:|',
      `| idle document with its connection, RSS growth (kB each, 500 documents) | ${f(idle.sqlite!)} | ${f(idle.postgres!)} |`,
      `| cold load, 10,000 stored updates (ms to full content) | ${f(cold.sqlite!, 0)} | ${f(cold.postgres!, 0)} |`,
    ].join('\n');
    const samples = `Rounds (p50/p99 ms, edits/s): ${setups
      .map(
        (s) =>
          `${s} ${results
            .get(s)!
            .map((r) => `${f(r.p50, 1)}/${f(r.p99, 1)} ${f(r.perSecond, 0)}`)
            .join('; ')}`,
      )
      .join(' — ')}.`;
    process.stdout.write(
      `\nSeveral instances (${new Date().toISOString()}, node ${process.version})\n${table}\n\n${samples}\n`,
    );
    if (write) writeSection(table, samples);
  } finally {
    for (const child of running) await stop(child).catch(() => undefined);
    for (const schema of schemas) await schema.drop().catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Replace only the results under "## Several instances" in BENCHMARKS.md (notes above `<!-- results -->` stay). */
function writeSection(table: string, samples: string): void {
  const file = join(root, 'BENCHMARKS.md');
  const text = readFileSync(file, 'utf8');
  const marker = '\n## Several instances\n';
  const begin = text.indexOf(marker);
  const end = begin < 0 ? -1 : text.indexOf('\n## ', begin + marker.length);
  const previous = begin < 0 ? '' : text.slice(begin + marker.length, end < 0 ? undefined : end);
  const notes = previous.split('<!-- results -->')[0]?.trim() ?? '';
  const body = `${notes ? notes + '\n\n' : ''}<!-- results -->\nLast run ${new Date().toISOString().slice(0, 16)}Z, node ${process.version}, shared 2-core box:\n\n${table}\n\n${samples}\n`;
  const section = `${marker}\n${body}`;
  writeFileSync(
    file,
    begin < 0 ? `${text.trimEnd()}\n${section}` : `${text.slice(0, begin)}${section}${end < 0 ? '' : text.slice(end)}`,
  );
}

await main();
process.exit(0);
