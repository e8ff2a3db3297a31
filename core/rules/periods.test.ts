import { describe, expect, it } from 'vitest';
import { addDays } from '../dates.ts';
import { rec } from './fixtures.ts';
import { MEASURES } from './measures.ts';
import { blockedUntil, COMBINED_CAP_MONTHS, influencePeriods, periodUntil } from './periods.ts';

const running = (records: Parameters<typeof influencePeriods>[0], asOf: string) => influencePeriods(records, asOf);

describe('boundary convention', () => {
  it('counts the first day and ends the day before the same day N months later', () => {
    expect(periodUntil('2018-06-15', 12)).toBe('2019-06-14');
  });
  it('runs through the last day of the month when the same day does not exist', () => {
    expect(periodUntil('2018-08-31', 6)).toBe('2019-02-28');
    expect(periodUntil('2019-08-31', 6)).toBe('2020-02-29');
    expect(periodUntil('2020-02-29', 12)).toBe('2021-02-28');
  });
  it('is running on its first and last day, over the day after', () => {
    const r = [rec('r1', 'party-warning', '2018-06-15')];
    expect(running(r, '2018-06-14')).toEqual([]);
    expect(running(r, '2018-06-15')).toHaveLength(1);
    expect(running(r, '2019-06-14')[0]?.until).toBe('2019-06-14');
    expect(running(r, '2019-06-15')).toEqual([]);
  });
});

/** Every row of docs/domain-rules.md's tables, with the last day worked out by hand from 2018-06-15. */
const ROWS: { kind: string; until: string | null; blocks: string[]; extra?: object }[] = [
  { kind: 'party-warning', until: '2019-06-14', blocks: ['promotion', 'commendation'] },
  { kind: 'party-serious-warning', until: '2019-12-14', blocks: ['promotion', 'commendation'] },
  { kind: 'party-post-removal', until: '2020-06-14', blocks: ['promotion', 'commendation', 'equal-post'] },
  // 12 months' probation then 24 months: 36 months in all.
  // (Party rights are suspended during the probation only: see the test below.)
  {
    kind: 'party-probation',
    until: '2021-06-14',
    blocks: ['promotion', 'commendation', 'equal-post', 'party-rights'],
    extra: { probationMonths: 12 },
  },
  {
    kind: 'party-probation',
    until: '2022-06-14',
    blocks: ['promotion', 'commendation', 'equal-post', 'party-rights'],
    extra: { probationMonths: 24 },
  },
  { kind: 'party-expulsion', until: '2023-06-14', blocks: ['promotion', 'commendation', 'equal-post', 'rejoin-party'] },
  { kind: 'gov-warning', until: '2018-12-14', blocks: ['promotion', 'commendation'] },
  { kind: 'gov-demerit', until: '2019-06-14', blocks: ['promotion', 'commendation', 'pay-step'] },
  { kind: 'gov-major-demerit', until: '2019-12-14', blocks: ['promotion', 'commendation', 'pay-step'] },
  { kind: 'gov-downgrade', until: '2020-06-14', blocks: ['promotion', 'commendation', 'pay-step'] },
  { kind: 'gov-dismissal', until: '2020-06-14', blocks: ['promotion', 'commendation', 'pay-step', 'equal-post'] },
  { kind: 'gov-expulsion', until: null, blocks: ['promotion', 'commendation', 'public-service'] },
  { kind: 'admonishment', until: '2018-12-14', blocks: ['promotion', 'commendation'] },
  { kind: 'post-adjustment', until: '2019-06-14', blocks: ['promotion'] },
  { kind: 'removal-from-post', until: '2019-06-14', blocks: ['promotion', 'leadership-post'] },
  { kind: 'ordered-resignation', until: '2019-06-14', blocks: ['promotion', 'leadership-post'] },
  { kind: 'demotion', until: '2020-06-14', blocks: ['promotion'] },
];

describe('every measure with a period', () => {
  it.each(ROWS)('$kind from 2018-06-15 runs through $until', ({ kind, until, blocks, extra }) => {
    const r = [rec('r1', kind, '2018-06-15', extra)];
    const onStart = running(r, '2018-06-15');
    expect(onStart).toHaveLength(1);
    expect(onStart[0]).toMatchObject({ kind, records: ['r1'], from: '2018-06-15', until });
    expect(onStart[0]!.blocks).toEqual(blocks);
    if (until === null) {
      expect(running(r, '2099-01-01')).toHaveLength(1);
    } else {
      expect(running(r, until)).toHaveLength(1);
      expect(running(r, addDays(until, 1))).toEqual([]);
    }
  });

  it('covers every kind in the measures table', () => {
    const withPeriod = MEASURES.filter((m) => m.term.type !== 'none').map((m) => m.kind);
    expect(new Set(ROWS.map((r) => r.kind))).toEqual(new Set(withPeriod));
  });

  it.each(['reminder-talk', 'criticism-education', 'ordered-self-examination'])(
    '%s has no influence period',
    (kind) => {
      expect(running([rec('r1', kind, '2018-06-15')], '2018-06-15')).toEqual([]);
    },
  );
});

describe('留党察看', () => {
  it('suspends party rights through the probation, the other blocks through the whole period', () => {
    const r = [rec('r1', 'party-probation', '2018-06-15', { probationMonths: 12 })];
    expect(running(r, '2019-06-14')[0]).toMatchObject({
      probationUntil: '2019-06-14',
      blocks: ['promotion', 'commendation', 'equal-post', 'party-rights'],
    });
    expect(running(r, '2019-06-15')[0]).toMatchObject({
      probationUntil: '2019-06-14',
      blocks: ['promotion', 'commendation', 'equal-post'],
    });
  });
});

