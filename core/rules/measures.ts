import type { SourceId } from './sources.ts';

/**
 * The measures table: for every record kind that has consequences, how long its influence period
 * (影响期) runs, from which date, what it blocks while it runs, and what it does to the annual
 * appraisal (年度考核) year by year. The rows are docs/domain-rules.md's three tables; the engine's
 * functions only read this table, so a rule change is a data change.
 *
 * Kinds not listed here (red and blue dots, workspace-added kinds) have no influence period.
 */

/** Who imposes the measure: decides the start date and which combination rules apply. */
export type Family = 'party' | 'government' | 'organisational' | 'talk';

/** What a running influence period rules out. */
export const BLOCKS = [
  'promotion', // 提拔 / 晋升职务、职级 (and candidacy: 选拔任用条例 art. 24)
  'commendation', // 评先评优
  'pay-step', // 晋升工资档次
  'equal-post', // 担任与原任职务相当或者高于原任职务的职务
  'leadership-post', // 安排领导职务
  'party-rights', // 表决权、选举权和被选举权
  'rejoin-party', // 重新入党
  'public-service', // 录用为公务员或者参照管理人员
] as const;
export type Block = (typeof BLOCKS)[number];

/** Annual-appraisal effects, mildest first (the order is used to pick the worst). */
export const APPRAISAL_EFFECTS = ['not-excellent', 'no-grade', 'incompetent'] as const;
export type AppraisalEffect = (typeof APPRAISAL_EFFECTS)[number];

export type Term =
  | { type: 'months'; months: number }
  /** 留党察看: the probation (12 or 24 months, on the record), then a further fixed period. */
  | { type: 'probation-then'; months: number }
  | { type: 'permanent' }
  /** 提醒谈话 and the like: no national influence period, a note in reviews. */
  | { type: 'none' };

export interface AppraisalRow {
  /** Years counted from the year the period starts (0 = that year), inclusive; or the probation. */
  years: readonly [number, number] | 'probation';
  effect: AppraisalEffect;
}

export interface Measure {
  kind: string;
  family: Family;
  /** Heavier measures have higher numbers; "the heaviest applies" compares across families. */
  severity: number;
  term: Term;
  /** Party sanctions and organisational measures run from approval; government ones from effect. */
  from: 'decision' | 'effective';
  blocks: readonly Block[];
  /** 留党察看: what is suspended only while the probation itself runs. */
  probationBlocks?: readonly Block[];
  appraisal: readonly AppraisalRow[];
  /** Where the period and the blocks come from. */
  source: SourceId;
  /** Where the appraisal effect comes from. */
  appraisalSource: SourceId;
  /** 政务处分法 art. 15: several identical sanctions up to 撤职 combine (see periods.ts). */
  combinable: boolean;
}

const SANCTION_BLOCKS = ['promotion', 'commendation'] as const satisfies readonly Block[];

const row = (m: Omit<Measure, 'combinable'> & { combinable?: boolean }): Measure => ({ combinable: false, ...m });

