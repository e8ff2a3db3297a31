import type { CadreRow, UnitRow } from '../../../core/analysis/rows.ts';
import type { GradeScheme } from '../../../core/model/config.ts';

/**
 * A unit's picture (单位画像), from its rows (core/analysis/rows.ts): the unit's own dossier and the
 * standing of its people kept apart — a unit can be "B, no sanction" on its own records while one
 * of its cadres is D — and the unit's grade with both parts it rests on, including the shares
 * that did not reach the workspace's thresholds. Kept out of the components so the page only draws;
 * the dots by year and kind are the analysis page's charts for this one unit (core/analysis/picture.ts).
 */

export interface PeopleStanding {
  count: number;
  byGrade: { grade: string; cadres: CadreRow[] }[];
  warned: CadreRow[];
  inPeriod: CadreRow[];
  lowest: CadreRow[];
  /** The shares the unit's grade reads, with the thresholds they are held against. */
  lowestShare: number;
  lowestThreshold: number;
  warnedShare: number;
  warnedThreshold: number;
}

export interface UnitPicture {
  unit: UnitRow;
  cadres: CadreRow[];
  people: PeopleStanding;
}

export function unitPicture(unit: UnitRow, cadres: readonly CadreRow[], scheme: GradeScheme): UnitPicture {
  const share = (n: number) => (cadres.length ? n / cadres.length : 0);
  const lowest = cadres.filter((c) => c.level === 3);
  const warned = cadres.filter((c) => c.warnings.length > 0);
  return {
    unit,
    cadres: [...cadres],
    people: {
      count: cadres.length,
      byGrade: scheme.grades.map((g) => ({ grade: g.id, cadres: cadres.filter((c) => c.grade === g.id) })),
      warned,
      inPeriod: cadres.filter((c) => c.periods.length > 0),
      lowest,
      lowestShare: share(lowest.length),
      lowestThreshold: scheme.unitLowestShare,
      warnedShare: share(warned.length),
      warnedThreshold: scheme.unitAttentionShare,
    },
  };
}

export type SortKey = 'grade' | 'name' | 'warnings';

/** Worst grade first by default (that is who an officer looks for); ties by name, then id. */
export function sortCadres(rows: readonly CadreRow[], key: SortKey, descending: boolean): CadreRow[] {
  const cmp = (a: CadreRow, b: CadreRow): number =>
    key === 'grade'
      ? a.level - b.level
      : key === 'warnings'
        ? a.warnings.length - b.warnings.length
        : a.name.localeCompare(b.name, 'zh-CN');
  const tie = (a: CadreRow, b: CadreRow) =>
    a.name.localeCompare(b.name, 'zh-CN') || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return [...rows].sort((a, b) => (descending ? -cmp(a, b) : cmp(a, b)) || tie(a, b));
}
