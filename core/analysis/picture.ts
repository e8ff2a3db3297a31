import { yearOf, type IsoDate } from '../dates.ts';
import type { GradeScheme } from '../model/config.ts';
import type { Subject } from '../model/schemas.ts';
import {
  CLUE_STAGES,
  COLOURS,
  FLAG_STATUSES,
  type ClueStage,
  type Colour,
  type FlagStatus,
  type UnitKind,
} from '../model/vocabulary.ts';
import { deadlineOverdue } from '../workflow/clue-flow.ts';
import { cardCompletion, type QuarterCompletion } from './cards.ts';
import type { CadreRow, UnitRow } from './rows.ts';

/**
 * 分析研判: the picture of the city, a region, a kind of unit or one unit over a period, as
 * numbers for charts and tables. Every number carries the people (and units) behind it, so each
 * bar and each table cell drills down to them. Counts of dots, flags and clues are of those dated
 * within the period; standings (grades, warnings, running periods) are as of the end of it.
 */

export type Scope =
  | { kind: 'city' }
  | { kind: 'region'; region: string }
  | { kind: 'unitKind'; unitKind: UnitKind }
  | { kind: 'unit'; code: string };

export interface Period {
  from: IsoDate;
  to: IsoDate;
}

/** Who is behind a number. */
export interface Drill {
  count: number;
  subjects: Subject[];
}

export interface UnitRisk {
  code: string;
  name: string;
  cadres: number;
  warned: Drill;
  inPeriod: Drill;
  yellow: Drill;
  black: Drill;
  /** Each of the four per 100 cadres, and their sum (the ranking's key). */
  per100: { warned: number; inPeriod: number; yellow: number; black: number };
  index: number;
}

export interface Picture {
  scope: Scope;
  period: Period;
  unitCount: number;
  cadreCount: number;
  grades: { grade: string; drill: Drill }[];
  gradeByUnit: { code: string; name: string; cadres: number; grades: Record<string, Drill> }[];
  risk: UnitRisk[];
  years: number[];
  dotsByYear: { year: number; colours: Record<Colour, Drill> }[];
  dotsByKind: { kind: string; colour: Colour; total: Drill; byYear: Record<number, number> }[];
  flagItems: { item: string; total: Drill; byStatus: Record<FlagStatus, number> }[];
  clues: { stage: ClueStage; total: Drill; overdue: Drill }[];
  cards: QuarterCompletion[];
  warned: Drill;
  inPeriod: Drill;
}

export function inScope(scope: Scope, unit: Pick<UnitRow, 'code' | 'kind' | 'region'>): boolean {
  switch (scope.kind) {
    case 'city':
      return true;
    case 'region':
      return unit.region === scope.region;
    case 'unitKind':
      return unit.kind === scope.unitKind;
    case 'unit':
      return unit.code === scope.code;
  }
}

/** A drill collector: subjects counted once each per number, in the order first met. */
class Tally {
  private keys = new Set<string>();
  readonly drill: Drill = { count: 0, subjects: [] };
  add(subject: Subject, times = 1): void {
    this.drill.count += times;
    const k = `${subject.type}:${subject.id}`;
    if (!this.keys.has(k)) {
      this.keys.add(k);
      this.drill.subjects.push(subject);
    }
  }
}

const within = (d: IsoDate, p: Period) => d >= p.from && d <= p.to;
const cadre = (id: string): Subject => ({ type: 'cadre', id });
const per100 = (n: number, of: number) => (of ? Math.round((n / of) * 1000) / 10 : 0);

