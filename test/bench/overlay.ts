/**
 * Overlay benchmark: generated roster pages (1,000 and 10,000 rows, 10% known names, and the
 * same pages with no known names) in headless Chromium, loopback only.
 *
 * For each page, in the same run and the same browser, separate loads of:
 *   - bare:    one TreeWalker pass reading every text node (the floor for "look at the page");
 *   - naive:   walk + match + insert a plain <span> for every match in one synchronous task, then
 *              force layout (what a straightforward overlay does);
 *   - overlay: the real scanner and badges (extension/overlay), sliced, in-view rows first.
 * Reported: time to all badges, time until every known row in the first viewport has its badge,
 * longest main-thread task (PerformanceObserver "longtask", plus our own slice timings), total
 * main-thread task time (CDP Performance.TaskDuration), and JS heap / DOM nodes added after GC.
 *
 *   npx tsx test/bench/overlay.ts            # prints a Markdown table for BENCHMARKS.md
 *   TRACE=1 npx tsx test/bench/overlay.ts    # also: main-thread time by trace event, 10,000 rows
 *
 * The overlay is bundled into the page (test/bench/overlay-page.ts) rather than loaded as the
 * extension, so the page, the overlay and the measurements share one clock and one heap.
 */
import { build } from 'esbuild'; // vite's own bundler, already installed with it
import type { Page } from 'playwright-core';
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { SubjectSummary } from '../../core/model/summary.ts';
import { buildMatcher } from '../../core/match/matcher.ts';
import { rng, rosterHtml, subjects } from './overlay-data.ts';
import { QUIET, launchChromium } from './support/chromium.ts';

const ROOT = resolve(import.meta.dirname, '../..');

// ---- measurements in the page ------------------------------------------------------------------

interface Result {
  variant: string;
  badges: number;
  /** Of those, drawn in a layer beside a large table (the rest are in the page's flow). */
  layered: number;
  allMs: number;
  inViewMs: number | null;
  longestTaskMs: number;
  longTasks: number;
  /** Our script's own time: index build, sum of work slices, longest slice (bare/naive: the pass). */
  buildMs: number;
  scriptMs: number;
  maxSliceMs: number;
  maxSlicePhase: string;
  taskMs: number;
  heapKb: number;
  nodes: number;
}

async function metrics(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const read = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return (n: string) => metrics.find((m) => m.name === n)?.value ?? 0;
  };
  // Task time is read before collecting garbage and after the baseline collection, so neither
  // collection is counted as the variant's work.
  return async (when: 'before' | 'after') => {
    if (when === 'before') await cdp.send('HeapProfiler.collectGarbage');
    const task = (await read())('TaskDuration') * 1000;
    if (when === 'after') await cdp.send('HeapProfiler.collectGarbage');
    const get = await read();
    return { task, heap: get('JSHeapUsedSize') / 1024, nodes: get('Nodes') };
  };
}

async function observeLongTasks(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as { __long: number[] };
    w.__long = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__long.push(e.duration);
    }).observe({ type: 'longtask' });
  });
}

