import type { Drill, Picture } from '../../../core/analysis/picture.ts';
import {
  COLOURS,
  FLAG_STATUSES,
  type ClueStage,
  type Colour,
  type FlagStatus,
} from '../../../core/model/vocabulary.ts';
import type { BarSpec, DataTable } from '../charts/options.ts';

/**
 * The analysis page's charts, from a picture (core/analysis/picture.ts): for each, the chart spec,
 * its data table and what each bar drills down to. Pure over the picture and the words, so the
 * page, the Word report and the benchmark draw the same charts. Long category lists (98 units,
 * 30 kinds) are cut to the top ones in the chart; the table always has them all.
 */

export interface ChartWords {
  grade: (id: string) => string;
  colour: (c: Colour) => string;
  kind: (id: string) => string;
  item: (id: string) => string;
  status: (s: FlagStatus) => string;
  stage: (s: ClueStage) => string;
  text: {
    grades: string;
    gradesByUnit: string;
    risk: string;
    dotsByYear: string;
    kinds: string;
    items: string;
    clues: string;
    cards: string;
    unit: string;
    cadres: string;
    warned: string;
    inPeriod: string;
    yellow: string;
    black: string;
    index: string;
    year: string;
    total: string;
    kindCol: string;
    itemCol: string;
    stageCol: string;
    onTime: string;
    overdue: string;
    quarter: string;
    done: string;
    pending: string;
    count: string;
    cardsSent: string;
    summarised: string;
    lateReceipt: string;
    lateSummary: string;
    followedUp: string;
    describe: (title: string, n: number) => string;
  };
}

export interface AnalysisChart {
  id: string;
  title: string;
  spec: BarSpec;
  table: DataTable;
  drillAt: (category: number, series: number) => { drill: Drill; what: string } | undefined;
}

export const TOP_IN_CHART = 15;

