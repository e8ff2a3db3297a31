/**
 * `npm run soak`: the sync server under a long, honest load, killed with SIGKILL again and again.
 * Writes RELIABILITY.md (what was tried, how many, what failed); run it again to regenerate it.
 *
 *   npm run soak [-- --cycles 20 --clients 300 --docs 30 --seconds 12 --seed 1 --out RELIABILITY.md]
 *
 * - The server is `npm run server`'s entry point in a child process, on one port for the whole run.
 * - `clients` stock y-websocket clients spread over `docs` documents each write an edit about once
 *   a second, all run long, through every kill: they keep what the server has not acknowledged and
 *   send it again when they reconnect, as the extension does.
 * - Per cycle, acknowledging writers (acking-writer.ts) stream fast into four documents of their
 *   own, asking for the server's state vector as they go; after the kill and the restart, storage
 *   must hold every edit the server had acknowledged to them (nobody else can send those again).
 * - The server is killed at a seeded random moment of each cycle and restarted at once.
 * - Every few seconds: the server's memory and connections from /metrics.
 * - At the end, writing stops and every client must converge: each one holds exactly what the
 *   server holds, and the server holds every edit every client made.
 * The process exits 1 if anything was lost or did not converge.
 */
import { loadavg } from 'node:os';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ChildProcess } from 'node:child_process';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { issueToken } from '../../sync-server/admin.ts';
import { spawnServer, tempDataDir, waitFor } from '../../sync-server/testing.ts';
import { AckingWriter, missingAcknowledged } from './acking-writer.ts';
import { type CycleResult, renderReport } from './soak-report.ts';

const { values } = parseArgs({
  options: {
    cycles: { type: 'string', default: '20' },
    clients: { type: 'string', default: '300' },
    docs: { type: 'string', default: '30' },
    seconds: { type: 'string', default: '12' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string', default: resolve(import.meta.dirname, '../../RELIABILITY.md') },
  },
});
const cycles = Number(values.cycles);
const clientCount = Number(values.clients);
const docCount = Number(values.docs);
const cycleSeconds = Number(values.seconds);
let seed = Number(values.seed) >>> 0;
const random = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const say = (line: string) => process.stdout.write(`${line}\n`);

interface Sample {
  at: number;
  rss: number;
  heap: number;
  connections: number;
}

const storeBytes = () =>
  ['dossier-lens.sqlite', 'dossier-lens.sqlite-wal']
    .map((name) => join(data.dir, name))
    .reduce((sum, file) => sum + (existsSync(file) ? statSync(file).size : 0), 0);

const data = tempDataDir();
const startedAt = new Date();
const loadBefore = loadavg();
const tokens = new Map<string, string>();
const token = (user: string, role: 'editor' | 'viewer' = 'editor') => {
  const key = `${user}:${role}`;
  if (!tokens.has(key))
    tokens.set(
      key,
      issueToken(data.dir, { user, name: user, grants: [{ role, doc: 'unit:*' }], ttlSeconds: 24 * 3600 }).token,
    );
  return tokens.get(key)!;
};

async function metrics(url: string): Promise<Sample | null> {
  try {
    const text = await (
      await fetch(`${url.replace('ws:', 'http:')}/metrics`, { signal: AbortSignal.timeout(2000) })
    ).text();
    const read = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'mu').exec(text)?.[1] ?? NaN);
    return {
      at: Date.now(),
      rss: read('process_resident_memory_bytes'),
      heap: read('nodejs_heap_used_bytes'),
      connections: read('dossierlens_connections'),
    };
  } catch {
    return null; // between a kill and the restart
  }
}

const kill = (child: ChildProcess) =>
  new Promise<void>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', () => done());
    child.kill('SIGKILL');
  });

async function storedState(url: string, doc: string): Promise<Y.Doc> {
  const checker = new WebsocketProvider(url, doc, new Y.Doc(), {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params: { token: token('soak-checker', 'viewer') },
  });
  try {
    await waitFor(() => checker.synced, `${doc} to load`, 30_000);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(checker.doc));
    return copy;
  } finally {
    checker.destroy();
  }
}