async function runVariant(
  page: Page,
  url: string,
  variant: 'bare' | 'naive' | 'overlay',
  bundle: string,
  index: SubjectSummary[],
  knownRows: number[],
): Promise<Result> {
  await page.goto(url);
  // tsx compiles the evaluated functions with esbuild's keepNames, which calls a __name helper.
  await page.evaluate('globalThis.__name = (f) => f');
  await page.addScriptTag({ content: bundle });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
  const sample = await metrics(page);
  const before = await sample('before');
  await observeLongTasks(page);
  // TRACE=1: a Chromium trace of the 10,000-row roster, summed by event (where the time goes).
  const tracing = process.env.TRACE && variant !== 'bare' && url.endsWith('roster-10000');
  const tcdp = tracing ? await page.context().newCDPSession(page) : null;
  const events: { name: string; ph: string; dur?: number; tid: number; ts: number; cat: string }[] = [];
  if (tcdp) {
    tcdp.on('Tracing.dataCollected', (d) => events.push(...(d.value as unknown as typeof events)));
    await tcdp.send('Tracing.start', {
      categories: 'devtools.timeline,disabled-by-default-devtools.timeline,v8',
      transferMode: 'ReportEvents',
    } as never);
  }
  const out = await page.evaluate(
    async ({ variant, index, knownRows }) => {
      type Stats = {
        buildMs: number;
        workMs: number;
        maxSliceMs: number;
        maxSlicePhase?: string;
        slices: number;
        layered: number;
        inline: number;
      };
      const w = window as unknown as {
        __overlay: {
          start(
            s: unknown[],
            sliceMs?: number,
          ): { idle(): Promise<void>; badgeCount: number; stats: Stats; isBadged(t: Text): boolean };
        };
      };
      const viewH = innerHeight;
      const inViewCells = knownRows
        .map((i) => document.getElementById(`r${i}`) as HTMLTableRowElement)
        .filter((tr) => tr.getBoundingClientRect().top < viewH)
        .map((tr) => tr.cells[1]!);
      const t0 = performance.now();
      if (variant === 'bare') {
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        let chars = 0;
        for (let n = walker.nextNode(); n; n = walker.nextNode()) chars += (n as Text).data.length;
        const took = performance.now() - t0;
        return {
          badges: chars > 0 ? 0 : -1,
          allMs: took,
          inViewMs: null,
          stats: { buildMs: 0, workMs: took, maxSliceMs: took, slices: 1, layered: 0, inline: 0 },
        };
      }
      if (variant === 'naive') {
        // The same matcher, but every badge inserted in one go and laid out at once.
        const names = new Set((index as { name: string }[]).map((s) => s.name));
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        const hits: Text[] = [];
        for (let n = walker.nextNode(); n; n = walker.nextNode()) if (names.has((n as Text).data)) hits.push(n as Text);
        for (const t of hits) {
          const s = document.createElement('span');
          s.textContent = '●1 B';
          t.after(s);
        }
        void document.body.offsetHeight;
        const took = performance.now() - t0;
        return {
          badges: hits.length,
          allMs: took,
          inViewMs: took,
          stats: { buildMs: 0, workMs: took, maxSliceMs: took, slices: 1, layered: 0, inline: 0 },
        };
      }
      let inViewMs: number | null = null;
      const scanner = w.__overlay.start(index);
      // Badged = the scanner has the name's badge on screen (in the cell, or placed in the layer).
      const watch = () => {
        if (inViewCells.every((c) => scanner.isBadged(c.firstChild as Text))) inViewMs = performance.now() - t0;
        else requestAnimationFrame(watch);
      };
      requestAnimationFrame(watch);
      await scanner.idle();
      const allMs = performance.now() - t0;
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      return {
        badges: scanner.badgeCount,
        allMs,
        inViewMs: inViewMs ?? (inViewCells.length === 0 ? 0 : null),
        stats: scanner.stats,
      };
    },
    { variant, index, knownRows },
  );
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 100))));
  if (tcdp) {
    const done = new Promise((r) => tcdp.once('Tracing.tracingComplete', r));
    await tcdp.send('Tracing.end');
    await done;
    const main = events.filter((e) => e.name === 'RunTask');
    const tids = new Map<number, number>();
    for (const e of main) tids.set(e.tid, (tids.get(e.tid) ?? 0) + (e.dur ?? 0));
    const tid = [...tids.entries()].sort((a, b) => b[1] - a[1])[0]![0];
    const by = new Map<string, number>();
    for (const e of events) if (e.tid === tid && e.ph === 'X' && e.dur) by.set(e.name, (by.get(e.name) ?? 0) + e.dur);
    const frames = (name: string) =>
      events.filter((e) => e.tid === tid && e.name === name && e.dur).map((e) => (e.dur! / 1000).toFixed(0));
    console.error(`${variant} on ${url}: main-thread time by trace event (ms):`);
    console.error(
      '  ' +
        [...by.entries()]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 12)
          .map(([n, d]) => `${n} ${(d / 1000).toFixed(0)}`)
          .join(', '),
    );
    console.error(`  PrePaint per frame: ${frames('PrePaint').join(' ')}; Layout: ${frames('Layout').join(' ')}`);
    // The longest tasks, with what ran inside them.
    const tasks = events
      .filter((e) => e.tid === tid && e.name === 'RunTask' && e.dur)
      .sort((a, b) => b.dur! - a.dur!)
      .slice(0, 3);
    for (const t of tasks) {
      const inside = new Map<string, number>();
      for (const e of events)
        if (e.tid === tid && e.ph === 'X' && e.dur && e !== t && e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur!)
          inside.set(e.name, (inside.get(e.name) ?? 0) + e.dur);
      const top = [...inside.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 6)
        .map(([n, d]) => `${n} ${(d / 1000).toFixed(0)}`);
      console.error(`  task ${(t.dur! / 1000).toFixed(0)} ms: ${top.join(', ')}`);
    }
  }
  const long = await page.evaluate(() => (window as unknown as { __long: number[] }).__long);
  const after = await sample('after');
  return {
    variant,
    badges: out.badges,
    layered: out.stats.layered,
    allMs: out.allMs,
    inViewMs: out.inViewMs,
    longestTaskMs: long.length ? Math.max(...long) : 0,
    longTasks: long.length,
    buildMs: out.stats.buildMs,
    scriptMs: out.stats.buildMs + out.stats.workMs,
    maxSliceMs: out.stats.maxSliceMs,
    maxSlicePhase: out.stats.maxSlicePhase ?? '',
    taskMs: after.task - before.task,
    heapKb: after.heap - before.heap,
    nodes: after.nodes - before.nodes,
  };
}

