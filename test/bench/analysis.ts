/**
 * City-wide analysis benchmark (干部查询 · 分析研判 · 预警提醒): the demo city at the seed's scale
 * (98 units, 1,072 cadres) and ten differently seeded copies joined (980 units, 10,720 cadres),
 * as core/analysis/test/city.ts builds them. For each:
 * - building the rows of every unit (once per page open; afterwards one unit per edit);
 * - a filter change: `runQuery` for the queries an officer types, against a baseline scan that
 *   only compares one field of every row (the least any filter can cost), as a ratio;
 * - the city page: `picture` for the whole city, its eight charts' options, and the eight charts
 *   drawn to SVG by ECharts' own renderer (server-side mode: the drawing without the DOM);
 * - the alerts that hold, as the background computes them after each change.
 * Bar (issue 13): a filter change over 10,000 cadres answers within 100 ms.
 * Prints median and worst of several runs after a warm-up; no assertions.
 *
 * Run: npx tsx test/bench/analysis.ts   (figures go to BENCHMARKS.md "## City-wide analysis" by hand)
 */
import * as v from 'valibot';
import { currentAlerts } from '../../core/analysis/alerts.ts';
import { picture } from '../../core/analysis/picture.ts';
import { runQuery } from '../../core/analysis/query.ts';
import { city, cityDocs, cityRows, CITY_AS_OF } from '../../core/analysis/test/city.ts';
import { DEFAULT_GRADE_SCHEME } from '../../core/model/config.ts';
import { cadreQuerySchema, type CadreQueryInput } from '../../core/model/query.ts';
import { pictureCharts, type ChartWords } from '../../extension/components/analysis/picture-charts.ts';
import { chartSvg } from '../../extension/components/charts/echarts.ts';
import { barOption, heightFor } from '../../extension/components/charts/options.ts';

const RUNS = 9;

function time(fn: () => unknown, runs = RUNS): { median: number; worst: number } {
  fn(); // warm-up: JIT and the memoised name orders are not what an officer waits for twice
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { median: ms[Math.floor(runs / 2)]!, worst: ms[runs - 1]! };
}

const f = (n: number) => (n < 10 ? n.toFixed(1) : n.toFixed(0));
const words: ChartWords = {
  grade: (g) => g,
  colour: (c) => c,
  kind: (k) => k,
  item: (i) => i,
  status: (s) => s,
  stage: (s) => s,
  text: new Proxy({} as ChartWords['text'], {
    get: (_t, key) => (key === 'describe' ? (t: string, n: number) => `${t} ${n}` : String(key)),
  }),
};
const QUERIES: [string, CadreQueryInput][] = [
  ['name typed (张)', { text: '张' }],
  ['pinyin initials (zw)', { text: 'zw' }],
  ['township cadres with a black dot', { unitKinds: ['township'], colours: ['black'] }],
  ['under warning, worst grade first', { warning: true }],
  [
    'in a period ending this year, by end date',
    { inPeriod: true, periodEndsBy: '2025-12-31', sort: { key: 'periodUntil', dir: 'asc' } },
  ],
  [
    'yellow talks since 2023, 副处级, by name',
    {
      kinds: ['reminder-talk', 'admonishment'],
      from: '2023-01-01',
      ranks: ['副处级'],
      sort: { key: 'name', dir: 'asc' },
    },
  ],
  ['everyone, sorted by name', { sort: { key: 'name', dir: 'asc' } }],
];

console.log(
  `load average ${(await import('node:os'))
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}; ${RUNS} runs each (median, worst)\n`,
);
for (const copies of [1, 10]) {
  const c = city(copies);
  const docs = cityDocs(c);
  const build = time(() => cityRows(c, CITY_AS_OF, docs), 3);
  const rows = cityRows(c, CITY_AS_OF, docs);
  console.log(`### ${rows.units.length} units, ${rows.cadres.length} cadres, ${c.records.length} records\n`);
  console.log('| task | median | worst | × baseline |\n|---|---|---|---|');
  console.log(`| rows of every unit (page open) | ${f(build.median)} ms | ${f(build.worst)} ms | |`);
  const baseline = time(() => rows.cadres.filter((r) => r.grade === 'D'));
  console.log(`| baseline: one comparison per row | ${f(baseline.median)} ms | ${f(baseline.worst)} ms | 1 |`);
  for (const [label, q] of QUERIES) {
    const query = v.parse(cadreQuerySchema, q);
    const t = time(() => runQuery(rows.cadres, query));
    const found = runQuery(rows.cadres, query).length;
    const times = `${f(t.median)} ms | ${f(t.worst)} ms`;
    console.log(`| filter: ${label} (${found} found) | ${times} | ${(t.median / baseline.median).toFixed(0)} |`);
  }
  const period = { from: '2021-01-01', to: CITY_AS_OF };
  const pic = time(() => picture(rows.cadres, rows.units, { kind: 'city' }, period, DEFAULT_GRADE_SCHEME));
  console.log(`| city page: picture with drill-down | ${f(pic.median)} ms | ${f(pic.worst)} ms | |`);
  const p = picture(rows.cadres, rows.units, { kind: 'city' }, period, DEFAULT_GRADE_SCHEME);
  const opts = time(() => pictureCharts(p, words).map((ch) => barOption(ch.spec)));
  console.log(`| city page: eight charts' options and tables | ${f(opts.median)} ms | ${f(opts.worst)} ms | |`);
  const charts = pictureCharts(p, words);
  const svg = time(
    () =>
      charts.map((ch) =>
        chartSvg(barOption(ch.spec), 560, heightFor(ch.spec.categories.length, ch.spec.horizontal ?? false)),
      ),
    3,
  );
  console.log(
    `| city page: eight charts drawn (ECharts SVG renderer, no DOM) | ${f(svg.median)} ms | ${f(svg.worst)} ms | |`,
  );
  const alerts = time(() =>
    currentAlerts(rows.cadres, rows.units, { asOf: CITY_AS_OF, reviews: [{ date: '2025-12-31', label: '年度考核' }] }),
  );
  const holding = currentAlerts(rows.cadres, rows.units, { asOf: CITY_AS_OF, reviews: [] }).length;
  console.log(`| alerts that hold (${holding}) | ${f(alerts.median)} ms | ${f(alerts.worst)} ms | |\n`);
}
