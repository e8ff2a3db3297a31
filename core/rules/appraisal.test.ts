import { describe, expect, it } from 'vitest';
import { appraisalEffects, pendingInvestigations, worstEffect } from './appraisal.ts';
import { clue, rec } from './fixtures.ts';

/** Effects on the appraisals of 2018..2021 of each measure approved (or effective) on 2018-06-15. */
const ROWS: { kind: string; extra?: object; years: [string?, string?, string?, string?] }[] = [
  { kind: 'party-warning', years: ['not-excellent'] },
  { kind: 'party-serious-warning', years: ['no-grade'] },
  { kind: 'party-post-removal', years: ['incompetent'] },
  { kind: 'party-probation', extra: { probationMonths: 12 }, years: ['incompetent', 'no-grade'] },
  { kind: 'party-probation', extra: { probationMonths: 24 }, years: ['incompetent', 'no-grade', 'no-grade'] },
  { kind: 'party-expulsion', years: ['incompetent', 'no-grade', 'no-grade'] },
  { kind: 'gov-warning', years: ['not-excellent'] },
  { kind: 'gov-demerit', years: ['no-grade'] },
  { kind: 'gov-major-demerit', years: ['no-grade', 'no-grade'] },
  { kind: 'gov-downgrade', years: ['no-grade', 'no-grade'] },
  { kind: 'gov-dismissal', years: ['no-grade', 'no-grade'] },
  { kind: 'gov-expulsion', years: [] },
  { kind: 'admonishment', years: ['not-excellent'] },
  { kind: 'post-adjustment', years: ['not-excellent'] },
  { kind: 'removal-from-post', years: ['no-grade'] },
  { kind: 'ordered-resignation', years: ['no-grade'] },
  { kind: 'demotion', years: ['no-grade'] },
  { kind: 'reminder-talk', years: [] },
  { kind: 'commendation', years: [] },
];

describe('annual-appraisal effects, year by year', () => {
  it.each(ROWS)('$kind ($extra)', ({ kind, extra, years }) => {
    const records = [rec('r1', kind, '2018-06-15', extra)];
    const got = [2018, 2019, 2020, 2021].map((y) => worstEffect(appraisalEffects(records, y)));
    expect(got).toEqual([0, 1, 2, 3].map((i) => years[i]));
  });

  it('cites the record, the year and the source', () => {
    expect(appraisalEffects([rec('r1', 'party-warning', '2018-06-15')], 2018)).toEqual([
      {
        code: 'appraisal',
        kind: 'party-warning',
        records: ['r1'],
        date: '2018-06-15',
        year: 2018,
        effect: 'not-excellent',
        source: 'appraisal-28-29',
      },
    ]);
  });

  it('a government sanction counts in the year it takes effect', () => {
    const r = [rec('r1', 'gov-demerit', '2018-12-20', { effectiveDate: '2019-01-05' })];
    expect(appraisalEffects(r, 2018)).toEqual([]);
    expect(worstEffect(appraisalEffects(r, 2019))).toBe('no-grade');
  });

  it('lists the worst effect first when several records touch one year', () => {
    const r = [rec('a', 'party-warning', '2018-03-01'), rec('b', 'gov-demerit', '2018-05-01')];
    expect(appraisalEffects(r, 2018).map((e) => [e.records[0], e.effect])).toEqual([
      ['b', 'no-grade'],
      ['a', 'not-excellent'],
    ]);
  });

  it('ignores revoked records, and records decided after the as-of date when one is given', () => {
    const revoked = rec('a', 'party-warning', '2018-03-01', {
      status: 'revoked',
      revoked: { by: 'u', at: '2018-04-01T00:00:00Z', reason: '复查撤销' },
    });
    expect(appraisalEffects([revoked], 2018)).toEqual([]);
    const late = [rec('b', 'party-warning', '2018-11-01')];
    expect(appraisalEffects(late, 2018, { asOf: '2018-10-01' })).toEqual([]);
    expect(appraisalEffects(late, 2018, { asOf: '2018-11-01' })).toHaveLength(1);
  });
});

describe('open investigation', () => {
  it('a clue at the case stage leaves the grade pending; earlier stages and closed clues do not', () => {
    const clues = [
      clue('k1', 'case', '2019-03-01'),
      clue('k2', 'preliminary', '2019-03-01'),
      clue('k3', 'closed', '2019-01-01'),
    ];
    expect(pendingInvestigations(clues, '2019-08-01')).toEqual([
      { code: 'investigation', clue: 'k1', stage: 'case', since: '2019-03-01', source: 'appraisal-28-investigation' },
    ]);
    expect(pendingInvestigations(clues, '2019-02-28')).toEqual([]);
  });
});
