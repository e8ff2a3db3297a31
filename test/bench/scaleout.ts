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
 * BENCH_COLOCATE=1 (a document's peers on its writer's instance), BENCH_EXTRA="--flag value" (to our
 * servers).
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type WebSocket from 'ws';
import { openPostgresStorage } from '../../sync-server/storage/postgres.ts';
import { openSqliteStorage } from '../../sync-server/storage/sqlite.ts';
import { type TestSchema, servicesFor, tempSchema, testRedisUrl } from '../../sync-server/testing-services.ts';
import { secretFileName } from '../../sync-server/token.ts';
import { markdownTable, writeResults } from './support/benchmarks-md.ts';
import { FanOutLoad } from './support/fan-out.ts';
import { idleConnections, rssGrowthKb } from './support/idle-documents.ts';
import { connect, cpuMicros, sleep, timeToFullText } from './support/protocol-clients.ts';
import { type BenchServer, benchToken, envWords, startOurs, startReference } from './support/servers.ts';
import { storedUpdate, typedUpdates } from './support/seed-store.ts';

const write = process.argv.includes('--write') || process.env.BENCH_WRITE === '1';

type Setup = 'reference' | 'sqlite' | 'postgres' | 'cluster';

/** One of our instances, given BENCH_EXTRA's flags after `args`. */
const startInstance = (dataDir: string, token: string, args: string[]) =>
  startOurs(dataDir, { token, args: [...args, ...envWords('BENCH_EXTRA')] });

/** Start a setup: its instances (the bench user's token signed by the first and valid on all). */
async function start(setup: Setup, tmp: string, schema: TestSchema | null): Promise<BenchServer[]> {
  if (setup === 'reference') return [await startReference()];
  const dirs = Array.from({ length: setup === 'cluster' ? 3 : 1 }, (_, i) => join(tmp, `${setup}-${Date.now()}-${i}`));
  const token = benchToken(dirs[0]!);
  for (const dir of dirs.slice(1)) {
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(dirs[0]!, secretFileName), join(dir, secretFileName));
  }
  const args =
    setup === 'sqlite'
      ? []
      : setup === 'postgres'
        ? ['--store', schema!.url]
        : ['--store', schema!.url, '--pubsub', testRedisUrl];
  return Promise.all(dirs.map((dir) => startInstance(dir, token, args)));
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

async function meanCommitMs(instances: BenchServer[]): Promise<number> {
  let sum = 0;
  let count = 0;
  for (const instance of instances) {
    const text = await (await fetch(`${instance.url.replace('ws:', 'http:')}/metrics`)).text().catch(() => '');
    sum += Number(/dossierlens_persist_seconds_sum (\S+)/u.exec(text)?.[1] ?? NaN);
    count += Number(/dossierlens_persist_seconds_count (\S+)/u.exec(text)?.[1] ?? NaN);
  }
  return (sum / count) * 1000;
}

/**
 * 10 documents × (1 writer + 10 peers); with several instances, a document's peers sit on the
 * instances its writer is not on.
 */
async function fanOut(instances: BenchServer[], docs = 10, peersPerDoc = 10, phaseMs = 2000): Promise<FanOut> {
  const load = new FanOutLoad(peersPerDoc);
  const sockets: WebSocket[] = [];
  const stamp = Date.now();
  for (let d = 0; d < docs; d++) {
    const name = `unit:SCALE${d}-${stamp}`;
    const home = d % instances.length;
    const others =
      instances.length === 1 || process.env.BENCH_COLOCATE
        ? [instances[home]!]
        : instances.filter((_, i) => i !== home);
    for (let p = 0; p < peersPerDoc; p++) sockets.push(await connect(others[p % others.length]!, name, load.receive));
    const ws = await connect(instances[home]!, name);
    sockets.push(ws);
    load.addWriter(ws);
  }
  await sleep(500);
  const cpu = () => instances.reduce((sum, i) => sum + cpuMicros(i.child.pid!), 0);
  const cpuBefore = cpu();
  await load.steady(phaseMs);
  const { perSecond } = await load.saturate(phaseMs);
  // Every edit sent must reach every peer of its document (merged frames keep each marker).
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && load.undelivered > 0) await sleep(50);
  const lost = load.undelivered;
  const cpuUsed = cpu() - cpuBefore;
  const commitMs = instances[0]!.query === '' ? NaN : await meanCommitMs(instances);
  for (const ws of sockets) ws.terminate();
  const { p50, p99 } = load.latency();
  return { p50, p99, perSecond, lost, cpuMicrosPerEdit: cpuUsed / load.sent, commitMs };
}

