import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../model/config.ts';
import { explain, refsOf } from './explain.ts';
import { clue, flag, rec, subject } from './fixtures.ts';
import { influencePeriods } from './periods.ts';
import { reviewSubject } from './review.ts';
import { citation, SOURCES } from './sources.ts';
import { summarise } from './summarise.ts';
import { earlyWarnings } from './warnings.ts';

const config = defaultConfig();

describe('sentences name the measure, the dates and the source', () => {
  it('an influence period, in English', () => {
    const [p] = influencePeriods([rec('r1', 'party-warning', '2018-06-15')], '2018-07-01');
    expect(explain(p!, 'en')).toBe(
      'Party warning (record r1): influence period from 2018-06-15 to 2019-06-14; no promotion in post or rank; no commendation or award (CPC Regulations on Disciplinary Sanctions, art. 10).',
    );
  });

  it('combined government sanctions say how they were combined and cite art. 15', () => {
    const [p] = influencePeriods(
      [rec('a', 'gov-warning', '2018-01-10'), rec('b', 'gov-warning', '2018-03-01')],
      '2018-04-01',
    );
    expect(explain(p!, 'zh-CN')).toBe(
      '政务警告2次（记录 a、b）合并影响期12个月自2018年1月10日至2019年1月9日，期间不得提拔或晋升职务、职级，不得评先评优（《公职人员政务处分法》第十五条）。',
    );
  });

  it('a permanent measure says so', () => {
    const [p] = influencePeriods([rec('x', 'gov-expulsion', '2018-01-10')], '2030-01-01');
    expect(explain(p!, 'zh-CN')).toContain('自2018年1月10日起长期有效');
    expect(explain(p!, 'zh-CN')).toContain('不得再录用为公务员');
  });

  it('a party probation names the end of the probation as well as of the period', () => {
    const [p] = influencePeriods([rec('r1', 'party-probation', '2018-06-15', { probationMonths: 24 })], '2018-07-01');
    expect(explain(p!, 'zh-CN')).toBe(
      '留党察看（记录 r1）影响期自2018年6月15日至2022年6月14日（察看期至2020年6月14日），期间不得提拔或晋升职务、职级，不得评先评优，不得担任与原任职务相当或者更高的职务，无党内表决权、选举权和被选举权（《中国共产党纪律处分条例》第十二条）。',
    );
  });

  it('an open clue says what its stage means for the reply', () => {
    const at = (stage: 'inquiry' | 'case') =>
      ({
        code: 'investigation',
        clue: 'k1',
        stage,
        since: '2019-05-01',
        source: 'appraisal-28-investigation',
      }) as const;
    expect(explain(at('case'), 'zh-CN')).toBe(
      '问题线索 k1 自2019年5月1日处于立案审查调查阶段，结案前不确定考核等次，建议暂缓（《公务员考核规定》第二十八条）。',
    );
    expect(explain(at('inquiry'), 'en')).toBe(
      'Clue k1 at the inquiry stage since 2019-05-01: not yet under verification: noted (Provisions on the Appraisal of Civil Servants, art. 28).',
    );
  });

  it('each warning names its trigger', () => {
    const s = subject(
      [
        rec('y1', 'reminder-talk', '2019-01-05'),
        rec('y2', 'admonishment', '2019-03-01', { rectificationDue: '2019-04-30' }),
      ],
      {
        clues: [clue('k1', 'preliminary', '2019-02-01')],
        flags: [flag('f1', 'substantiated', '2019-02-10')],
      },
    );
    const zh = earlyWarnings(s, '2019-05-02', config.warningRules).map((w) => explain(w, 'zh-CN'));
    expect(zh).toEqual([
      '预警：问题线索 k1 处于初步核实阶段（2019年2月1日受理）（本工作区预警规则）。',
      '预警：12个月内2个黄点（记录 y1、y2），持续至2020年1月4日（本工作区预警规则）。',
      '预警：负面清单事项“组织或参与赌博”经核查属实（f1，2019年2月10日）（本工作区预警规则）。',
      '预警：黄点（记录 y2）整改期限2019年4月30日已过，尚未完成整改（本工作区预警规则）。',
    ]);
    const en = earlyWarnings(s, '2019-05-02', config.warningRules).map((w) => explain(w, 'en'));
    expect(en[1]).toBe(
      'Warning: 2 yellow dots within 12 months (records y1, y2), until 2020-01-04 (this workspace’s warning rules).',
    );
    expect(en[2]).toContain('“Gambling” substantiated');
  });

  it('given the dossier, sentences name records by 文号, date and kind, clues by summary and warnings by their rule: never an id', () => {
    const s = subject(
      [
        rec('y1', 'reminder-talk', '2019-01-05'),
        rec('y2', 'admonishment', '2019-03-01', { rectificationDue: '2019-04-30', docNumber: '澜纪诫〔2019〕7号' }),
      ],
      {
        clues: [clue('k1', 'preliminary', '2019-02-01')],
        flags: [flag('f1', 'substantiated', '2019-02-10')],
      },
    );
    const vocab = { refs: refsOf(s) };
    const zh = earlyWarnings(s, '2019-05-02', config.warningRules).map((w) => explain(w, 'zh-CN', vocab));
    expect(zh).toEqual([
      `预警：问题线索“${s.clues[0]!.summary}”处于初步核实阶段（2019年2月1日受理）（本工作区预警规则“在办线索预警”）。`,
      '预警：12个月内2个黄点（2019年1月5日提醒谈话、2019年3月1日诫勉（澜纪诫〔2019〕7号）），持续至2020年1月4日（本工作区预警规则“黄点累计预警”）。',
      '预警：负面清单事项“组织或参与赌博”经核查属实（2019年2月10日）（本工作区预警规则“负面清单查实预警”）。',
      '预警：黄点（2019年3月1日诫勉（澜纪诫〔2019〕7号））整改期限2019年4月30日已过，尚未完成整改（本工作区预警规则“整改逾期预警”）。',
    ]);
    const en = earlyWarnings(s, '2019-05-02', config.warningRules).map((w) => explain(w, 'en', vocab));
    expect(en[1]).toBe(
      'Warning: 2 yellow dots within 12 months (Reminder talk on 2019-01-05, Admonishment on 2019-03-01 (澜纪诫〔2019〕7号)), until 2020-01-04 (this workspace’s repeated-yellow-dot warning rule).',
    );
    for (const text of [...zh, ...en]) expect(text).not.toMatch(/\b(y1|y2|k1|f1)\b/);
    const [p] = influencePeriods(
      [rec('r1', 'party-warning', '2018-06-15', { docNumber: '张纪发〔2018〕12号' })],
      '2018-07-01',
    );
    expect(
      explain(p!, 'zh-CN', {
        refs: refsOf({
          records: [rec('r1', 'party-warning', '2018-06-15', { docNumber: '张纪发〔2018〕12号' })],
          clues: [],
        }),
      }),
    ).toMatch(/^党内警告（张纪发〔2018〕12号）影响期自2018年6月15日/);
  });

  it('every reason a busy dossier produces reads cleanly in both locales and cites a known source', () => {
    const s = subject(
      [
        rec('a', 'party-probation', '2018-02-01', { probationMonths: 24 }),
        rec('b', 'gov-demerit', '2018-03-01'),
        rec('c', 'demotion', '2018-04-01'),
        rec('d', 'reminder-talk', '2018-05-01', { rectificationDue: '2018-06-01' }),
        rec('e', 'custom-kind', '2018-05-02', { colour: 'yellow' }),
      ],
      {
        clues: [clue('k1', 'case', '2018-05-03'), clue('k2', 'received', '2018-05-03')],
        flags: [flag('f1', 'substantiated', '2018-05-04')],
      },
    );
    const purposes = [
      { purpose: 'annual-appraisal', year: 2018 },
      { purpose: 'promotion' },
      { purpose: 'commendation' },
      { purpose: 'reserve-cadre' },
    ] as const;
    const sources = Object.keys(SOURCES) as (keyof typeof SOURCES)[];
    for (const p of purposes) {
      const { reasons } = reviewSubject(s, { ...p, asOf: '2018-09-01', people: [] }, config);
      expect(reasons.length).toBeGreaterThan(4);
      for (const r of reasons) {
        for (const locale of ['zh-CN', 'en'] as const) {
          const text = explain(r, locale);
          expect(text).not.toMatch(/undefined|null|NaN/);
          expect(sources.some((id) => text.includes(citation(id, locale)))).toBe(true);
        }
      }
    }
  });
});

