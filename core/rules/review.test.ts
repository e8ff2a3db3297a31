import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { describeIssues } from '../model/messages.ts';
import { defaultConfig } from '../model/config.ts';
import { explain, opinionText } from './explain.ts';
import { cadre, clue, flag, rec, subject } from './fixtures.ts';
import type { SubjectData } from './reasons.ts';
import { reviewBatch, reviewRequestSchema, reviewSubject, type ReviewRequest } from './review.ts';

const config = defaultConfig();

/** The seed: "经核查，张某2018年6月受到党内警告处分，2018年度不能评先评优。" */
const zhang = subject([rec('r-zhang', 'party-warning', '2018-06-15', { docNumber: '张纪发〔2018〕12号' })]);

type Ask<T = ReviewRequest> = T extends unknown ? Omit<T, 'people'> : never;
const review = (s: SubjectData, request: Ask) => reviewSubject(s, { ...request, people: [] } as ReviewRequest, config);

describe('the seed case: a 党内警告 approved in June 2018', () => {
  it('objects to an 优秀 grade in the 2018 annual appraisal, and says why', () => {
    const o = review(zhang, { purpose: 'annual-appraisal', year: 2018, asOf: '2019-08-20' });
    expect(o.opinion).toBe('objection');
    expect(o.reasons[0]).toMatchObject({
      code: 'appraisal',
      effect: 'not-excellent',
      year: 2018,
      records: ['r-zhang'],
    });
    expect(explain(o.reasons[0]!, 'zh-CN')).toBe(
      '2018年6月15日受到党内警告（记录 r-zhang），2018年度考核不得确定为优秀等次，不能评先评优（《公务员考核规定》第二十八条、第二十九条）。',
    );
  });

  it('objects to 2018 评先评优', () => {
    expect(review(zhang, { purpose: 'commendation', year: 2018, asOf: '2019-08-20' }).opinion).toBe('objection');
  });

  it('blocks promotion until 2019-06-14 and not a day longer', () => {
    const before = review(zhang, { purpose: 'promotion', asOf: '2019-06-14' });
    expect(before.opinion).toBe('objection');
    expect(before.reasons[0]).toMatchObject({ code: 'period', applies: 'promotion', until: '2019-06-14' });
    expect(explain(before.reasons[0]!, 'zh-CN')).toBe(
      '党内警告（记录 r-zhang）影响期自2018年6月15日至2019年6月14日，期间不得提拔或晋升职务、职级（《中国共产党纪律处分条例》第十条；《党政领导干部选拔任用工作条例》第二十四条）。',
    );
    const after = review(zhang, { purpose: 'promotion', asOf: '2019-06-15' });
    expect(after.opinion).toBe('no-objection');
    expect(explain(after.reasons[0]!, 'zh-CN')).toBe('暂未发现影响提拔使用的问题。');
  });

  it('has no bearing on the 2019 annual appraisal', () => {
    const o = review(zhang, { purpose: 'annual-appraisal', year: 2019, asOf: '2020-01-10' });
    expect(o.opinion).toBe('no-objection');
    expect(explain(o.reasons[0]!, 'en')).toBe('Nothing found that affects the 2019 annual appraisal.');
  });
});

