import type { SubjectSummary } from '../../model/summary.ts';

/**
 * Test support: subjects as the local index holds them (core/model/summary.ts), for the tests of
 * the matcher, the index and the overlay. A cadre of grade B with nothing on record, in 市教育局
 * (U01), unless `more` says otherwise.
 */
export function subjectSummary(id: string, name: string, more: Partial<SubjectSummary> = {}): SubjectSummary {
  return {
    type: 'cadre',
    id,
    name,
    aliases: [],
    unitCode: 'U01',
    unitName: '市教育局',
    dots: { red: 0, blue: 0, yellow: 0, black: 0 },
    grade: 'B',
    gradeReason: '',
    warnings: [],
    flags: 0,
    periods: [],
    invalid: 0,
    ...more,
  };
}

/** A cadre of the unit named `unitName` (its code `U-<unitName>`): the matcher's test directories. */
export const cadreIn = (id: string, name: string, unitName: string, post = ''): SubjectSummary =>
  subjectSummary(id, name, { unitCode: `U-${unitName}`, unitName, post });