describe('start dates', () => {
  it('government sanctions run from the effective date, not the decision', () => {
    const r = [rec('r1', 'gov-demerit', '2018-06-01', { effectiveDate: '2018-06-15' })];
    expect(running(r, '2018-06-10')).toEqual([]);
    expect(running(r, '2019-06-14')[0]).toMatchObject({ from: '2018-06-15', until: '2019-06-14' });
    expect(running(r, '2019-06-15')).toEqual([]);
  });
  it('party sanctions run from approval even when an effective date is recorded', () => {
    const r = [rec('r1', 'party-warning', '2018-06-01', { effectiveDate: '2018-06-15' })];
    expect(running(r, '2019-05-31')[0]?.until).toBe('2019-05-31');
    expect(running(r, '2019-06-01')).toEqual([]);
  });
});

describe('what counts', () => {
  it('a revoked record never counts', () => {
    const r = [
      rec('r1', 'party-warning', '2018-06-15', {
        status: 'revoked',
        revoked: { by: 'u', at: '2018-07-01T00:00:00Z', reason: '错误录入' },
      }),
    ];
    expect(running(r, '2018-07-01')).toEqual([]);
  });
  it('expiry is automatic: a record a clerk left active is over on its date, one marked expired early still runs', () => {
    expect(running([rec('r1', 'gov-warning', '2018-06-15')], '2018-12-15')).toEqual([]);
    expect(running([rec('r1', 'gov-warning', '2018-06-15', { status: 'expired' })], '2018-12-14')).toHaveLength(1);
  });
  it('a record decided after the as-of date is not known yet', () => {
    expect(running([rec('r1', 'party-warning', '2019-01-01')], '2018-12-31')).toEqual([]);
  });
});

describe('combinations', () => {
  it('several sanctions: the heaviest is listed first, and each keeps its own end', () => {
    const r = [
      rec('a', 'gov-warning', '2018-06-15'),
      rec('b', 'party-serious-warning', '2018-03-01'),
      rec('c', 'admonishment', '2018-09-01'),
    ];
    const p = running(r, '2018-10-01');
    expect(p.map((x) => x.kind)).toEqual(['party-serious-warning', 'gov-warning', 'admonishment']);
    expect(p.map((x) => x.until)).toEqual(['2019-08-31', '2018-12-14', '2019-02-28']);
  });

  it('a block holds until the last running period that imposes it ends', () => {
    const r = [rec('a', 'party-warning', '2018-01-10'), rec('b', 'admonishment', '2018-11-20')];
    const p = running(r, '2018-12-01');
    expect(blockedUntil(p, 'promotion')).toBe('2019-05-19');
    expect(blockedUntil(p, 'pay-step')).toBeUndefined();
    expect(blockedUntil(running([rec('x', 'gov-expulsion', '2018-01-01')], '2020-01-01'), 'promotion')).toBeNull();
  });

  it('two overlapping identical government sanctions combine to the sum from the first start (art. 15)', () => {
    const r = [rec('a', 'gov-warning', '2018-01-10'), rec('b', 'gov-warning', '2018-03-01')];
    const p = running(r, '2018-08-01');
    expect(p).toHaveLength(1);
    expect(p[0]).toMatchObject({
      records: ['a', 'b'],
      from: '2018-01-10',
      until: '2019-01-09',
      combinedMonths: 12,
      source: 'gov-15-combination',
    });
    expect(running(r, '2019-01-10')).toEqual([]);
  });

  it('the combined period is capped at 48 months', () => {
    const r = [
      rec('a', 'gov-dismissal', '2018-01-10'),
      rec('b', 'gov-dismissal', '2018-02-01'),
      rec('c', 'gov-dismissal', '2018-03-01'),
    ];
    const p = running(r, '2018-04-01');
    expect(COMBINED_CAP_MONTHS).toBe(48);
    expect(p[0]).toMatchObject({ records: ['a', 'b', 'c'], combinedMonths: 48, until: '2022-01-09' });
    expect(running(r, '2022-01-10')).toEqual([]);
  });

  it('a later decision never ends before its own period, whatever the cap', () => {
    const r = [
      rec('a', 'gov-downgrade', '2018-01-10'),
      rec('b', 'gov-downgrade', '2019-12-01'),
      rec('c', 'gov-downgrade', '2021-11-01'),
    ];
    const p = running(r, '2022-01-01');
    expect(p[0]).toMatchObject({ records: ['a', 'b', 'c'], combinedMonths: 48, until: '2023-10-31' });
  });

  it('identical sanctions whose periods do not overlap stay separate', () => {
    const r = [rec('a', 'gov-warning', '2018-01-10'), rec('b', 'gov-warning', '2018-07-10')];
    expect(running(r, '2018-07-09')).toMatchObject([{ records: ['a'], until: '2018-07-09' }]);
    expect(running(r, '2018-07-10')).toMatchObject([{ records: ['b'], until: '2019-01-09' }]);
  });

  it('different kinds, party sanctions and 开除 do not combine', () => {
    const r = [
      rec('a', 'gov-warning', '2018-01-10'),
      rec('b', 'gov-demerit', '2018-02-01'),
      rec('c', 'party-warning', '2018-02-01'),
      rec('d', 'party-warning', '2018-03-01'),
    ];
    expect(running(r, '2018-04-01').map((p) => p.records)).toEqual([['b'], ['d'], ['c'], ['a']]);
    const e = [rec('x', 'gov-expulsion', '2018-01-10'), rec('y', 'gov-expulsion', '2018-02-01')];
    expect(running(e, '2030-01-01')).toHaveLength(2);
  });
});
