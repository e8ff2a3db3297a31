/**
 * The overlay from a cold background (issue 11, "Speed on a real first visit"). Browsers stop an
 * extension's service worker after ~30 s idle, so an officer who opens a portal page now and then
 * usually meets a cold background; the `overlay` benchmark measures the scanner alone, with its
 * index already in hand.
 *
 * The real built extension (.output/chrome-mv3, build first), enrolled against a real server on
 * loopback holding the demo city (98 units, 1,072 cadres, loaded as `npm start` loads it), and two
 * legacy (GBK) roster pages served on loopback:
 *   - roster-1072: every cadre of the city, one row each (8 columns: a large table, layered badges);
 *   - roster-10000: 10,000 rows, every tenth a cadre of the city, the others unknown names.
 * For each page: WARM (background running, page loaded before) and COLD (the service worker
 * stopped through the DevTools protocol, `ServiceWorker.stopAllWorkers`, right before navigating).
 *
 * Measured from the page's load event (loadEventEnd), on the page's own clock: first badges in
 * view (the first badge inserted whose box is in the viewport) and all badges (the last badge of
 * the final count). Badges are counted inside their closed shadow roots from the content script's
 * own isolated world (reached through the DevTools protocol; `chrome.dom.openOrClosedShadowRoot`),
 * by a MutationObserver installed when that world is created.
 *
 *   npx tsx test/bench/overlay-cold.ts     # prints a Markdown table for BENCHMARKS.md
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { encodeGbk } from '../../core/import/gbk.ts';
import type { Cadre } from '../../core/model/schemas.ts';
import { loadDemoCity } from '../e2e/support/demo-city.ts';
import { enrol, launchExtension, stopBackground } from '../e2e/support/extension.ts';
import { startTestServer } from '../e2e/support/server.ts';

const RUNS = Number(process.env.RUNS ?? 3);

function rosterHtml(rows: { name: string; id: string; unit: string; post: string }[], title: string): Uint8Array {
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const cells = (tag: 'td' | 'th', values: string[]) => values.map((v) => `<${tag}>${v}</${tag}>`).join('');
  const body = rows
    .map((r, i) => {
      const name = `<a href="#p${i}">${esc(r.name)}</a>`;
      return `<tr>${cells('td', [String(i + 1), esc(r.id), name, esc(r.unit), esc(r.post), '—', '—', '—'])}</tr>`;
    })
    .join('');
  const head = cells('th', ['序号', '干部编号', '姓名', '工作单位', '现任职务', '备注', '备注', '备注']);
  return encodeGbk(`<!DOCTYPE html><html lang="zh-CN"><head><meta charset="gbk"><title>${title}</title>
<style>body{font:12px SimSun,serif} td,th{border:1px solid #9ab;padding:2px 6px;white-space:nowrap}</style></head>
<body><h3>${title}</h3><table id="roster"><tr>${head}</tr>${body}</table></body></html>`);
}

/** Installed in the content script's isolated world: badge insertion times, in view or not. */
const WATCH = `(() => {
  if (window.__coldWatch) return;
  const w = window.__coldWatch = { times: [], firstInView: null };
  const inView = (el) => {
    const r = el.getBoundingClientRect();
    return r.bottom > 0 && r.top < innerHeight && r.width > 0;
  };
  const seen = (el) => {
    const t = performance.now();
    w.times.push(t);
    if (w.firstInView === null && inView(el)) w.firstInView = t;
  };
  const panes = new WeakSet();
  const onHost = (host) => {
    const root = chrome.dom.openOrClosedShadowRoot(host);
    if (!root) return;
    const pane = root.querySelector('.pane');
    if (!pane) { seen(root.querySelector('button') ?? host); return; }
    if (panes.has(pane)) return;
    panes.add(pane);
    for (const s of pane.children) if (!s.classList.contains('proxy')) seen(s);
    const isSpot = (n) => n.nodeType === 1 && n.classList.contains('spot') && !n.classList.contains('proxy')
      && n.style.visibility !== 'hidden';
    new MutationObserver((recs) => { for (const r of recs) for (const n of r.addedNodes) if (isSpot(n)) seen(n); })
      .observe(pane, { childList: true });
  };
  const isHost = (n) => n.nodeType === 1 && n.tagName === 'SPAN' && chrome.dom.openOrClosedShadowRoot(n) !== null;
  document.querySelectorAll('span').forEach((n) => isHost(n) && onHost(n));
  new MutationObserver((recs) => { for (const r of recs) for (const n of r.addedNodes) if (isHost(n)) onHost(n); })
    .observe(document, { childList: true, subtree: true });
})()`;

interface Visit {
  load: number;
  firstInView: number | null;
  all: number | null;
  count: number;
}

