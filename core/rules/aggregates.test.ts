import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../model/config.ts';
import { unitAggregates } from './aggregates.ts';
import { cadre, flag, rec, subject } from './fixtures.ts';
import type { SubjectData } from './reasons.ts';

const config = defaultConfig();

describe('unit aggregates', () => {
  const unit: SubjectData = {
    unit: { code: 'U01', name: '市某局', aliases: [], kind: 'government' },
    records: [
      rec('u1', 'unit-problem-clue', '2019-10-10', { subject: { type: 'unit', id: 'U01' } }),
      rec('u2', 'award', '2018-12-01'),
    ],
    flags: [],
    clues: [],
  };
  const cadres = [
    subject([rec('a1', 'party-warning', '2018-06-15'), rec('a2', 'commendation', '2017-03-01')], {
      cadre: cadre('c1', '张某'),
    }),
    subject([rec('b1', 'reminder-talk', '2019-05-01')], {
      cadre: cadre('c2', '李某'),
      flags: [flag('f1', 'substantiated', '2019-06-01')],
    }),
    subject(
      [
        rec('c1', 'personal-matters-report', '2019-01-20'),
        rec('c2', 'award', '2019-02-01', {
          status: 'revoked',
          revoked: { by: 'u', at: '2019-03-01T00:00:00Z', reason: '误录' },
        }),
      ],
      { cadre: cadre('c3', '王某') },
    ),
    subject([], { cadre: cadre('c4', '赵某') }),
  ];

  it('counts dots by colour, kind and year, its own apart from its cadres’, revoked ones excluded', () => {
    const a = unitAggregates(unit, cadres, '2019-12-31', config);
    expect(a.own).toEqual({
      total: 2,
      byColour: { red: 1, blue: 0, yellow: 1, black: 0 },
      byKind: { 'unit-problem-clue': 1, award: 1 },
      byYear: { 2018: { red: 1, blue: 0, yellow: 0, black: 0 }, 2019: { red: 0, blue: 0, yellow: 1, black: 0 } },
    });
    expect(a.cadres.byColour).toEqual({ red: 1, blue: 1, yellow: 1, black: 1 });
    expect(a.cadres.byYear[2017]).toEqual({ red: 1, blue: 0, yellow: 0, black: 0 });
    expect(a.cadres.byKind).toEqual({
      'party-warning': 1,
      commendation: 1,
      'reminder-talk': 1,
      'personal-matters-report': 1,
    });
  });

  it('grades the cadres and gives the share with warnings', () => {
    const a = unitAggregates(unit, cadres, '2018-08-01', config);
    expect(a.byGrade).toEqual({ A: 0, B: 3, C: 0, D: 1 });
    expect(a.atLowest).toBe(1);
    expect(a.shareAtLowest).toBe(0.25);
    expect(a.grade).toMatchObject({ grade: 'D', reasons: [{ basis: 'unit-lowest-share', count: 1, of: 4 }] });
    const later = unitAggregates(unit, cadres, '2019-07-01', config);
    expect(later).toMatchObject({ withWarnings: 1, shareWithWarnings: 0.25, byGrade: { A: 0, B: 3, C: 1, D: 0 } });
    expect(later.grade.grade).toBe('C');
  });

  it('a unit without cadres has zero shares, not NaN', () => {
    expect(unitAggregates(unit, [], '2019-12-31', config)).toMatchObject({
      cadreCount: 0,
      shareWithWarnings: 0,
      shareAtLowest: 0,
    });
  });
});
