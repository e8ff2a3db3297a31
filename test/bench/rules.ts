/**
 * Rules-engine benchmark: an integrity review (廉政审查) of 10,000 generated cadres, by id and by
 * name, for each purpose; building the rules' part of the local index (summarise) for all of them;
 * and the unit aggregates of 98 units. Bar (docs/decisions.md): review of 10,000 cadres ≤ 1 s in the
 * browser. Prints median and worst of several runs; no assertions.
 *
 * Run: npx tsx test/bench/rules.ts   (figures go to BENCHMARKS.md "## Rules engine" by hand)
 */
import { addDays, fromParts } from '../../core/dates.ts';
import { defaultConfig } from '../../core/model/config.ts';
import { DEFAULT_KINDS, DEFAULT_NEGATIVE_LIST, type ClueStage } from '../../core/model/vocabulary.ts';
import { cadre, clue, flag, rec } from '../../core/rules/fixtures.ts';
import {
  reviewBatch,
  summarise,
  unitAggregates,
  type ReviewRequest,
  type SubjectData,
} from '../../core/rules/index.ts';

const CADRES = 10_000;
const UNITS = 98;
const RECORDS_PER_CADRE = 10;
const RUNS = 7;
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华';
const STAGES: ClueStage[] = ['received', 'inquiry', 'preliminary', 'case', 'closed'];

/** Deterministic population: mostly red and blue dots, a sprinkling of yellow and black, as in life. */
function population(): SubjectData[] {
  // mulberry32: a small PRNG whose successive draws are not correlated (an LCG's low bits are,
  // which made most generated names collide).
  let seed = 7;
  const rand = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const byColour = (c: string) =>
    DEFAULT_KINDS.filter((k) => k.colour === c && (!k.subjects || k.subjects.includes('cadre'))).map((k) => k.id);
  const colours = {
    red: byColour('red'),
    blue: byColour('blue'),
    yellow: byColour('yellow'),
    black: byColour('black'),
  };
  const day = () => addDays(fromParts(2014, 1, 1), Math.floor(rand() * 2190));
  const out: SubjectData[] = [];
  for (let i = 0; i < CADRES; i++) {
    const id = `C${String(i).padStart(6, '0')}`;
    const name = pick([...SURNAMES]) + pick([...GIVEN]) + pick([...GIVEN]);
    const records = Array.from({ length: RECORDS_PER_CADRE }, (_, j) => {
      const r = rand();
      const colour = r < 0.4 ? 'red' : r < 0.8 ? 'blue' : r < 0.95 ? 'yellow' : 'black';
      const d = day();
      return rec(`${id}-R${j}`, pick(colours[colour]), d, {
        subject: { type: 'cadre', id },
        ...(colour === 'black' ? { effectiveDate: addDays(d, 10) } : {}),
        ...(colour === 'yellow' && rand() < 0.3 ? { rectificationDue: addDays(d, 60) } : {}),
      });
    });
    const clues = rand() < 0.05 ? [clue(`${id}-K`, pick(STAGES), day())] : [];
    const flags =
      rand() < 0.05
        ? [
            flag(
              `${id}-F`,
              pick(['reported', 'verifying', 'substantiated', 'unfounded'] as const),
              day(),
              pick(DEFAULT_NEGATIVE_LIST).id,
            ),
          ]
        : [];
    out.push({ cadre: cadre(id, name, { unitCode: `U${String(i % UNITS).padStart(3, '0')}` }), records, clues, flags });
  }
  return out;
}

function time(label: string, fn: () => unknown): void {
  const ms: number[] = [];
  let result: unknown = fn(); // warm-up: JIT compilation is not what an officer waits for twice
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    result = fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  console.log(`| ${label} | ${ms[Math.floor(RUNS / 2)]!.toFixed(0)} ms | ${ms[RUNS - 1]!.toFixed(0)} ms |`);
  void result;
}

const config = defaultConfig();
const subjects = population();
const data = { subjects };
const ids = subjects.map((s) => s.cadre!.id);
const names = subjects.map((s) => s.cadre!.name);
const asOf = '2019-08-20';

console.log(`${CADRES} cadres × ${RECORDS_PER_CADRE} records, ${UNITS} units; ${RUNS} runs each (median, worst)\n`);
console.log('| task | median | worst |\n|---|---|---|');
const requests: [string, ReviewRequest][] = [
  ['review: promotion, by id', { purpose: 'promotion', asOf, people: ids }],
  ['review: annual appraisal 2018, by id', { purpose: 'annual-appraisal', year: 2018, asOf, people: ids }],
  ['review: commendation, by id', { purpose: 'commendation', asOf, people: ids }],
  ['review: reserve cadre, by name', { purpose: 'reserve-cadre', asOf, people: names }],
];
for (const [label, request] of requests) time(label, () => reviewBatch(request, data, config));
time('summarise all (local-index strings, zh-CN)', () => subjects.map((s) => summarise(s, asOf, config, 'zh-CN')));
const byUnit = new Map<string, SubjectData[]>();
for (const s of subjects) {
  const list = byUnit.get(s.cadre!.unitCode) ?? [];
  list.push(s);
  byUnit.set(s.cadre!.unitCode, list);
}
time(`unit aggregates, ${UNITS} units`, () =>
  [...byUnit].map(([code, cadres]) =>
    unitAggregates(
      { unit: { code, name: code, aliases: [], kind: 'government' }, records: [], flags: [], clues: [] },
      cadres,
      asOf,
      config,
    ),
  ),
);

const r = reviewBatch({ purpose: 'promotion', asOf, people: ids }, data, config);
console.log(`\npromotion opinions: ${JSON.stringify(r.counts)}`);
const n = reviewBatch({ purpose: 'reserve-cadre', asOf, people: names }, data, config);
console.log(`by name: ${JSON.stringify(n.counts)}`);
