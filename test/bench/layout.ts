/**
 * Document layout benchmark: encoded size and load time (Y.applyUpdate into a fresh Y.Doc) of the
 * naive layout (a Y.Map per cadre and per record) against ours (one plain JSON object per entity in
 * a top-level Y.Map; see core/README.md "Layout decision"), at the seed city's 1,072 cadres and at
 * 10,000, 10 records each. Also the cost of reading every record back through the validating
 * accessors, and of computing the local index of the 98 unit documents (`summariseUnitDoc`: that
 * read plus the rules), which is what the sync client does after a load when no index is cached.
 *
 * Then the same documents through y-indexeddb in headless Chromium (test/bench/layout-page.ts),
 * which is how the naive layout's figures in BENCHMARKS.md were measured.
 *
 * Run: npx tsx test/bench/layout.ts   (prints tables; figures go to BENCHMARKS.md by hand)
 *      npx tsx test/bench/layout.ts --workspace [runs]   (only the sync client in Chromium)
 *      npx tsx test/bench/layout.ts --at-rest [runs]     (the same, today's store beside the encrypted one)
 */
import { build } from 'esbuild'; // vite's own bundler, already installed with it
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import * as Y from 'yjs';
import { unitDossiers } from '../../core/doc/unit-doc.ts';
import { defaultConfig } from '../../core/model/config.ts';
import { summariseUnitDoc } from '../../core/sync/summaries.ts';
import { launchChromium } from './support/chromium.ts';
import { naiveDoc, oursDoc, oursPerUnitDocs, population, RECORDS_PER_CADRE } from './layout-data.ts';

function timeLoadAll(updates: Uint8Array[], runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    for (const u of updates) {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, u);
      void doc.getMap('records').size;
      doc.destroy();
    }
    times.push(performance.now() - t0);
  }
  return median(times);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timeLoad(update: Uint8Array, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const doc = new Y.Doc();
    Y.applyUpdate(doc, update);
    // Touch the content so lazy work is counted.
    void doc.getMap('records').size;
    times.push(performance.now() - t0);
    doc.destroy();
  }
  return median(times);
}

function timeRead(update: Uint8Array, runs: number): number {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  const u = unitDossiers(doc);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const n = u.records.list().length + u.cadres.list().length;
    times.push(performance.now() - t0);
    if (n === 0) throw new Error('nothing read');
  }
  return median(times);
}

/** The local index of every unit document, as the sync client computes it when none is cached. */
function timeIndex(updates: Uint8Array[], runs: number): number {
  const config = defaultConfig();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const docs = updates.map((u) => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, u);
      return doc;
    });
    const t0 = performance.now();
    for (const doc of docs)
      summariseUnitDoc(unitDossiers(doc), { config, unit: () => undefined, asOf: '2024-01-01', locale: 'zh-CN' });
    times.push(performance.now() - t0);
    for (const doc of docs) doc.destroy();
  }
  return median(times);
}

const fmtMB = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;
const fmtMs = (ms: number) => `${ms.toFixed(0)} ms`;

const atRest = process.argv.includes('--at-rest');
const workspaceOnly = process.argv.includes('--workspace') || atRest;
const workspaceRuns = Number(process.argv[process.argv.indexOf(atRest ? '--at-rest' : '--workspace') + 1]) || 5;
const rows: string[][] = [];
for (const cadres of workspaceOnly ? [] : [1072, 10_000]) {
  const p = population(cadres);
  const naive = Y.encodeStateAsUpdate(naiveDoc(p));
  const ours = Y.encodeStateAsUpdate(oursDoc(p));
  const runs = cadres > 5000 ? 5 : 9;
  // Warm-up so the first layout measured does not pay for JIT compilation alone.
  timeLoad(ours, 2);
  timeLoad(naive, 2);
  const naiveMs = timeLoad(naive, runs);
  const oursMs = timeLoad(ours, runs);
  const readMs = timeRead(ours, Math.min(runs, 5));
  const perUnit = oursPerUnitDocs(p).map((d) => Y.encodeStateAsUpdate(d));
  const perUnitMs = timeLoadAll(perUnit, runs);
  const perUnitBytes = perUnit.reduce((n, u) => n + u.byteLength, 0);
  timeIndex(perUnit, 1); // warm-up
  const indexMs = timeIndex(perUnit, runs);
  rows.push([
    `${cadres.toLocaleString('en')} × ${RECORDS_PER_CADRE}`,
    fmtMB(naive.byteLength),
    fmtMB(ours.byteLength),
    `${(naive.byteLength / ours.byteLength).toFixed(1)}×`,
    fmtMs(naiveMs),
    fmtMs(oursMs),
    `${(naiveMs / oursMs).toFixed(1)}×`,
    fmtMs(readMs),
    `${fmtMB(perUnitBytes)} / ${fmtMs(perUnitMs)}`,
    fmtMs(indexMs),
  ]);
}

