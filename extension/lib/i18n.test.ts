import { describe, expect, test } from 'vitest';
import zh from '../public/_locales/zh_CN/messages.json';
import en from '../public/_locales/en/messages.json';
import { detectLocale, format } from './i18n.ts';

describe('UI messages', () => {
  test('English is complete: the same keys and the same placeholders as the zh-CN default', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
    for (const [key, entry] of Object.entries(zh) as [string, { placeholders?: object }][]) {
      const other = (en as Record<string, { placeholders?: object }>)[key];
      expect(Object.keys(other?.placeholders ?? {}).sort(), key).toEqual(Object.keys(entry.placeholders ?? {}).sort());
    }
  });

  test('no message is blank in either language', () => {
    for (const catalogue of [zh, en] as Record<string, { message: string }>[]) {
      for (const [key, entry] of Object.entries(catalogue)) expect(entry.message.trim(), key).not.toBe('');
    }
  });

  test("substitutions follow browser.i18n's rules: named placeholders, $1…$9, and $$", () => {
    const entry = {
      message: '$ARG1$ 于 $ARG2$ 撤销：$ARG3$ ($$)',
      placeholders: { arg1: { content: '$1' }, arg2: { content: '$2' }, arg3: { content: '$3' } },
    };
    expect(format(entry, ['bob', '2026-01-02', '重复'])).toBe('bob 于 2026-01-02 撤销：重复 ($)');
    expect(format({ message: '$1 项' }, [3])).toBe('3 项');
    expect(format(undefined, [])).toBeUndefined();
  });

  test('the language follows the browser: first supported preference, zh-CN otherwise', () => {
    expect(detectLocale(['en-GB', 'zh-CN'])).toBe('en');
    expect(detectLocale(['zh-TW'])).toBe('zh-CN');
    expect(detectLocale(['fr-FR', 'en-US'])).toBe('en');
    expect(detectLocale(['fr-FR'])).toBe('zh-CN');
    expect(detectLocale([])).toBe('zh-CN');
  });
});