async function main() {
  const r = rng(20240601);
  const index = subjects(2000, r);
  const pages = new Map<string, { html: string; knownRows: number[] }>();
  for (const rows of [1000, 10000]) {
    pages.set(`roster-${rows}`, rosterHtml(rows, index, 0.1, r));
    pages.set(`nomatch-${rows}`, rosterHtml(rows, index, 0, r));
  }

  // The matcher's build is synchronous in the content script: measure it for realistic scopes.
  const buildTimes: string[] = [];
  for (const n of [1072, 10000]) {
    const subs = subjects(n, rng(n));
    const t0 = performance.now();
    buildMatcher(subs);
    buildTimes.push(`${n} subjects: ${(performance.now() - t0).toFixed(1)} ms`);
  }

  const bundled = await build({
    entryPoints: [resolve(ROOT, 'test/bench/overlay-page.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'chrome120',
    minify: true,
  });
  const bundle = bundled.outputFiles[0]!.text;

  const server = createServer((req, res) => {
    const page = pages.get((req.url ?? '').slice(1));
    if (!page) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page.html);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;

  const browser = await launchChromium(QUIET);
  const lines: string[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const head = [
      'page',
      'variant',
      'badges',
      'of which layered',
      'all badges (ms)',
      'first-view badges (ms)',
      'our script (ms)',
      'of which index build',
      'longest slice (ms)',
      'longest task, incl. layout (ms)',
      'tasks > 50 ms',
      'main-thread total (ms)',
      'JS heap added (kB)',
      'DOM nodes added',
    ];
    lines.push(`| ${head.join(' | ')} |`);
    lines.push('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const [name, p] of pages) {
      for (const variant of ['bare', 'naive', 'overlay'] as const) {
        const res = await runVariant(page, `http://127.0.0.1:${port}/${name}`, variant, bundle, index, p.knownRows);
        const f = (x: number | null) => (x === null ? '—' : x.toFixed(0));
        const cells = [
          name,
          variant,
          res.badges < 0 ? 0 : res.badges,
          res.layered,
          f(res.allMs),
          f(res.inViewMs),
          f(res.scriptMs),
          f(res.buildMs),
          `${f(res.maxSliceMs)}${res.maxSlicePhase ? ` (${res.maxSlicePhase})` : ''}`,
          f(res.longestTaskMs),
          res.longTasks,
          f(res.taskMs),
          f(res.heapKb),
          res.nodes,
        ];
        lines.push(`| ${cells.join(' | ')} |`);
        console.error(lines.at(-1));
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  console.log(lines.join('\n'));
  console.log(`\nMatcher build (Node, ${process.version}): ${buildTimes.join('; ')}`);
}

await main();