const header = [
  'cadres × records',
  'naive size',
  'ours size',
  'size ratio',
  'naive load',
  'ours load',
  'load ratio',
  'ours read+validate all',
  'ours as 98 unit docs: size / load',
  'ours as 98 unit docs: local index',
];
/** A table's head and separator, after a blank line unless it is the first thing printed. */
function printHead(head: string[], blankLine = true): void {
  console.log(`${blankLine ? '\n' : ''}| ${head.join(' | ')} |`);
  console.log(`|${head.map(() => '---').join('|')}|`);
}
const printRow = (cells: string[]) => console.log(`| ${cells.join(' | ')} |`);

if (!workspaceOnly) {
  printHead(header, false);
  for (const r of rows) printRow(r);
  const day = new Date().toISOString().slice(0, 10);
  console.log(`\nNode ${process.version}, ${day}; load = new Y.Doc + Y.applyUpdate of the full state, median of runs.`);
}

/** The same documents through y-indexeddb in Chromium, served from loopback (IndexedDB needs an origin). */
async function chromiumRun(): Promise<void> {
  const root = resolve(import.meta.dirname, '../..');
  const bundled = await build({
    entryPoints: [resolve(root, 'test/bench/layout-page.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'chrome120',
    minify: true,
  });
  const js = bundled.outputFiles[0]!.text;
  const server = createServer((req, res) => {
    if (req.url === '/bench.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
    else
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end('<!doctype html><meta charset="utf-8"><script src="/bench.js"></script>');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    if (process.env.BENCH_DEBUG) {
      page.on('console', (m) => console.error('page:', m.text()));
      page.on('pageerror', (e) => console.error('pageerror:', e));
      page.on('crash', () => console.error('page crashed'));
    }
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    type Workspace = { cold: number; warm: number; warmWorkspace: number; raw: number; entries: number; units: number };
    const workspaceBench = (cadres: number, sealed: boolean): Promise<Workspace> =>
      page.evaluate(([n, runs, sealed]) => (globalThis as any).runWorkspaceBench(n, runs, sealed), [
        cadres,
        workspaceRuns,
        sealed,
      ] as const);
    if (!workspaceOnly) {
      printHead([
        'cadres × records',
        'naive (1 doc)',
        'ours (1 doc)',
        'ratio',
        'ours as unit docs',
        'ours as unit docs + local index',
      ]);
      for (const cadres of [1072, 10_000]) {
        const r = await page.evaluate(([n, runs]) => (globalThis as any).runLayoutBench(n, runs), [
          cadres,
          cadres > 5000 ? 3 : 5,
        ] as const);
        printRow([
          `${cadres.toLocaleString('en')} × ${RECORDS_PER_CADRE}`,
          fmtMs(r.naive),
          fmtMs(r.ours),
          `${(r.naive / r.ours).toFixed(1)}×`,
          `${fmtMs(r.perUnit)} (${r.units} docs)`,
          fmtMs(r.perUnitIndexed),
        ]);
      }
      console.log(
        `\nChromium ${browser.version()}: open = new Y.Doc + IndexeddbPersistence until whenSynced, median of runs.`,
      );
    }
    if (atRest) {
      // Today's store and the sealed one, in the same page and run, one after the other.
      printHead([
        'cadres',
        'from cache, today',
        'from cache, encrypted',
        'ratio',
        'index computed, today',
        'index computed, encrypted',
      ]);
      for (const cadres of [1072, 10_000]) {
        const plain = await workspaceBench(cadres, false);
        const sealed = await workspaceBench(cadres, true);
        printRow([
          cadres.toLocaleString('en'),
          fmtMs(plain.warm),
          fmtMs(sealed.warm),
          `${(sealed.warm / plain.warm).toFixed(2)}×`,
          fmtMs(plain.cold),
          fmtMs(sealed.cold),
        ]);
      }
      const what = 'openWorkspace + openUnits from IndexedDB, not connected';
      console.log(`\nChromium ${browser.version()}: ${what}, median of ${workspaceRuns}.`);
      return;
    }
    printHead([
      'cadres',
      'openWorkspace + openUnits, index computed',
      'same, index from cache',
      'of which openWorkspace (cache)',
      'raw y-indexeddb open of the same 99 docs',
      'index entries',
    ]);
    for (const cadres of [1072, 10_000]) {
      const r = await workspaceBench(cadres, false);
      printRow([
        `${cadres.toLocaleString('en')} (${r.units} units)`,
        fmtMs(r.cold),
        fmtMs(r.warm),
        fmtMs(r.warmWorkspace),
        fmtMs(r.raw),
        r.entries.toLocaleString('en'),
      ]);
    }
    const what = 'the sync client from IndexedDB, not connected (core/sync/workspace.ts)';
    console.log(`\nChromium ${browser.version()}: ${what}, median of ${workspaceRuns}.`);
  } finally {
    await browser.close();
    server.close();
  }
}

await chromiumRun();