export function pictureCharts(p: Picture, w: ChartWords): AnalysisChart[] {
  const x = w.text;
  const charts: AnalysisChart[] = [];
  const cell = (drill: Drill, what: string) => ({ value: drill.count, drill, what });

  // 1. Grades overall.
  charts.push({
    id: 'grades',
    title: x.grades,
    spec: {
      categories: p.grades.map((g) => `${g.grade} ${w.grade(g.grade)}`),
      series: [{ name: x.cadres, values: p.grades.map((g) => g.drill.count) }],
      description: x.describe(x.grades, p.cadreCount),
    },
    table: {
      columns: [x.grades, x.cadres],
      rows: p.grades.map((g) => ({
        label: `${g.grade} ${w.grade(g.grade)}`,
        cells: [cell(g.drill, `${x.grades} · ${g.grade}`)],
      })),
    },
    drillAt: (c) =>
      p.grades[c] ? { drill: p.grades[c]!.drill, what: `${x.grades} · ${p.grades[c]!.grade}` } : undefined,
  });

  // 2. Grades per unit: the units with most cadres needing attention first.
  const gradeIds = p.grades.map((g) => g.grade);
  const worst = [...p.gradeByUnit].sort((a, b) => {
    const bad = (u: (typeof p.gradeByUnit)[number]) =>
      gradeIds.slice(2).reduce((n, g) => n + (u.grades[g]?.count ?? 0), 0) / Math.max(1, u.cadres);
    return bad(b) - bad(a) || (a.code < b.code ? -1 : 1);
  });
  const topUnits = worst.slice(0, TOP_IN_CHART);
  charts.push({
    id: 'grades-by-unit',
    title: x.gradesByUnit,
    spec: {
      categories: topUnits.map((u) => u.name),
      series: gradeIds.map((g) => ({
        name: `${g} ${w.grade(g)}`,
        values: topUnits.map((u) => u.grades[g]?.count ?? 0),
        stack: 'grades',
      })),
      horizontal: true,
      description: x.describe(x.gradesByUnit, topUnits.length),
    },
    table: {
      columns: [x.unit, ...gradeIds.map((g) => `${g} ${w.grade(g)}`)],
      rows: worst.map((u) => ({ label: u.name, cells: gradeIds.map((g) => cell(u.grades[g]!, `${u.name} · ${g}`)) })),
    },
    drillAt: (c, s) => {
      const u = topUnits[c];
      const g = gradeIds[s];
      return u && g ? { drill: u.grades[g]!, what: `${u.name} · ${g}` } : undefined;
    },
  });

  // 3. Units ranked by risk.
  const topRisk = p.risk.slice(0, TOP_IN_CHART);
  charts.push({
    id: 'risk',
    title: x.risk,
    spec: {
      categories: topRisk.map((u) => u.name),
      series: [{ name: x.index, values: topRisk.map((u) => u.index) }],
      horizontal: true,
      description: x.describe(x.risk, topRisk.length),
    },
    table: {
      columns: [x.unit, x.cadres, x.warned, x.inPeriod, x.yellow, x.black, x.index],
      rows: p.risk.map((u) => ({
        label: u.name,
        cells: [
          { value: u.cadres },
          cell(u.warned, `${u.name} · ${x.warned}`),
          cell(u.inPeriod, `${u.name} · ${x.inPeriod}`),
          cell(u.yellow, `${u.name} · ${x.yellow}`),
          cell(u.black, `${u.name} · ${x.black}`),
          { value: u.index },
        ],
      })),
    },
    drillAt: (c) => {
      const u = topRisk[c];
      if (!u) return undefined;
      const subjects = [...u.warned.subjects, ...u.inPeriod.subjects, ...u.yellow.subjects, ...u.black.subjects].filter(
        (s, i, all) => all.findIndex((o) => o.type === s.type && o.id === s.id) === i,
      );
      return { drill: { count: subjects.length, subjects }, what: `${u.name} · ${x.risk}` };
    },
  });

  // 4. Dots by colour and year.
  const colours = [...COLOURS].reverse() as Colour[]; // black, yellow, blue, red: what an officer looks for first
  charts.push({
    id: 'dots-by-year',
    title: x.dotsByYear,
    spec: {
      categories: p.years.map(String),
      series: colours.map((c) => ({
        name: w.colour(c),
        colour: c,
        values: p.dotsByYear.map((y) => y.colours[c].count),
      })),
      description: x.describe(x.dotsByYear, p.years.length),
    },
    table: {
      columns: [x.year, ...colours.map(w.colour)],
      rows: p.dotsByYear.map((y) => ({
        label: String(y.year),
        cells: colours.map((c) => cell(y.colours[c], `${y.year} · ${w.colour(c)}`)),
      })),
    },
    drillAt: (c, s) => {
      const y = p.dotsByYear[c];
      const colour = colours[s];
      return y && colour ? { drill: y.colours[colour], what: `${y.year} · ${w.colour(colour)}` } : undefined;
    },
  });

  // 5. Kinds of record, with their years.
  const topKinds = p.dotsByKind.slice(0, TOP_IN_CHART);
  charts.push({
    id: 'kinds',
    title: x.kinds,
    spec: {
      categories: topKinds.map((k) => w.kind(k.kind)),
      // One series per colour so each bar keeps its colour's pattern; a kind has one colour.
      series: colours
        .filter((c) => topKinds.some((k) => k.colour === c))
        .map((c) => ({
          name: w.colour(c),
          colour: c,
          stack: 'kinds',
          values: topKinds.map((k) => (k.colour === c ? k.total.count : 0)),
        })),
      horizontal: true,
      description: x.describe(x.kinds, topKinds.length),
    },
    table: {
      columns: [x.kindCol, ...p.years.map(String), x.total],
      rows: p.dotsByKind.map((k) => ({
        label: `${w.colour(k.colour)} · ${w.kind(k.kind)}`,
        cells: [...p.years.map((y) => ({ value: k.byYear[y] ?? 0 })), cell(k.total, w.kind(k.kind))],
      })),
    },
    drillAt: (c) => (topKinds[c] ? { drill: topKinds[c]!.total, what: w.kind(topKinds[c]!.kind) } : undefined),
  });

  // 6. Negative-list items by frequency.
  charts.push({
    id: 'items',
    title: x.items,
    spec: {
      categories: p.flagItems.map((f) => w.item(f.item)),
      series: [{ name: x.count, values: p.flagItems.map((f) => f.total.count) }],
      horizontal: true,
      description: x.describe(x.items, p.flagItems.length),
    },
    table: {
      columns: [x.itemCol, ...FLAG_STATUSES.map(w.status), x.total],
      rows: p.flagItems.map((f) => ({
        label: w.item(f.item),
        cells: [...FLAG_STATUSES.map((s) => ({ value: f.byStatus[s] })), cell(f.total, w.item(f.item))],
      })),
    },
    drillAt: (c) => (p.flagItems[c] ? { drill: p.flagItems[c]!.total, what: w.item(p.flagItems[c]!.item) } : undefined),
  });

  // 7. Clues at every stage of the workflow, overdue apart. Horizontal, so each of the ten stages
  // keeps its label (a vertical axis drops labels that would overlap).
  charts.push({
    id: 'clues',
    title: x.clues,
    spec: {
      categories: p.clues.map((c) => w.stage(c.stage)),
      series: [
        { name: x.onTime, stack: 'clues', values: p.clues.map((c) => c.total.count - c.overdue.count) },
        { name: x.overdue, stack: 'clues', values: p.clues.map((c) => c.overdue.count) },
      ],
      horizontal: true,
      description: x.describe(x.clues, p.clues.length),
    },
    table: {
      columns: [x.stageCol, x.total, x.overdue],
      rows: p.clues.map((c) => ({
        label: w.stage(c.stage),
        cells: [cell(c.total, w.stage(c.stage)), cell(c.overdue, `${w.stage(c.stage)} · ${x.overdue}`)],
      })),
    },
    drillAt: (c, s) => {
      const clue = p.clues[c];
      return clue ? { drill: s === 1 ? clue.overdue : clue.total, what: w.stage(clue.stage) } : undefined;
    },
  });

  // 8. Reminder-card completion per quarter: the duties by state in the chart; in the table also
  // the cards sent, summed up, late for acknowledgement or summary, and followed up (holders).
  const holders = (ids: string[]): Drill => ({ count: ids.length, subjects: ids.map((id) => ({ type: 'cadre', id })) });
  const states = ['done', 'pending', 'overdue'] as const;
  const cardFigures = ['summarised', 'lateReceipt', 'lateSummary', 'followedUp'] as const;
  const stateWord = {
    done: x.done,
    pending: x.pending,
    overdue: x.overdue,
    summarised: x.summarised,
    lateReceipt: x.lateReceipt,
    lateSummary: x.lateSummary,
    followedUp: x.followedUp,
  };
  const holderCell = (q: (typeof p.cards)[number], k: keyof typeof stateWord, value: number) => ({
    value,
    drill: holders(q.holders[k]),
    what: `${q.quarter} · ${stateWord[k]}`,
  });
  charts.push({
    id: 'cards',
    title: x.cards,
    spec: {
      categories: p.cards.map((q) => q.quarter),
      series: states.map((s) => ({ name: stateWord[s], stack: 'cards', values: p.cards.map((q) => q[s]) })),
      description: x.describe(x.cards, p.cards.length),
    },
    table: {
      columns: [x.quarter, x.cardsSent, ...states.map((s) => stateWord[s]), ...cardFigures.map((k) => stateWord[k])],
      rows: p.cards.map((q) => ({
        label: q.quarter,
        cells: [
          { value: q.cards },
          ...states.map((s) => holderCell(q, s, q[s])),
          ...cardFigures.map((k) => holderCell(q, k, q.holders[k].length)),
        ],
      })),
    },
    drillAt: (c, s) => {
      const q = p.cards[c];
      const st = states[s];
      return q && st ? { drill: holders(q.holders[st]), what: `${q.quarter} · ${stateWord[st]}` } : undefined;
    },
  });
  return charts;
}