describe('summarise: what the local index stores', () => {
  it('gives the seed person a D with the reason, the running period and no warnings while the period runs', () => {
    const s = subject([
      rec('r1', 'party-warning', '2018-06-15'),
      rec('r2', 'commendation', '2017-01-01'),
      rec('r3', 'award', '2018-01-01', {
        status: 'revoked',
        revoked: { by: 'u', at: '2018-02-01T00:00:00Z', reason: '重复录入' },
      }),
    ]);
    expect(summarise(s, '2018-08-01', config, 'zh-CN')).toEqual({
      dots: { red: 1, blue: 0, yellow: 0, black: 1 },
      grade: 'D',
      gradeReason:
        '等次D：处于党纪政务处分影响期内：党内警告，影响期至2019年6月14日（《中国共产党纪律处分条例》第十条）。',
      warnings: [],
      flags: 0,
      // The index is read by people: no record ids (this record has no 文号 to name it by).
      periods: [
        '党内警告影响期自2018年6月15日至2019年6月14日，期间不得提拔或晋升职务、职级，不得评先评优（《中国共产党纪律处分条例》第十条）。',
      ],
    });
    expect(summarise(s, '2019-06-15', config, 'en')).toMatchObject({ grade: 'B', periods: [], warnings: [] });
  });

  it("says when a sanction's influence period is over (the card shows it beside the black dot)", () => {
    const s = subject([rec('r1', 'party-warning', '2018-06-15')]);
    expect(summarise(s, '2018-08-01', config, 'zh-CN').endedPeriods).toBeUndefined();
    expect(summarise(s, '2019-06-15', config, 'zh-CN')).toMatchObject({
      dots: { black: 1 },
      periods: [],
      endedPeriods: ['党内警告 2018年6月15日，影响期已满'],
    });
    expect(summarise(s, '2019-06-15', config, 'en').endedPeriods).toEqual([
      'Party warning 2018-06-15: influence period over',
    ]);
  });
});
