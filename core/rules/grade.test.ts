import { describe, expect, it } from 'vitest';
import { DEFAULT_GRADE_SCHEME, defaultConfig, type GradeScheme } from '../model/config.ts';
import { explain } from './explain.ts';
import { flag, rec, subject } from './fixtures.ts';
import { factsOf, gradeCadre, gradeUnit, type CadreOutcome } from './grade.ts';
import type { SubjectData } from './reasons.ts';

const config = defaultConfig();
const grade = (s: SubjectData, asOf: string, scheme: GradeScheme = DEFAULT_GRADE_SCHEME) =>
  gradeCadre(factsOf(s, asOf, config), scheme);

describe('default scheme', () => {
  it('D while a black dot is in its influence period, naming the heaviest sanction', () => {
    const s = subject([rec('a', 'gov-warning', '2018-07-01'), rec('b', 'party-warning', '2018-06-15')]);
    const g = grade(s, '2018-08-01');
    expect(g.grade).toBe('D');
    expect(g.reasons[0]).toMatchObject({
      basis: 'black',
      count: 2,
      cause: { kind: 'party-warning', until: '2019-06-14' },
    });
    expect(explain(g.reasons[0]!, 'zh-CN')).toBe(
      '等次D：处于党纪政务处分影响期内：党内警告，影响期至2019年6月14日（《中国共产党纪律处分条例》第十条）。',
    );
  });

  it('the black dot stops counting the day its period is over', () => {
    const s = subject([rec('b', 'party-warning', '2018-06-15')]);
    expect(grade(s, '2019-06-14').grade).toBe('D');
    expect(grade(s, '2019-06-15').grade).toBe('B');
  });

  it('a revoked sanction does not lower the grade', () => {
    const s = subject([
      rec('b', 'party-warning', '2018-06-15', {
        status: 'revoked',
        revoked: { by: 'u', at: '2018-07-01T00:00:00Z', reason: '复查撤销' },
      }),
    ]);
    expect(grade(s, '2018-08-01').grade).toBe('B');
  });

  it('C for a yellow dot in the last 12 months, B the day it leaves the window', () => {
    const s = subject([rec('y', 'reminder-talk', '2018-06-15')]);
    expect(grade(s, '2019-06-14')).toMatchObject({ grade: 'C', reasons: [{ basis: 'yellow', count: 1, months: 12 }] });
    expect(explain(grade(s, '2019-06-14').reasons[0]!, 'zh-CN')).toBe(
      '等次C：近12个月内1个黄点，最近一次为2018年6月15日提醒谈话。',
    );
    expect(grade(s, '2019-06-15').grade).toBe('B');
  });

  it('C while an organisational period runs past the yellow window (降职 24 months)', () => {
    const s = subject([rec('y', 'demotion', '2018-06-15')]);
    const g = grade(s, '2020-01-01');
    expect(g.reasons[0]).toMatchObject({ basis: 'yellow', count: 0, cause: { kind: 'demotion', until: '2020-06-14' } });
    expect(explain(g.reasons[0]!, 'zh-CN')).toBe('等次C：降职影响期至2020年6月14日。');
    expect(explain(g.reasons[0]!, 'en')).toBe('Grade C: Demotion in its influence period until 2020-06-14.');
    expect(grade(s, '2020-06-15').grade).toBe('B');
  });

  it('C for an active warning', () => {
    const s = subject([], { flags: [flag('f1', 'substantiated', '2019-03-01')] });
    expect(grade(s, '2019-04-01').reasons[0]).toMatchObject({ grade: 'C', basis: 'warning', count: 1 });
  });

  it('A for two red dots in 36 months and nothing adverse; B with one', () => {
    const two = subject([rec('r1', 'commendation', '2016-07-01'), rec('r2', 'award', '2018-01-01')]);
    expect(grade(two, '2019-06-30')).toMatchObject({ grade: 'A', reasons: [{ basis: 'red', count: 2, months: 36 }] });
    expect(grade(two, '2019-07-01').grade).toBe('B');
  });

  it('red dots do not outweigh anything adverse', () => {
    const s = subject([
      rec('r1', 'commendation', '2018-01-01'),
      rec('r2', 'award', '2018-02-01'),
      rec('y', 'reminder-talk', '2018-03-01'),
    ]);
    expect(grade(s, '2018-04-01').grade).toBe('C');
  });

  it('B by default, saying why', () => {
    const g = grade(subject([rec('n', 'personal-matters-report', '2018-01-01')]), '2018-04-01');
    expect(g).toMatchObject({ grade: 'B', reasons: [{ basis: 'default' }] });
    expect(explain(g.reasons[0]!, 'en')).toBe(
      'Grade B: no sanction period, warning or recent yellow dot; not enough red dots for the top grade.',
    );
  });
});