export const MEASURES: readonly Measure[] = [
  // Party sanctions, 纪律处分条例 (2023) arts. 10–13: periods from the approval date.
  row({
    kind: 'party-warning',
    family: 'party',
    severity: 20,
    from: 'decision',
    term: { type: 'months', months: 12 },
    blocks: SANCTION_BLOCKS,
    appraisal: [{ years: [0, 0], effect: 'not-excellent' }],
    source: 'party-10-warning',
    appraisalSource: 'appraisal-28-29',
  }),
  row({
    kind: 'party-serious-warning',
    family: 'party',
    severity: 30,
    from: 'decision',
    term: { type: 'months', months: 18 },
    blocks: SANCTION_BLOCKS,
    appraisal: [{ years: [0, 0], effect: 'no-grade' }],
    source: 'party-10-warning',
    appraisalSource: 'appraisal-28-29',
  }),
  row({
    kind: 'party-post-removal',
    family: 'party',
    severity: 40,
    from: 'decision',
    term: { type: 'months', months: 24 },
    blocks: [...SANCTION_BLOCKS, 'equal-post'],
    appraisal: [{ years: [0, 0], effect: 'incompetent' }],
    source: 'party-11-post-removal',
    appraisalSource: 'appraisal-28-29',
  }),
  row({
    kind: 'party-probation',
    family: 'party',
    severity: 60,
    from: 'decision',
    term: { type: 'probation-then', months: 24 },
    blocks: [...SANCTION_BLOCKS, 'equal-post'],
    probationBlocks: ['party-rights'],
    appraisal: [
      { years: [0, 0], effect: 'incompetent' },
      { years: 'probation', effect: 'no-grade' },
    ],
    source: 'party-12-probation',
    appraisalSource: 'appraisal-28-29',
  }),
  row({
    kind: 'party-expulsion',
    family: 'party',
    severity: 80,
    from: 'decision',
    term: { type: 'months', months: 60 },
    blocks: [...SANCTION_BLOCKS, 'equal-post', 'rejoin-party'],
    appraisal: [
      { years: [0, 0], effect: 'incompetent' },
      { years: [1, 2], effect: 'no-grade' },
    ],
    source: 'party-13-expulsion',
    appraisalSource: 'appraisal-28-29',
  }),
  // Government sanctions, 政务处分法 (2020) arts. 8, 19: periods from the effective date;
  // from 记过 upward no pay-step rise.
  row({
    kind: 'gov-warning',
    family: 'government',
    severity: 10,
    from: 'effective',
    combinable: true,
    term: { type: 'months', months: 6 },
    blocks: SANCTION_BLOCKS,
    appraisal: [{ years: [0, 0], effect: 'not-excellent' }],
    source: 'gov-8-19-periods',
    appraisalSource: 'appraisal-28-29',
  }),
  row({
    kind: 'gov-demerit',
    family: 'government',
    severity: 25,
    from: 'effective',
    combinable: true,
    term: { type: 'months', months: 12 },
    blocks: [...SANCTION_BLOCKS, 'pay-step'],
    appraisal: [{ years: [0, 0], effect: 'no-grade' }],
    source: 'gov-8-19-periods',
    appraisalSource: 'appraisal-28-29',
  }),
  row({
    kind: 'gov-major-demerit',
    family: 'government',
    severity: 35,
    from: 'effective',
    combinable: true,
    term: { type: 'months', months: 18 },
    blocks: [...SANCTION_BLOCKS, 'pay-step'],
    appraisal: [{ years: [0, 1], effect: 'no-grade' }],
    source: 'gov-8-19-periods',
    appraisalSource: 'appraisal-28-29',
  }),
  row({
    kind: 'gov-downgrade',
    family: 'government',
    severity: 45,
    from: 'effective',
    combinable: true,
    term: { type: 'months', months: 24 },
    blocks: [...SANCTION_BLOCKS, 'pay-step'],
    appraisal: [{ years: [0, 1], effect: 'no-grade' }],
    source: 'gov-8-19-periods',
    appraisalSource: 'appraisal-28-29',
  }),
  row({
    kind: 'gov-dismissal',
    family: 'government',
    severity: 50,
    from: 'effective',
    combinable: true,
    term: { type: 'months', months: 24 },
    blocks: [...SANCTION_BLOCKS, 'pay-step', 'equal-post'],
    appraisal: [{ years: [0, 1], effect: 'no-grade' }],
    source: 'gov-8-19-periods',
    appraisalSource: 'appraisal-28-29',
  }),
  row({
    kind: 'gov-expulsion',
    family: 'government',
    severity: 90,
    from: 'effective',
    term: { type: 'permanent' },
    blocks: [...SANCTION_BLOCKS, 'public-service'],
    appraisal: [],
    source: 'gov-24-expulsion',
    appraisalSource: 'gov-24-expulsion',
  }),
  // Organisational handling (yellow dots): periods from the decision.
  row({
    kind: 'admonishment',
    family: 'organisational',
    severity: 5,
    from: 'decision',
    term: { type: 'months', months: 6 },
    blocks: ['promotion', 'commendation'],
    appraisal: [{ years: [0, 0], effect: 'not-excellent' }],
    source: 'selection-24',
    appraisalSource: 'appraisal-28-29',
  }),
  row({
    kind: 'post-adjustment',
    family: 'organisational',
    severity: 6,
    from: 'decision',
    term: { type: 'months', months: 12 },
    blocks: ['promotion'],
    appraisal: [{ years: [0, 0], effect: 'not-excellent' }],
    source: 'org-handling',
    appraisalSource: 'appraisal-28-29',
  }),
  row({
    kind: 'removal-from-post',
    family: 'organisational',
    severity: 7,
    from: 'decision',
    term: { type: 'months', months: 12 },
    blocks: ['promotion', 'leadership-post'],
    appraisal: [{ years: [0, 0], effect: 'no-grade' }],
    source: 'org-handling',
    appraisalSource: 'appraisal-28-29',
  }),
  row({
    kind: 'ordered-resignation',
    family: 'organisational',
    severity: 7,
    from: 'decision',
    term: { type: 'months', months: 12 },
    blocks: ['promotion', 'leadership-post'],
    appraisal: [{ years: [0, 0], effect: 'no-grade' }],
    source: 'org-handling',
    appraisalSource: 'appraisal-28-29',
  }),
  row({
    kind: 'demotion',
    family: 'organisational',
    severity: 8,
    from: 'decision',
    term: { type: 'months', months: 24 },
    blocks: ['promotion'],
    appraisal: [{ years: [0, 0], effect: 'no-grade' }],
    source: 'org-handling',
    appraisalSource: 'appraisal-28-29',
  }),
  // Talks and the like: no influence period in national rules; a note in reviews, and they count
  // toward warnings as yellow dots.
  ...(
    [
      'reminder-talk',
      'criticism-education',
      'ordered-self-examination',
      'circulated-criticism',
      'unit-problem-clue',
    ] as const
  ).map((kind): Measure =>
    row({
      kind,
      family: 'talk',
      severity: 1,
      from: 'decision',
      term: { type: 'none' },
      blocks: [],
      appraisal: [],
      source: 'no-national-rule',
      appraisalSource: 'no-national-rule',
    }),
  ),
];

const BY_KIND = new Map(MEASURES.map((m) => [m.kind, m]));

export function measureFor(kind: string): Measure | undefined {
  return BY_KIND.get(kind);
}