export function picture(
  cadres: readonly CadreRow[],
  units: readonly UnitRow[],
  scope: Scope,
  period: Period,
  scheme: GradeScheme,
): Picture {
  const scopedUnits = units.filter((u) => inScope(scope, u));
  const codes = new Set(scopedUnits.map((u) => u.code));
  const people = cadres.filter((c) => codes.has(c.unitCode));
  const gradeIds = scheme.grades.map((g) => g.id);

  const grades = new Map(gradeIds.map((g) => [g, new Tally()]));
  const warned = new Tally();
  const inPeriod = new Tally();
  const byUnit = new Map(
    scopedUnits.map((u) => [
      u.code,
      {
        u,
        cadres: 0,
        grades: new Map(gradeIds.map((g) => [g, new Tally()])),
        warned: new Tally(),
        inPeriod: new Tally(),
        yellow: new Tally(),
        black: new Tally(),
      },
    ]),
  );
  const startYear = yearOf(period.from);
  const endYear = yearOf(period.to);
  const years = Array.from({ length: Math.max(0, endYear - startYear + 1) }, (_, i) => startYear + i);
  const dotYears = new Map(
    years.map((y) => [y, Object.fromEntries(COLOURS.map((c) => [c, new Tally()])) as Record<Colour, Tally>]),
  );
  const kinds = new Map<string, { colour: Colour; total: Tally; byYear: Record<number, number> }>();
  const flags = new Map<string, { total: Tally; byStatus: Record<FlagStatus, number> }>();
  const clues = new Map(CLUE_STAGES.map((s) => [s, { total: new Tally(), overdue: new Tally() }]));

  const countDots = (
    subject: Subject,
    records: CadreRow['records'],
    unitEntry: { yellow: Tally; black: Tally } | undefined,
  ) => {
    for (const r of records) {
      if (!within(r.decisionDate, period)) continue;
      const y = yearOf(r.decisionDate);
      dotYears.get(y)?.[r.colour].add(subject);
      let k = kinds.get(r.kind);
      if (!k) kinds.set(r.kind, (k = { colour: r.colour, total: new Tally(), byYear: {} }));
      k.total.add(subject);
      k.byYear[y] = (k.byYear[y] ?? 0) + 1;
      if (r.colour === 'yellow') unitEntry?.yellow.add(subject);
      if (r.colour === 'black') unitEntry?.black.add(subject);
    }
  };
  // A clue counts at the stage its steps left it; overdue as the workflow says on the period's end.
  const countClues = (subject: Subject, row: Pick<CadreRow, 'clues' | 'clueProgress'>) => {
    for (const c of row.clues) {
      if (!within(c.received, period)) continue;
      const s = clues.get(c.stage)!;
      s.total.add(subject);
      if (deadlineOverdue(row.clueProgress.get(c.id)?.deadline, period.to)) s.overdue.add(subject);
    }
  };

  for (const c of people) {
    const s = cadre(c.id);
    const u = byUnit.get(c.unitCode)!;
    u.cadres++;
    grades.get(c.grade)?.add(s);
    u.grades.get(c.grade)?.add(s);
    if (c.warnings.length) {
      warned.add(s);
      u.warned.add(s);
    }
    if (c.periods.length) {
      inPeriod.add(s);
      u.inPeriod.add(s);
    }
    countDots(s, c.records, u);
    for (const f of c.flags) {
      if (!within(f.date, period)) continue;
      let e = flags.get(f.item);
      if (!e)
        flags.set(
          f.item,
          (e = {
            total: new Tally(),
            byStatus: Object.fromEntries(FLAG_STATUSES.map((x) => [x, 0])) as Record<FlagStatus, number>,
          }),
        );
      e.total.add(s);
      e.byStatus[f.status]++;
    }
    countClues(s, c);
  }
  for (const u of scopedUnits) {
    const s: Subject = { type: 'unit', id: u.code };
    countDots(s, u.records, byUnit.get(u.code));
    countClues(s, u);
  }

  const risk = [...byUnit.values()]
    .map((e): UnitRisk => {
      const p = {
        warned: per100(e.warned.drill.count, e.cadres),
        inPeriod: per100(e.inPeriod.drill.count, e.cadres),
        yellow: per100(e.yellow.drill.count, e.cadres),
        black: per100(e.black.drill.count, e.cadres),
      };
      return {
        code: e.u.code,
        name: e.u.name,
        cadres: e.cadres,
        warned: e.warned.drill,
        inPeriod: e.inPeriod.drill,
        yellow: e.yellow.drill,
        black: e.black.drill,
        per100: p,
        index: Math.round((p.warned + p.inPeriod + p.yellow + p.black) * 10) / 10,
      };
    })
    .sort((a, b) => b.index - a.index || (a.code < b.code ? -1 : 1));

  const quarterInPeriod = (q: string) =>
    q.slice(0, 4) >= period.from.slice(0, 4) && q.slice(0, 4) <= period.to.slice(0, 4);
  return {
    scope,
    period,
    unitCount: scopedUnits.length,
    cadreCount: people.length,
    grades: gradeIds.map((g) => ({ grade: g, drill: grades.get(g)!.drill })),
    gradeByUnit: [...byUnit.values()].map((e) => ({
      code: e.u.code,
      name: e.u.name,
      cadres: e.cadres,
      grades: Object.fromEntries([...e.grades].map(([g, t]) => [g, t.drill])),
    })),
    risk,
    years,
    dotsByYear: years.map((year) => ({
      year,
      colours: Object.fromEntries(COLOURS.map((c) => [c, dotYears.get(year)![c].drill])) as Record<Colour, Drill>,
    })),
    dotsByKind: [...kinds]
      .map(([kind, k]) => ({ kind, colour: k.colour, total: k.total.drill, byYear: k.byYear }))
      .sort(
        (a, b) =>
          COLOURS.indexOf(b.colour) - COLOURS.indexOf(a.colour) ||
          b.total.count - a.total.count ||
          (a.kind < b.kind ? -1 : 1),
      ),
    flagItems: [...flags]
      .map(([item, e]) => ({ item, total: e.total.drill, byStatus: e.byStatus }))
      .sort((a, b) => b.total.count - a.total.count || (a.item < b.item ? -1 : 1)),
    clues: CLUE_STAGES.map((stage) => ({
      stage,
      total: clues.get(stage)!.total.drill,
      overdue: clues.get(stage)!.overdue.drill,
    })),
    cards: cardCompletion(
      scopedUnits.flatMap((u) => u.cards).filter((v) => quarterInPeriod(v.card.quarter)),
      period.to,
    ),
    warned: warned.drill,
    inPeriod: inPeriod.drill,
  };
}
