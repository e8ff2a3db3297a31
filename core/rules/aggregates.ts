import { yearOf, type IsoDate } from '../dates.ts';
import { COLOURS, type Colour } from '../model/vocabulary.ts';
import type { Graded } from './grade.ts';
import { countingRecords } from './periods.ts';
import type { SubjectData } from './reasons.ts';
import { assessCadre, assessUnit, type RulesConfig } from './summarise.ts';

/**
 * Unit-level pictures of the "political ecology": dots by colour, kind and year (the unit's own,
 * and its cadres'), how its cadres are graded, and the share with warnings. Counts only; the
 * charts are drawn elsewhere.
 */

export interface DotTally {
  total: number;
  byColour: Record<Colour, number>;
  byKind: Record<string, number>;
  byYear: Record<number, Record<Colour, number>>;
}

const zeroColours = () => Object.fromEntries(COLOURS.map((c) => [c, 0])) as Record<Colour, number>;

export function tallyDots(subjects: readonly SubjectData[], asOf: IsoDate): DotTally {
  const t: DotTally = { total: 0, byColour: zeroColours(), byKind: {}, byYear: {} };
  for (const s of subjects) {
    for (const r of countingRecords(s.records, asOf)) {
      t.total++;
      t.byColour[r.colour]++;
      t.byKind[r.kind] = (t.byKind[r.kind] ?? 0) + 1;
      const y = yearOf(r.decisionDate);
      (t.byYear[y] ??= zeroColours())[r.colour]++;
    }
  }
  return t;
}

export interface UnitAggregates {
  asOf: IsoDate;
  own: DotTally;
  cadres: DotTally;
  cadreCount: number;
  /** Cadres per grade id of the workspace's scheme (every grade present, zeros included). */
  byGrade: Record<string, number>;
  withWarnings: number;
  /** 0 when the unit has no cadres. */
  shareWithWarnings: number;
  atLowest: number;
  shareAtLowest: number;
  grade: Graded;
}

export function unitAggregates(
  unit: SubjectData,
  cadres: readonly SubjectData[],
  asOf: IsoDate,
  config: RulesConfig,
): UnitAggregates {
  const outcomes = cadres.map((c) => assessCadre(c, asOf, config));
  const byGrade = Object.fromEntries(config.gradeScheme.grades.map((g) => [g.id, 0]));
  for (const o of outcomes) byGrade[o.graded.grade] = (byGrade[o.graded.grade] ?? 0) + 1;
  const withWarnings = outcomes.filter((o) => o.warnings > 0).length;
  const atLowest = outcomes.filter((o) => o.level === 3).length;
  const share = (n: number) => (outcomes.length ? n / outcomes.length : 0);
  return {
    asOf,
    own: tallyDots([unit], asOf),
    cadres: tallyDots(cadres, asOf),
    cadreCount: outcomes.length,
    byGrade,
    withWarnings,
    shareWithWarnings: share(withWarnings),
    atLowest,
    shareAtLowest: share(atLowest),
    grade: assessUnit(unit, outcomes, asOf, config).graded,
  };
}
