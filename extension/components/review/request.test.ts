import { describe, expect, test } from 'vitest';
import { splitPeople } from '../../../core/workflow/review-input.ts';
import { checkDraft, type RequestDraft } from './request.ts';

const draft = (over: Partial<RequestDraft> = {}): RequestDraft => ({
  letterNo: '组干函〔2019〕3号',
  requester: '市委组织部',
  received: '2019-01-08',
  purpose: 'annual-appraisal',
  year: '2018',
  asOf: '2019-01-10',
  people: '张伟',
  ...over,
});

describe('the review form', () => {
  test('a pasted list splits on lines and on 、，, ; in either width, dropping blanks', () => {
    expect(splitPeople('张伟、欧阳芳，王五,赵六；钱七;孙八\n\n  C001  \r\n')).toEqual([
      '张伟',
      '欧阳芳',
      '王五',
      '赵六',
      '钱七',
      '孙八',
      'C001',
    ]);
    expect(splitPeople(' \n、 ')).toEqual([]);
  });

  test('a complete letter becomes the request the rules read, with the letter’s own fields', () => {
    expect(checkDraft(draft(), 'zh-CN')).toEqual({
      ok: true,
      request: { purpose: 'annual-appraisal', year: 2018, asOf: '2019-01-10', people: ['张伟'] },
      letterNo: '组干函〔2019〕3号',
      requester: '市委组织部',
      received: '2019-01-08',
    });
    // Promotion asks about no year, whatever is left in the year box.
    expect(checkDraft(draft({ purpose: 'promotion', year: 'x' }), 'zh-CN')).toMatchObject({
      ok: true,
      request: { purpose: 'promotion' },
    });
  });

  test('each wrong field gets its own message, in the user language', () => {
    const r = checkDraft(
      draft({ letterNo: ' ', received: '2019/1/8', year: '2020', asOf: '2019-13-01', people: '、' }),
      'zh-CN',
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.letterNo).toBe('来函文号：不能为空');
    expect(r.errors.received).toBe('收文日期：日期格式不正确（应为 2019-06-12）');
    expect(r.errors.asOf).toContain('截止日期');
    expect(r.errors.people).toContain('审查对象');
    const year = checkDraft(draft({ year: '2020' }), 'en');
    expect(year).toEqual({ ok: false, errors: { year: 'Year: must be a year no later than the as-of date' } });
    const missing = checkDraft(draft({ year: '' }), 'zh-CN');
    expect(missing.ok ? undefined : missing.errors.year).toContain('考核年度');
  });
});
