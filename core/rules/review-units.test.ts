import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../model/config.ts';
import type { Unit } from '../model/schemas.ts';
import { explain } from './explain.ts';
import { cadre, clue, rec, subject } from './fixtures.ts';
import { reviewUnitBatch, type UnitDossier } from './review-units.ts';

const config = defaultConfig();
const unit = (
  code: string,
  name: string,
  records = [] as ReturnType<typeof rec>[],
  clues = [] as ReturnType<typeof clue>[],
): UnitDossier['subject'] => ({
  unit: { code, name, aliases: [], kind: 'government' } satisfies Unit,
  records,
  flags: [],
  clues,
});
const staff = (n: number, sanctioned = 0) =>
  Array.from({ length: n }, (_, i) =>
    subject(i < sanctioned ? [rec(`s${i}`, 'party-warning', '2019-03-01')] : [], { cadre: cadre(`c${i}`, `干部${i}`) }),
  );

describe('integrity review of units', () => {
  const dossiers: UnitDossier[] = [
    // The seed's bureau: a canteen-management clue (a yellow dot) with a supervision recommendation.
    {
      subject: unit('U01', '市某局', [
        rec('y1', 'unit-problem-clue', '2019-10-10', {
          subject: { type: 'unit', id: 'U01' },
          rectificationDue: '2019-12-31',
        }),
      ]),
      cadres: staff(10),
    },
    { subject: unit('U02', '市某委', [], [clue('k1', 'case', '2019-09-01')]), cadres: staff(10) },
    { subject: unit('U03', '市某办'), cadres: staff(10, 2) },
    { subject: unit('U04', '市某中心'), cadres: staff(10) },
    { subject: unit('U05', '市某中心'), cadres: staff(5) },
  ];
  const ask = (asOf: string, units: string[]) =>
    reviewUnitBatch({ purpose: 'commendation', year: 2019, asOf, units }, dossiers, config).units;

  it('notes a unit with a recent yellow dot, and says why', () => {
    const [u] = ask('2019-12-20', ['市某局']);
    expect(u).toMatchObject({ match: 'found', code: 'U01', opinion: 'note' });
    if (u?.match !== 'found') throw new Error('not found');
    expect(explain(u.reasons[0]!, 'zh-CN')).toBe(
      '等次C：近12个月内1个黄点，最近一次为2019年10月10日问题线索（单位）。',
    );
  });

  it('the same unit after its rectification falls overdue: still a note, now with the warning', () => {
    const [u] = ask('2020-01-02', ['U01']);
    expect(u).toMatchObject({ opinion: 'note' });
    if (u?.match !== 'found') throw new Error('not found');
    expect(u.reasons.map((r) => r.code)).toEqual(['grade', 'warning']);
  });

  it('postpones while a case against the unit is open', () => {
    expect(ask('2019-12-20', ['市某委'])[0]).toMatchObject({
      opinion: 'postpone',
      reasons: [{ code: 'investigation', clue: 'k1' }],
    });
  });

  it('objects when enough of its cadres are at the lowest grade', () => {
    const [u] = ask('2019-12-20', ['市某办']);
    expect(u).toMatchObject({
      opinion: 'objection',
      reasons: [{ code: 'grade', grade: 'D', basis: 'unit-lowest-share', count: 2, of: 10 }],
    });
    expect(ask('2020-03-01', ['市某办'])[0]).toMatchObject({ opinion: 'no-objection' });
  });

  it('reports a name shared by two units, and an unknown one, without guessing', () => {
    expect(ask('2019-12-20', ['市某中心', '市无此局'])).toEqual([
      {
        query: '市某中心',
        match: 'ambiguous',
        candidates: [
          { code: 'U04', name: '市某中心' },
          { code: 'U05', name: '市某中心' },
        ],
      },
      { query: '市无此局', match: 'not-found' },
    ]);
  });
});