/** Navigates `page` to `url` and measures, watching from the content script's world. */
async function visit(page: Page, extensionId: string, url: string, expected: number): Promise<Visit> {
  const cdp = await page.context().newCDPSession(page);
  let context: number | null = null;
  cdp.on('Runtime.executionContextCreated', ({ context: c }) => {
    if (process.env.DEBUG) process.stderr.write(`context ${JSON.stringify(c)}\n`);
    // The content script's world: an isolated world whose origin is the extension's.
    if (c.auxData?.type === 'isolated' && String(c.origin ?? '').includes(extensionId)) {
      context = c.id;
      void cdp
        .send('Runtime.evaluate', { expression: WATCH, contextId: c.id })
        .then(
          (r) =>
            process.env.DEBUG &&
            r.exceptionDetails &&
            process.stderr.write(`watch: ${JSON.stringify(r.exceptionDetails)}\n`),
        )
        .catch(() => undefined);
    }
  });
  await cdp.send('Runtime.enable');
  await page.goto(url, { waitUntil: 'load', timeout: 120_000 });
  const read = async () => {
    if (context === null) return { times: [] as number[], firstInView: null as number | null };
    const r = await cdp.send('Runtime.evaluate', {
      expression: 'JSON.stringify(window.__coldWatch ?? null)',
      contextId: context,
      returnByValue: true,
    });
    if (process.env.DEBUG && r.exceptionDetails) process.stderr.write(`read: ${JSON.stringify(r.exceptionDetails)}\n`);
    return (JSON.parse((r.result.value as string) ?? 'null') ?? { times: [], firstInView: null }) as {
      times: number[];
      firstInView: number | null;
    };
  };
  // Settled: the expected count reached, or no new badge for 3 s (at most 120 s).
  const deadline = Date.now() + 120_000;
  let last = -1;
  let stableSince = Date.now();
  let w = await read();
  while (Date.now() < deadline) {
    w = await read();
    if (w.times.length !== last) {
      last = w.times.length;
      stableSince = Date.now();
    }
    if (w.times.length >= expected || (w.times.length > 0 && Date.now() - stableSince > 3000)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const load = (await page.evaluate(
    () => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd,
  )) as number;
  await cdp.send('Runtime.disable').catch(() => undefined);
  await cdp.detach();
  return { load, firstInView: w.firstInView, all: w.times.length ? Math.max(...w.times) : null, count: w.times.length };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : NaN;
};
const ms = (x: number) => (Number.isFinite(x) ? String(Math.round(x)) : '—');

async function main(): Promise<void> {
  const server = await startTestServer();
  const admin = server.token({ user: 'loader', name: '导入员', grants: [{ role: 'admin', doc: '*' }] });
  process.stderr.write('loading the demo city…\n');
  const city = await loadDemoCity(server.url, admin);
  const unitName = new Map(city.units.map((u) => [u.code, u.name]));
  const row = (c: Cadre) => ({ name: c.name, id: c.id, unit: unitName.get(c.unitCode) ?? '', post: c.post });
  const pages = new Map<string, { body: Uint8Array; names: number }>();
  pages.set('/roster-1072.html', {
    body: rosterHtml(city.cadres.map(row), '市管干部名册（全部）'),
    names: city.cadres.length,
  });
  const big = Array.from({ length: 10_000 }, (_, i) =>
    i % 10 === 0
      ? row(city.cadres[(i / 10) % city.cadres.length]!)
      : { name: `路人${i}`, id: `X${i}`, unit: '外单位', post: '科员' },
  );
  pages.set('/roster-10000.html', { body: rosterHtml(big, '干部名册（10,000 行）'), names: 1000 });
  const http = createServer((req, res) => {
    const p = pages.get(new URL(req.url ?? '/', 'http://x').pathname);
    if (!p) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' }).end(p.body);
  });
  await new Promise<void>((ok) => http.listen(0, '127.0.0.1', ok));
  const origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  const ext = await launchExtension({ portals: ['http://127.0.0.1/*'] });
  const rows: string[][] = [];
  try {
    await enrol(
      ext,
      server.url,
      server.token({
        user: 'li',
        name: '李审查',
        grants: [
          { role: 'viewer', doc: 'workspace' },
          { role: 'viewer', doc: 'unit:*' },
        ],
      }),
    );
    const page = await ext.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    for (const [path, p] of pages) {
      // Badges: the names (each a cadre) and their units; the count settles on its own.
      const expected = Number.POSITIVE_INFINITY;
      process.stderr.write(`${path}: first visit (the background syncs the city)…\n`);
      const first = await visit(page, ext.extensionId, origin + path, expected);
      process.stderr.write(`  ${first.count} badges\n`);
      const results: Record<'warm' | 'cold', Visit[]> = { warm: [], cold: [] };
      for (let i = 0; i < RUNS; i++) {
        await page.goto('about:blank');
        results.warm.push(await visit(page, ext.extensionId, origin + path, first.count));
        await page.goto('about:blank');
        await stopBackground(ext, page);
        results.cold.push(await visit(page, ext.extensionId, origin + path, first.count));
      }
      for (const kind of ['warm', 'cold'] as const) {
        const vs = results[kind];
        const fromLoad = (v: Visit, x: number | null) => (x === null ? NaN : x - v.load);
        const each = vs.map((v) => `${ms(fromLoad(v, v.firstInView))}/${ms(fromLoad(v, v.all))}`).join(', ');
        rows.push([
          `${path.slice(1, -5)} (${p.names} names)`,
          kind,
          ms(median(vs.map((v) => fromLoad(v, v.firstInView)))),
          ms(median(vs.map((v) => fromLoad(v, v.all)))),
          String(median(vs.map((v) => v.count))),
          each,
        ]);
      }
    }
  } finally {
    await ext.close();
    http.close();
    await server.close();
  }
  const head = [
    'page',
    'background',
    'first badges in view (ms after load)',
    'all badges (ms after load)',
    'badges',
    'runs (first/all)',
  ];
  const table = [head, ...rows].map((cells) => `| ${cells.join(' | ')} |`);
  table.splice(1, 0, `|${head.map(() => '---').join('|')}|`);
  process.stdout.write(`\n${table.join('\n')}\n`);
}

await main();