describe('opinions per purpose', () => {
  it('reserve cadre: the same periods rule a person out as for promotion', () => {
    expect(review(zhang, { purpose: 'reserve-cadre', asOf: '2019-01-01' }).opinion).toBe('objection');
    expect(review(zhang, { purpose: 'reserve-cadre', asOf: '2019-06-15' }).opinion).toBe('no-objection');
  });

  it('commendation: a running sanction objects even when the appraisal year is clear', () => {
    const s = subject([rec('d', 'gov-major-demerit', '2017-12-20')]);
    const o = review(s, { purpose: 'commendation', year: 2020, asOf: '2019-03-01' });
    expect(o.opinion).toBe('objection');
    expect(o.reasons[0]).toMatchObject({ code: 'period', applies: 'commendation', until: '2019-06-19' });
  });

  it('promotion: a post adjustment blocks it but not the pay step; a running period that does not block is only a note', () => {
    const s = subject([rec('p', 'post-adjustment', '2019-01-01')]);
    expect(review(s, { purpose: 'promotion', asOf: '2019-12-31' }).opinion).toBe('objection');
    expect(review(s, { purpose: 'commendation', asOf: '2019-12-31' }).reasons[0]).toMatchObject({
      code: 'appraisal',
      effect: 'not-excellent',
    });
    const r = review(s, { purpose: 'commendation', year: 2020, asOf: '2019-12-31' });
    expect(r.opinion).toBe('note');
    expect(r.reasons[0]).toMatchObject({ code: 'period', kind: 'post-adjustment' });
    expect(r.reasons[0]).not.toHaveProperty('applies');
  });

  it('an open clue at 初核 or 立案 postpones; at 谈话函询 it is a note', () => {
    const p = review(subject([], { clues: [clue('k1', 'preliminary', '2019-05-01')] }), {
      purpose: 'promotion',
      asOf: '2019-06-01',
    });
    expect(p.opinion).toBe('postpone');
    expect(explain(p.reasons[0]!, 'zh-CN')).toBe(
      '问题线索 k1 自2019年5月1日处于初步核实阶段，建议暂缓，待查清后再作答复（党风廉政意见回复：有问题线索正在核查的，建议暂缓，待查清后再作答复）。',
    );
    const c = review(subject([], { clues: [clue('k2', 'case', '2019-05-01')] }), {
      purpose: 'annual-appraisal',
      year: 2018,
      asOf: '2019-06-01',
    });
    expect(c.opinion).toBe('postpone');
    expect(c.reasons[0]).toMatchObject({ code: 'investigation', stage: 'case', source: 'appraisal-28-investigation' });
    expect(
      review(subject([], { clues: [clue('k3', 'inquiry', '2019-05-01')] }), {
        purpose: 'promotion',
        asOf: '2019-06-01',
      }).opinion,
    ).toBe('note');
    expect(
      review(subject([], { clues: [clue('k4', 'closed', '2019-05-01')] }), { purpose: 'promotion', asOf: '2019-06-01' })
        .opinion,
    ).toBe('no-objection');
  });

  it('an objection outweighs a postponement, and both reasons are given', () => {
    const s = subject([rec('b', 'party-warning', '2019-01-01')], { clues: [clue('k1', 'case', '2019-05-01')] });
    const o = review(s, { purpose: 'promotion', asOf: '2019-06-01' });
    expect(o.opinion).toBe('objection');
    expect(o.reasons.map((r) => r.code)).toEqual(['period', 'investigation']);
  });

  it('a recent talk, a substantiated flag and a workspace-added kind are notes', () => {
    expect(
      review(subject([rec('t', 'reminder-talk', '2019-03-01')]), { purpose: 'promotion', asOf: '2019-06-01' }),
    ).toMatchObject({
      opinion: 'note',
      reasons: [{ code: 'note-measure', kind: 'reminder-talk' }],
    });
    expect(
      review(subject([rec('t', 'reminder-talk', '2018-03-01')]), { purpose: 'promotion', asOf: '2019-06-01' }).opinion,
    ).toBe('no-objection');
    expect(
      review(subject([], { flags: [flag('f', 'substantiated', '2019-03-01')] }), {
        purpose: 'promotion',
        asOf: '2019-06-01',
      }).reasons[0],
    ).toMatchObject({
      code: 'warning',
      trigger: 'substantiated-flag',
    });
    expect(
      review(subject([rec('x', 'local-sanction', '2019-03-01', { colour: 'black' })]), {
        purpose: 'promotion',
        asOf: '2019-06-01',
      }),
    ).toMatchObject({
      opinion: 'note',
      reasons: [{ code: 'unknown-kind', kind: 'local-sanction' }],
    });
  });

  it('for an annual appraisal, talks in that year are noted', () => {
    const s = subject([rec('t', 'criticism-education', '2018-11-01')]);
    expect(review(s, { purpose: 'annual-appraisal', year: 2018, asOf: '2019-08-01' }).opinion).toBe('note');
    expect(review(s, { purpose: 'annual-appraisal', year: 2017, asOf: '2019-08-01' }).opinion).toBe('no-objection');
  });
});