describe('a configured scheme', () => {
  const scheme: GradeScheme = {
    ...DEFAULT_GRADE_SCHEME,
    grades: [
      { id: '优', label: { zh: '优', en: 'Top' } },
      { id: '良', label: { zh: '良', en: 'Good' } },
      { id: '中', label: { zh: '中', en: 'Watch' } },
      { id: '差', label: { zh: '差', en: 'Poor' } },
    ],
    redForTop: 1,
    yellowWindowMonths: 24,
  };
  it('uses its own grade ids, red threshold and yellow window', () => {
    expect(grade(subject([rec('r1', 'commendation', '2018-01-01')]), '2018-04-01', scheme).grade).toBe('优');
    const y = subject([rec('y', 'reminder-talk', '2018-06-15')]);
    expect(grade(y, '2020-06-14', scheme).grade).toBe('中');
    expect(grade(y, '2020-06-15', scheme).grade).toBe('良');
    expect(grade(subject([rec('b', 'gov-warning', '2018-06-15')]), '2018-07-01', scheme).grade).toBe('差');
  });
});

describe('unit grade', () => {
  const unit: SubjectData = { records: [], flags: [], clues: [] };
  const facts = (s: SubjectData) => factsOf(s, '2019-06-01', config);
  const cadres = (n: number, lowest: number, warned: number): CadreOutcome[] =>
    Array.from({ length: n }, (_, i) => ({ level: i < lowest ? 3 : 1, warnings: i >= n - warned ? 1 : 0 }));

  it('D when the share of its cadres at the lowest grade reaches the threshold (10%)', () => {
    expect(gradeUnit(facts(unit), cadres(10, 1, 0), DEFAULT_GRADE_SCHEME).reasons[0]).toMatchObject({
      grade: 'D',
      basis: 'unit-lowest-share',
      count: 1,
      of: 10,
    });
    expect(gradeUnit(facts(unit), cadres(11, 1, 0), DEFAULT_GRADE_SCHEME).grade).toBe('B');
  });

  it('C when the share with warnings reaches the threshold (20%)', () => {
    const g = gradeUnit(facts(unit), cadres(10, 0, 2), DEFAULT_GRADE_SCHEME);
    expect(g.reasons[0]).toMatchObject({ grade: 'C', basis: 'unit-warning-share', count: 2, of: 10 });
    expect(explain(g.reasons[0]!, 'zh-CN')).toBe('等次C：所属10名干部中2名有预警（20%）。');
    expect(gradeUnit(facts(unit), cadres(10, 0, 1), DEFAULT_GRADE_SCHEME).grade).toBe('B');
  });

  it('its own yellow dot (a problem clue) makes it C; its own red dots can make it A', () => {
    const own = {
      ...unit,
      records: [rec('u1', 'unit-problem-clue', '2019-05-01', { subject: { type: 'unit', id: 'U01' } })],
    };
    expect(gradeUnit(facts(own), cadres(10, 0, 0), DEFAULT_GRADE_SCHEME).grade).toBe('C');
    const red = { ...unit, records: [rec('u2', 'honour-title', '2018-05-01'), rec('u3', 'award', '2019-01-01')] };
    expect(gradeUnit(facts(red), cadres(10, 0, 0), DEFAULT_GRADE_SCHEME).grade).toBe('A');
    expect(gradeUnit(facts(red), [], DEFAULT_GRADE_SCHEME).grade).toBe('A');
  });
});
