/**
 * What one badge commit costs inside a large table, by how the badge host is laid out — the
 * experiment behind "Scheduling" in extension/overlay/README.md and BENCHMARKS.md "Overlay".
 *
 * A plain roster table (6 auto-layout columns) of 1,000 and 10,000 rows, headless Chromium. For
 * each host style, on a fresh load: commits of 1, 100 and 500 hosts (each its own task; time =
 * insertion + the style and layout it forces), then every 10th row badged in commits of 100 with
 * a PerformanceObserver counting long tasks (which include paint). Host styles:
 *   - inline:   the shipped host (`display: inline-block`, in flow, after the name's text node);
 *   - strict:   the same with a fixed size and `contain: strict`;
 *   - absolute: in the cell, `position: absolute` without offsets (static position: after the name);
 *   - layer:    not in the table at all — one zero-height block inserted after the table, hosts
 *               absolutely positioned in it from the name's Range rect.
 * Hosts are like the real ones (closed shadow root, adopted sheet, a button with a few glyphs).
 *
 *   npx tsx test/bench/overlay-insert.ts
 *   ROWS=250,500,1000 STYLES=inline npx tsx test/bench/overlay-insert.ts
 */
import type { Page } from 'playwright-core';
import { QUIET, launchChromium } from './support/chromium.ts';
import { plainRoster } from './support/roster-page.ts';

type Style = 'inline' | 'strict' | 'absolute' | 'layer';
const STYLES: Style[] = (process.env.STYLES?.split(',') as Style[] | undefined) ?? [
  'inline',
  'strict',
  'absolute',
  'layer',
];
/** Table sizes; `ROWS=250,500 npx tsx test/bench/overlay-insert.ts` for the inline threshold. */
const ROWS = process.env.ROWS?.split(',').map(Number) ?? [1000, 10000];

interface Out {
  layerInsertMs: number | null;
  single: Record<string, number[]>;
  chunkedCommitsMs: number[];
  longTasksMs: number[];
}

async function measure(page: Page, style: Style): Promise<Out> {
  // tsx compiles the evaluated function with esbuild's keepNames, which calls a __name helper.
  await page.evaluate('globalThis.__name = (f) => f');
  return page.evaluate(async (style: Style) => {
    const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50)));
    void document.body.offsetHeight;
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(
      ':host{all:initial}.p{display:inline-flex;height:18px;border:1px solid #555;border-radius:9px;' +
        'font:12px/16px sans-serif;padding:0 5px;white-space:nowrap}',
    );
    const set = (e: HTMLElement, props: Record<string, string>) => {
      for (const [k, v] of Object.entries(props)) e.style.setProperty(k, v, 'important');
    };
    const host = () => {
      const h = document.createElement('span');
      set(h, { all: 'initial', display: 'inline-block' });
      if (style === 'inline') set(h, { 'vertical-align': 'middle' });
      if (style === 'strict') set(h, { 'vertical-align': 'middle', width: '60px', height: '18px', contain: 'strict' });
      if (style === 'absolute' || style === 'layer') set(h, { position: 'absolute' });
      const root = h.attachShadow({ mode: 'closed' });
      root.adoptedStyleSheets = [sheet];
      const b = document.createElement('button');
      b.className = 'p';
      b.textContent = '●1 ▲1 B';
      root.append(b);
      return h;
    };
    const table = document.getElementById('t') as HTMLTableElement;
    const cells = [...table.rows].map((tr) => tr.cells[1]!);

    let layer: HTMLElement | null = null;
    let layerInsertMs: number | null = null;
    if (style === 'layer') {
      layer = document.createElement('span');
      set(layer, { all: 'initial', display: 'block', position: 'relative', height: '0', contain: 'layout style' });
      const t0 = performance.now();
      table.after(layer);
      void document.body.offsetHeight;
      layerInsertMs = performance.now() - t0;
    }
    /** One commit: hosts for `batch`, then the style and layout that insertion forces. */
    const commit = (batch: HTMLTableCellElement[]) => {
      const t0 = performance.now();
      if (layer) {
        // Geometry is read before any write, so these reads do not force a layout of their own.
        const base = layer.getBoundingClientRect();
        const rects = batch.map((c) => {
          const range = document.createRange();
          range.selectNodeContents(c.firstChild!);
          return range.getBoundingClientRect();
        });
        batch.forEach((_, i) => {
          const h = host();
          set(h, { left: `${rects[i]!.right - base.left}px`, top: `${rects[i]!.top - base.top}px` });
          layer!.append(h);
        });
      } else {
        for (const c of batch) c.firstChild!.after(host());
      }
      void document.body.offsetHeight;
      return performance.now() - t0;
    };

    const single: Record<string, number[]> = {};
    let next = 0;
    for (const n of [1, 1, 100, 100, 500]) {
      const batch = cells.slice(next, next + n);
      next += n;
      (single[n] ??= []).push(commit(batch));
      await frame();
    }

    const longTasksMs: number[] = [];
    const po = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) longTasksMs.push(e.duration);
    });
    po.observe({ type: 'longtask' });
    const rest = cells.slice(next).filter((_, i) => i % 10 === 3);
    const chunkedCommitsMs: number[] = [];
    for (let i = 0; i < rest.length; i += 100) {
      chunkedCommitsMs.push(commit(rest.slice(i, i + 100)));
      await new Promise((r) => setTimeout(r, 0));
    }
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 100)));
    po.disconnect();
    return { layerInsertMs, single, chunkedCommitsMs, longTasksMs };
  }, style);
}

async function main() {
  const browser = await launchChromium(QUIET);
  const f = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' / ');
  const head = [
    'rows',
    'host',
    '1 host (ms)',
    '100 hosts (ms)',
    '500 hosts (ms)',
    'commits of 100: longest (ms)',
    'of which > 50 ms',
    'long tasks (longest, ms)',
  ];
  const lines = [`| ${head.join(' | ')} |`, '|---:|---|---:|---:|---:|---:|---:|---:|'];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    for (const rows of ROWS) {
      const html = plainRoster(rows);
      for (const style of STYLES) {
        await page.setContent(html);
        const o = await measure(page, style);
        const over = o.chunkedCommitsMs.filter((x) => x > 50).length;
        const label = style + (o.layerInsertMs === null ? '' : ` (layer inserted: ${o.layerInsertMs.toFixed(1)} ms)`);
        const longTasks = o.longTasksMs.length
          ? `${o.longTasksMs.length} (${Math.max(...o.longTasksMs).toFixed(0)})`
          : '0';
        const cells = [
          String(rows),
          label,
          f(o.single['1'] ?? []),
          f(o.single['100'] ?? []),
          f(o.single['500'] ?? []),
          `${Math.max(...o.chunkedCommitsMs).toFixed(0)} (of ${o.chunkedCommitsMs.length})`,
          String(over),
          longTasks,
        ];
        lines.push(`| ${cells.join(' | ')} |`);
        console.error(lines.at(-1));
      }
    }
  } finally {
    await browser.close();
  }
  console.log(lines.join('\n'));
}

await main();