describe('a batch', () => {
  const data = {
    subjects: [
      { ...zhang, cadre: cadre('c1', '张某', { aliases: ['张三'] }) },
      subject([], { cadre: cadre('c2', '王伟', { unitCode: 'U02', post: '科长' }) }),
      subject([], { cadre: cadre('c3', '王伟', { unitCode: 'U03', post: '副科长' }) }),
      subject([], { cadre: cadre('c4', '李四') }),
    ],
  };
  const result = reviewBatch(
    { purpose: 'promotion', asOf: '2019-01-01', people: ['张某', '王伟', '赵六', 'c3', ' 张三 ', '李四'] },
    data,
    config,
  );

  it('answers every query in order, resolving ids, names and aliases', () => {
    expect(result.people.map((p) => [p.query, p.match, p.match === 'found' ? p.opinion : null])).toEqual([
      ['张某', 'found', 'objection'],
      ['王伟', 'ambiguous', null],
      ['赵六', 'not-found', null],
      ['c3', 'found', 'no-objection'],
      [' 张三 ', 'found', 'objection'],
      ['李四', 'found', 'no-objection'],
    ]);
  });

  it('reports a name that fits several cadres with every candidate, never a guess', () => {
    expect(result.people[1]).toEqual({
      query: '王伟',
      match: 'ambiguous',
      candidates: [
        { cadreId: 'c2', name: '王伟', unitCode: 'U02', post: '科长' },
        { cadreId: 'c3', name: '王伟', unitCode: 'U03', post: '副科长' },
      ],
    });
  });

  it('counts opinions', () => {
    expect(result.counts).toEqual({
      'no-objection': 2,
      note: 0,
      postpone: 0,
      objection: 2,
      ambiguous: 1,
      'not-found': 1,
    });
  });
});

describe('the opinion line of a reply', () => {
  it('reads as officers write it, per opinion and purpose', () => {
    expect(opinionText('objection', 'annual-appraisal', 'zh-CN', 2018)).toBe('对其2018年度考核等次有不同意见。');
    expect(opinionText('objection', 'promotion', 'zh-CN')).toBe('不宜提拔使用。');
    expect(opinionText('objection', 'commendation', 'en', 2018)).toBe('Should not be commended for 2018.');
    expect(opinionText('postpone', 'promotion', 'zh-CN')).toBe('建议暂缓，待查清后再作答复。');
    expect(opinionText('no-objection', 'reserve-cadre', 'zh-CN')).toBe('暂未发现影响列为后备干部的问题。');
    expect(opinionText('no-objection', 'annual-appraisal', 'zh-CN', 2018)).toBe('暂未发现影响2018年度考核的问题。');
    expect(opinionText('no-objection', 'commendation', 'zh-CN', 2018)).toBe('暂未发现影响2018年度评先评优的问题。');
    expect(opinionText('note', 'promotion', 'en')).toBe('No objection, with the following to note.');
  });
});

describe('review request validation', () => {
  it('accepts each purpose and rejects bad input naming the field in both locales', () => {
    const ok: ReviewRequest = v.parse(reviewRequestSchema, {
      purpose: 'annual-appraisal',
      year: 2018,
      asOf: '2019-08-20',
      people: [' 张某 '],
    });
    expect(ok.people).toEqual(['张某']);
    expect(v.safeParse(reviewRequestSchema, { purpose: 'promotion', asOf: '2019-08-20', people: ['c1'] }).success).toBe(
      true,
    );
    const errors = (input: unknown, locale: 'zh-CN' | 'en') => {
      const r = v.safeParse(reviewRequestSchema, input);
      return r.success ? [] : describeIssues(r.issues, locale).map((e) => e.message);
    };
    expect(errors({ purpose: 'annual-appraisal', year: 2020, asOf: '2019-08-20', people: ['张某'] }, 'zh-CN')).toEqual([
      '考核年度：应为不晚于截止日期所在年份的年度',
    ]);
    expect(errors({ purpose: 'bonus', asOf: '2019-08-20', people: ['张某'] }, 'en')).toEqual([
      'Purpose: must be annual appraisal, promotion, commendation or reserve cadre',
    ]);
    expect(errors({ purpose: 'promotion', asOf: '2019-02-30', people: [] }, 'en')).toEqual([
      'As of: is not a valid date (expected 2019-06-12)',
      'People: is required',
    ]);
  });
});
