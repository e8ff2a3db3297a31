/**
 * What one rendered frame costs on a 10,000-row roster, by the kind of change made before it —
 * the measurement behind "Against the bars" in BENCHMARKS.md "Overlay": Chromium's PrePaint walk
 * is paid by every frame in which anything that needs layout changed, wherever it is, so what the
 * overlay controls is how many such frames it causes and how much it adds to each.
 *
 * One fresh page per kind; 20 frames, each preceded by one change of that kind; a Chromium trace
 * summed over them (PrePaint, Layout, Paint per frame). Kinds:
 *   - none:       nothing changes (the frame loop alone);
 *   - row-colour: the page sets a row's background (paint only);
 *   - cell-text:  the page edits the text of one of its cells (what a portal's own update costs);
 *   - body-div:   an absolutely positioned div appended to <body>;
 *   - layer-pane: what the overlay does — a small spot added to a `contain: strict` pane laid over
 *                 the table, inside a zero-size layer right after it.
 *
 *   npx tsx test/bench/overlay-frames.ts [rows]
 */
import { launchChromium } from './support/chromium.ts';
import { plainRoster } from './support/roster-page.ts';

const KINDS = ['none', 'row-colour', 'cell-text', 'body-div', 'layer-pane'] as const;
type Kind = (typeof KINDS)[number];
const FRAMES = 20;

interface TraceEvent {
  name: string;
  ph: string;
  dur?: number;
  tid: number;
}

async function main() {
  // `npm run bench` passes its own flags (--write) on to every benchmark: only a number counts.
  const rows = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 10_000);
  const browser = await launchChromium();
  const head = [
    `change before each frame (${rows} rows, ${FRAMES} frames)`,
    'PrePaint per frame (ms)',
    'Layout per frame (ms)',
    'Paint per frame (ms)',
  ];
  const lines = [`| ${head.join(' | ')} |`, '|---|---:|---:|---:|'];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    for (const kind of KINDS) {
      await page.setContent(plainRoster(rows));
      // tsx compiles the evaluated function with esbuild's keepNames, which calls a __name helper.
      await page.evaluate('globalThis.__name = (f) => f');
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 100))));
      const cdp = await page.context().newCDPSession(page);
      const events: TraceEvent[] = [];
      cdp.on('Tracing.dataCollected', (d) => events.push(...(d.value as unknown as TraceEvent[])));
      await cdp.send('Tracing.start', {
        categories: 'devtools.timeline,disabled-by-default-devtools.timeline',
        transferMode: 'ReportEvents',
      } as never);
      await page.evaluate(
        async ({ kind, frames }: { kind: Kind; frames: number }) => {
          const table = document.getElementById('t') as HTMLTableElement;
          const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
          let pane: HTMLElement | null = null;
          if (kind === 'layer-pane') {
            const layer = document.createElement('span');
            layer.style.cssText = 'display:block;position:relative;width:0;height:0';
            table.after(layer);
            const r = table.getBoundingClientRect();
            pane = document.createElement('div');
            pane.style.cssText =
              `position:absolute;left:0;top:${-r.height}px;width:${r.width}px;height:${r.height}px;` +
              'contain:strict;pointer-events:none';
            layer.append(pane);
          }
          await frame();
          for (let i = 0; i < frames; i++) {
            const row = table.rows[i * 7]!;
            if (kind === 'row-colour') row.style.background = i % 2 ? '#fee' : '#eef';
            else if (kind === 'cell-text') row.cells[4]!.firstChild!.textContent = `科员${i}`;
            else if (kind !== 'none') {
              const spot = document.createElement('span');
              spot.style.cssText =
                `position:absolute;left:60px;top:${i * 170}px;width:12px;height:16px;` + 'background:#c5221f';
              (pane ?? document.body).append(spot);
            }
            await frame();
          }
        },
        { kind, frames: FRAMES },
      );
      const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
      await cdp.send('Tracing.end');
      await done;
      await cdp.detach();
      // The renderer's main thread: the one with the most Layout/PrePaint.
      const byTid = new Map<number, number>();
      for (const e of events)
        if ((e.name === 'PrePaint' || e.name === 'Layout' || e.name === 'Paint') && e.dur)
          byTid.set(e.tid, (byTid.get(e.tid) ?? 0) + e.dur);
      const tid = [...byTid.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
      const per = (name: string) =>
        (
          events.filter((e) => e.tid === tid && e.name === name && e.dur).reduce((a, e) => a + e.dur!, 0) /
          1000 /
          FRAMES
        ).toFixed(1);
      lines.push(`| ${kind} | ${per('PrePaint')} | ${per('Layout')} | ${per('Paint')} |`);
      console.error(lines.at(-1));
    }
  } finally {
    await browser.close();
  }
  console.log(lines.join('\n'));
}

await main();
