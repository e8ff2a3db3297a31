import { allDossiers, type UnitDossiers } from '../../../core/doc/index.ts';
import type { IsoDate } from '../../../core/dates.ts';
import type { Unit } from '../../../core/model/schemas.ts';
import { COLOURS, type Colour } from '../../../core/model/vocabulary.ts';
import { unitAggregates, type DotTally, type UnitAggregates } from '../../../core/rules/aggregates.ts';
import type { SubjectData } from '../../../core/rules/reasons.ts';
import { assessCadre, dotCounts, type RulesConfig } from '../../../core/rules/summarise.ts';
import type { Graded } from '../../../core/rules/grade.ts';
import { countingRecords } from '../../../core/rules/periods.ts';
import { yearOf } from '../../../core/dates.ts';

/**
 * A unit's picture, computed from its document: the core aggregates plus each cadre's grade and
 * dots for the table. Kept out of the components so the page only draws.
 */

export interface CadreRow {
  id: string;
  name: string;
  post: string;
  graded: Graded;
  dots: Record<Colour, number>;
  warnings: number;
}

export interface UnitPicture {
  unit: Unit;
  aggregates: UnitAggregates;
  /** The unit's own dots and its cadres' together: the picture of the whole unit. */
  dots: DotTally;
  /** The same dots by kind and year (the core tally counts kinds over all years). */
  kindsByYear: Record<string, Record<number, number>>;
  cadres: CadreRow[];
}

export function unitPicture(dossiers: UnitDossiers, unit: Unit, asOf: IsoDate, config: RulesConfig): UnitPicture {
  const all = [...allDossiers(dossiers, { unit: (c) => (c === unit.code ? unit : undefined), unitCode: unit.code }).values()];
  const own = all.find((d) => d.subject.type === 'unit' && d.subject.id === unit.code);
  const unitSubject: SubjectData = { unit, records: own?.records ?? [], flags: own?.flags ?? [], clues: own?.clues ?? [] };
  const cadreSubjects = all.flatMap((d): SubjectData[] => (d.cadre ? [{ cadre: d.cadre, records: d.records, flags: d.flags, clues: d.clues }] : []));
  const aggregates = unitAggregates(unitSubject, cadreSubjects, asOf, config);
  const cadres = cadreSubjects.map((s): CadreRow => {
    const a = assessCadre(s, asOf, config);
    return { id: s.cadre!.id, name: s.cadre!.name, post: s.cadre!.post, graded: a.graded, dots: dotCounts(s, asOf), warnings: a.warnings };
  });
  return { unit, aggregates, dots: mergeTallies(aggregates.own, aggregates.cadres), kindsByYear: kindsByYear([unitSubject, ...cadreSubjects], asOf), cadres };
}

/** Dots counting on `asOf` (as the core tally counts them), by kind and decision year. */
export function kindsByYear(subjects: readonly SubjectData[], asOf: IsoDate): Record<string, Record<number, number>> {
  const out: Record<string, Record<number, number>> = {};
  for (const s of subjects) {
    for (const r of countingRecords(s.records, asOf)) {
      const perYear = (out[r.kind] ??= {});
      const y = yearOf(r.decisionDate);
      perYear[y] = (perYear[y] ?? 0) + 1;
    }
  }
  return out;
}

export function mergeTallies(a: DotTally, b: DotTally): DotTally {
  const out: DotTally = { total: a.total + b.total, byColour: { ...a.byColour }, byKind: { ...a.byKind }, byYear: {} };
  for (const c of COLOURS) out.byColour[c] += b.byColour[c];
  for (const [k, n] of Object.entries(b.byKind)) out.byKind[k] = (out.byKind[k] ?? 0) + n;
  for (const t of [a, b]) {
    for (const [y, counts] of Object.entries(t.byYear)) {
      const into = (out.byYear[Number(y)] ??= { red: 0, blue: 0, yellow: 0, black: 0 });
      for (const c of COLOURS) into[c] += counts[c];
    }
  }
  return out;
}

export type SortKey = 'grade' | 'name' | 'warnings';

/** Worst grade first by default (that is who an officer looks for); ties by name, then id. */
export function sortCadres(rows: readonly CadreRow[], key: SortKey, descending: boolean): CadreRow[] {
  const cmp = (a: CadreRow, b: CadreRow): number => {
    const primary = key === 'grade' ? a.graded.level - b.graded.level : key === 'warnings' ? a.warnings - b.warnings : a.name.localeCompare(b.name, 'zh-CN');
    return primary;
  };
  const tie = (a: CadreRow, b: CadreRow) => a.name.localeCompare(b.name, 'zh-CN') || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return [...rows].sort((a, b) => (descending ? -cmp(a, b) : cmp(a, b)) || tie(a, b));
}