/** RSS growth per idle document: 500 connections, each with its own small document. */
async function idlePerDocKb(server: BenchServer, count = 500): Promise<number> {
  return (await rssGrowthKb(server, idleConnections(server, count, 50))) / count;
}

/** A document of 10,000 one-character updates, stored row by row; ms until a fresh client holds it all. */
async function coldLoad(setup: 'sqlite' | 'postgres', tmp: string, schema: TestSchema): Promise<number> {
  const doc = 'unit:COLD';
  const { updates, text } = typedUpdates(10_000);
  const dir = join(tmp, `cold-${setup}`);
  const token = benchToken(dir);
  const storage = setup === 'sqlite' ? openSqliteStorage(dir) : await openPostgresStorage(schema.url);
  await storage.commitUpdates(updates.map((data) => storedUpdate(doc, data)));
  await storage.close();
  const server = await startInstance(dir, token, setup === 'sqlite' ? [] : ['--store', schema.url]);
  await sleep(300);
  const { ms } = await timeToFullText(server, doc, text, 20_000);
  await server.stop();
  return ms;
}

const f = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const median = (values: number[]) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

async function main() {
  if (!(await servicesFor('the several-instances benchmark', ['postgres', 'redis']))) return;
  const tmp = mkdtempSync(join(tmpdir(), 'dossier-lens-scaleout-'));
  const schemas: TestSchema[] = [];
  const running: BenchServer[] = [];
  try {
    const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
    const setups = (process.env.BENCH_SETUPS?.split(',') ?? ['reference', 'sqlite', 'postgres', 'cluster']) as Setup[];
    const results = new Map<Setup, FanOut[]>(setups.map((s) => [s, []]));
    for (let round = 0; round < rounds; round++) {
      for (const setup of round % 2 === 0 ? setups : [...setups].reverse()) {
        const schema = setup === 'postgres' || setup === 'cluster' ? tempSchema() : null;
        if (schema) schemas.push(schema);
        const instances = await start(setup, tmp, schema);
        running.push(...instances);
        process.stderr.write(`round ${round + 1}/${rounds}: ${setup} fan-out…\n`);
        results.get(setup)!.push(await fanOut(instances));
        await Promise.all(instances.map((i) => i.stop()));
        await schema?.drop();
      }
    }
    const idle: Record<string, number> = {};
    const cold: Record<string, number> = {};
    for (const setup of process.env.BENCH_SETUPS ? [] : (['sqlite', 'postgres'] as const)) {
      const schema = tempSchema();
      schemas.push(schema);
      const [instance] = await start(setup, tmp, schema);
      running.push(instance!);
      process.stderr.write(`${setup}: idle documents, cold load…\n`);
      idle[setup] = await idlePerDocKb(instance!);
      await instance!.stop();
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
    const head = [
      'setup',
      'p50 ms',
      'p99 ms',
      'edits/s to all 10 peers',
      'lost',
      'p99 / (a)',
      'server CPU per edit (µs, all instances)',
      'mean commit (ms)',
    ];
    const row = (s: Setup) => [
      names[s],
      f(m(s, 'p50'), 2),
      f(m(s, 'p99'), 2),
      f(m(s, 'perSecond'), 0),
      String(lost(s)),
      `${f(m(s, 'p99') / m('sqlite', 'p99'), 2)}×`,
      f(m(s, 'cpuMicrosPerEdit'), 0),
      f(m(s, 'commitMs'), 2),
    ];
    const table = [
      markdownTable(head, setups.map(row)),
      '',
      markdownTable(
        ['measure', 'SQLite', 'PostgreSQL'],
        [
          [
            'idle document with its connection, RSS growth (kB each, 500 documents)',
            f(idle.sqlite!),
            f(idle.postgres!),
          ],
          ['cold load, 10,000 stored updates (ms to full content)', f(cold.sqlite!, 0), f(cold.postgres!, 0)],
        ],
      ),
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
    if (write) writeResults('Several instances', 'shared 2-core box', table, samples);
  } finally {
    for (const server of running) await server.stop().catch(() => undefined);
    for (const schema of schemas) await schema.drop().catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
process.exit(0);
