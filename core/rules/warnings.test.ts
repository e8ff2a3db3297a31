import { describe, expect, it } from 'vitest';
import { DEFAULT_WARNING_RULES, type WarningRules } from '../model/config.ts';
import { clue, flag, rec, subject } from './fixtures.ts';
import { earlyWarnings } from './warnings.ts';

const rules = DEFAULT_WARNING_RULES;
const off = (patch: Partial<WarningRules>): WarningRules => ({ ...structuredClone(rules), ...patch });

describe('open clue at 初核 / 立案', () => {
  const s = subject([], {
    clues: [
      clue('k1', 'preliminary', '2019-03-01'),
      clue('k2', 'case', '2019-04-01'),
      clue('k3', 'inquiry', '2019-04-01'),
      clue('k4', 'closed', '2019-01-01'),
    ],
  });
  it('warns for each clue at those stages, naming the stage', () => {
    const w = earlyWarnings(s, '2019-05-01', rules);
    expect(w.map((x) => [x.trigger, x.refs[0], x.stage])).toEqual([
      ['open-clue', 'k1', 'preliminary'],
      ['open-clue', 'k2', 'case'],
    ]);
  });
  it('honours the configured stages and the switch', () => {
    expect(
      earlyWarnings(s, '2019-05-01', off({ openClue: { enabled: true, stages: ['inquiry'] } })).map((x) => x.refs[0]),
    ).toEqual(['k3']);
    expect(
      earlyWarnings(s, '2019-05-01', off({ openClue: { enabled: false, stages: ['preliminary', 'case'] } })),
    ).toEqual([]);
  });
});

describe('two yellow dots within 12 months', () => {
  const s = subject([
    rec('y1', 'reminder-talk', '2018-06-15'),
    rec('y2', 'admonishment', '2019-02-01'),
    rec('b1', 'commendation', '2019-03-01'),
  ]);
  it('warns from the second dot until the first leaves the window', () => {
    expect(earlyWarnings(s, '2019-01-31', rules)).toEqual([]);
    const w = earlyWarnings(s, '2019-02-01', rules);
    expect(w).toMatchObject([
      { trigger: 'repeated-yellow', refs: ['y1', 'y2'], count: 2, withinMonths: 12, until: '2019-06-14' },
    ]);
    expect(earlyWarnings(s, '2019-06-14', rules)).toHaveLength(1);
    expect(earlyWarnings(s, '2019-06-15', rules)).toEqual([]);
  });
  it('needs the configured count', () => {
    expect(
      earlyWarnings(s, '2019-02-01', off({ repeatedYellow: { enabled: true, count: 3, withinMonths: 12 } })),
    ).toEqual([]);
  });
  it('does not count revoked dots', () => {
    const revoked = rec('y3', 'reminder-talk', '2019-01-01', {
      status: 'revoked',
      revoked: { by: 'u', at: '2019-01-02T00:00:00Z', reason: '误录' },
    });
    const t = subject([rec('y2', 'admonishment', '2019-02-01'), revoked]);
    expect(earlyWarnings(t, '2019-02-01', rules)).toEqual([]);
  });
});

describe('substantiated negative-list item', () => {
  it('warns once the item is substantiated, not while reported or verifying or when unfounded', () => {
    const s = subject([], {
      flags: [
        flag('f1', 'substantiated', '2019-03-01'),
        flag('f2', 'verifying', '2019-03-01'),
        flag('f3', 'unfounded', '2019-03-01'),
      ],
    });
    expect(earlyWarnings(s, '2019-03-01', rules)).toMatchObject([
      { trigger: 'substantiated-flag', refs: ['f1'], item: 'gambling' },
    ]);
    expect(earlyWarnings(s, '2019-03-01', off({ substantiatedFlag: { enabled: false } }))).toEqual([]);
  });
});

describe('overdue rectification', () => {
  const dot = (extra = {}) =>
    subject([rec('y1', 'unit-problem-clue', '2019-10-10', { rectificationDue: '2019-12-31', ...extra })]);
  it('warns from the day after the due date until rectified', () => {
    expect(earlyWarnings(dot(), '2019-12-31', rules)).toEqual([]);
    expect(earlyWarnings(dot(), '2020-01-01', rules)).toMatchObject([
      { trigger: 'overdue-rectification', refs: ['y1'], due: '2019-12-31', since: '2020-01-01' },
    ]);
    expect(earlyWarnings(dot({ rectifiedOn: '2020-01-10' }), '2020-01-09', rules)).toHaveLength(1);
    expect(earlyWarnings(dot({ rectifiedOn: '2020-01-10' }), '2020-01-10', rules)).toEqual([]);
    expect(earlyWarnings(dot({ rectifiedOn: '2019-12-20' }), '2020-02-01', rules)).toEqual([]);
  });
});