async function main(): Promise<void> {
  // Every stock client registers a process 'exit' listener (y-websocket); hundreds are expected here.
  process.setMaxListeners(0);
  say(
    `soak: ${cycles} SIGKILL cycles of ${cycleSeconds} s, ${clientCount} clients over ${docCount} documents ` +
      `(load ${loadBefore.map((l) => l.toFixed(2)).join(' ')})`,
  );
  const first = await spawnServer(data.dir, ['--log-level', 'warn']);
  let server = first;
  const port = new URL(first.url).port;
  const url = first.url;
  const docs = Array.from({ length: docCount }, (_, i) => `unit:SOAK${String(i).padStart(2, '0')}`);
  const written = new Map<WebsocketProvider, number>();
  const clients: WebsocketProvider[] = [];
  for (let i = 0; i < clientCount; i++) {
    const provider = new WebsocketProvider(url, docs[i % docCount]!, new Y.Doc(), {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      maxBackoffTime: 1500,
      params: { token: token(`officer-${i % 40}`) },
    });
    provider.awareness.setLocalStateField('user', { name: `officer-${i % 40}` });
    written.set(provider, 0);
    clients.push(provider);
  }
  await waitFor(() => clients.every((c) => c.synced), 'every client to sync', 120_000);
  say(`soak: ${clients.length} clients synced`);
  let writing = true;
  const timers = clients.map((client, i) =>
    setInterval(
      () => {
        if (!writing) return;
        const n = written.get(client)!;
        client.doc.getMap('soak').set(`${i}-${n}`, n);
        written.set(client, n + 1);
      },
      700 + Math.floor(random() * 600),
    ),
  );

  const samples: Sample[] = [];
  const sampler = setInterval(() => {
    void metrics(url).then((sample) => sample && samples.push(sample));
  }, 2000);
  const results: CycleResult[] = [];
  const failures: string[] = [];
  const ackDocs = ['unit:ACK1', 'unit:ACK2', 'unit:ACK3', 'unit:ACK4'];
  let totalAcked = 0;

  for (let cycle = 1; cycle <= cycles; cycle++) {
    const cycleStart = Date.now();
    const writers = await Promise.all(
      ackDocs.flatMap((doc) => [0, 1].map(() => AckingWriter.open(url, doc, token(`acker-${cycle % 5}`)))),
    );
    let next = 0;
    const stream = setInterval(() => {
      for (const writer of writers) {
        for (let i = 0; i < 4; i++) writer.write(`c${cycle}-${writer.clientID}-${next++}`, cycle);
        writer.probe();
      }
    }, 10);
    const killAfter = Math.floor((0.4 + random() * 0.6) * cycleSeconds * 1000);
    await new Promise((done) => setTimeout(done, killAfter));
    const cycleSamples = samples.filter((s) => s.at >= cycleStart);
    await kill(server.child);
    clearInterval(stream);
    for (const writer of writers) writer.close();
    const refused = writers.flatMap((w) => w.refusals);
    if (refused.length > 0) failures.push(`cycle ${cycle}: acknowledging writers refused: ${refused.join(', ')}`);
    const restartBegan = Date.now();
    server = await spawnServer(data.dir, ['--port', port, '--log-level', 'warn']);
    const restartMs = Date.now() - restartBegan;
    let missing = 0;
    for (const doc of ackDocs) {
      const lost = missingAcknowledged(
        await storedState(url, doc),
        writers.filter((w) => w.docName === doc),
      );
      missing += lost.reduce((sum, entry) => sum + (entry.acked - entry.stored), 0);
      for (const entry of lost)
        failures.push(
          `cycle ${cycle}: ${doc}: clientID ${entry.clientID} had ${entry.acked} edits acknowledged, ` +
            `storage holds ${entry.stored}`,
        );
    }
    const acked = writers.reduce((sum, w) => sum + w.acked, 0);
    totalAcked += acked;
    results.push({
      cycle,
      killedAfterMs: killAfter,
      ackedEdits: acked,
      missingAcked: missing,
      maxRss: Math.max(0, ...cycleSamples.map((s) => s.rss)),
      connections: Math.max(0, ...cycleSamples.map((s) => s.connections)),
      restartMs,
      storeBytes: storeBytes(),
    });
    say(
      `soak: cycle ${cycle}/${cycles}: killed after ${killAfter} ms, ${acked} acknowledged edits checked, ` +
        `${missing} missing, restart ${restartMs} ms`,
    );
  }

  // Stop writing; every client must come back, hand over what it kept and hold what the server holds.
  writing = false;
  for (const timer of timers) clearInterval(timer);
  const converge = Date.now();
  let converged = true;
  try {
    await waitFor(() => clients.every((c) => c.wsconnected && c.synced), 'every client to reconnect', 120_000);
    for (const doc of docs) {
      const mine = clients.filter((c) => c.roomname === doc);
      const expectedKeys = mine.reduce((sum, c) => sum + written.get(c)!, 0);
      await waitFor(() => mine.every((c) => c.doc.getMap('soak').size === expectedKeys), `${doc} to converge`, 120_000);
      const stored = await storedState(url, doc);
      const storedKeys = stored.getMap('soak').size;
      if (storedKeys !== expectedKeys) {
        converged = false;
        failures.push(`${doc}: the server holds ${storedKeys} of ${expectedKeys} edits`);
      }
    }
  } catch (error) {
    converged = false;
    failures.push(`convergence: ${(error as Error).message}`);
  }
  const convergeMs = Date.now() - converge;
  clearInterval(sampler);
  const finalMetrics = await fetch(`${url.replace('ws:', 'http:')}/metrics`).then((r) => r.text());
  const refusals = [...finalMetrics.matchAll(/^dossierlens_refusals_total\{reason="([^"]+)"\} (\d+)$/gmu)]
    .filter((m) => m[2] !== '0')
    .map((m) => `${m[1]} ${m[2]}`);
  for (const client of clients) client.destroy();
  await kill(server.child);
  data.remove();

  const totalEdits = [...written.values()].reduce((sum, n) => sum + n, 0);
  const loadAfter = loadavg();
  const rssSeries = samples.map((s) => s.rss);
  const report = renderReport({
    startedAt,
    loadBefore,
    clientCount,
    docCount,
    cycleSeconds,
    results,
    failures,
    totalEdits,
    totalAcked,
    converged,
    convergeMs,
    refusals,
    rssFirst: rssSeries[0] ?? NaN,
    rssMax: Math.max(...rssSeries),
    rssLast: rssSeries.at(-1) ?? NaN,
    heapMax: Math.max(...samples.map((s) => s.heap)),
    loadAfter,
    durationMs: Date.now() - startedAt.getTime(),
  });
  writeFileSync(values.out!, report);
  const outcome = failures.length === 0 ? 'nothing lost, every client converged' : `${failures.length} failure(s)`;
  say(`soak: wrote ${values.out}; ${outcome}`);
  process.exit(failures.length === 0 ? 0 : 1);
}

main().catch((error: Error) => {
  process.stderr.write(`soak failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
