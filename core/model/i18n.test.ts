import { describe, expect, it } from 'vitest';
import { aside, formatDate, inBoth, labelled, localised, pick } from './i18n.ts';

describe('core text in both locales', () => {
  it('picks a label and writes dates the way each locale does', () => {
    expect(pick({ zh: '党内警告', en: 'Party warning' }, 'zh-CN')).toBe('党内警告');
    expect(pick({ zh: '党内警告', en: 'Party warning' }, 'en')).toBe('Party warning');
    expect(formatDate('2018-06-05', 'zh-CN')).toBe('2018年6月5日');
    expect(formatDate('2018-06-05', 'en')).toBe('2018-06-05');
    expect(labelled('决定日期', '日期不能晚于今天', 'zh-CN')).toBe('决定日期：日期不能晚于今天');
    expect(labelled('Decision date', 'is in the future', 'en')).toBe('Decision date: is in the future');
    expect(`记录${aside('r1', 'zh-CN')}`).toBe('记录（r1）');
    expect(`record${aside('r1', 'en')}`).toBe('record (r1)');
  });

  it('reads a sentence table per locale, and both at once', () => {
    const say = localised({
      'zh-CN': { count: (n: number) => `${n}个黄点` },
      en: { count: (n) => `${n} yellow dots` },
    });
    expect(say('zh-CN').count(2)).toBe('2个黄点');
    expect(inBoth((l) => say(l).count(3))).toEqual({ zh: '3个黄点', en: '3 yellow dots' });
  });

  it('holds the English table to the Chinese one (checked by tsc)', () => {
    // @ts-expect-error: the English table lacks a sentence.
    localised({ 'zh-CN': { a: '甲', b: '乙' }, en: { a: 'A' } });
    // @ts-expect-error: a sentence takes other arguments.
    localised({ 'zh-CN': { f: (n: number) => `${n}` }, en: { f: (s: string) => s } });
    // @ts-expect-error: the English table has a sentence the Chinese one does not.
    localised({ 'zh-CN': { a: '甲' }, en: { a: 'A', b: 'B' } });
  });
});
