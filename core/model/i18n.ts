import { parts, type IsoDate } from '../dates.ts';

/**
 * How core words things in the user's language. Core writes text for the extension, the server
 * and the CLI alike, so it cannot use the extension's catalogue (browser-only `_locales`); it has
 * this instead, in two forms:
 *
 * - a `Label` ({ zh, en }) for a name — a kind, a stage, a field, a rule's source — read with
 *   `pick`. Labels are data (a workspace edits its kinds and negative list), so they stay pairs;
 * - a table of sentences per locale, `localised({ 'zh-CN': {...}, en: {...} })`, for text with
 *   arguments. The Chinese table sets the type and TypeScript holds the English one to the same
 *   keys and arguments, so no locale can miss a sentence; each table writes its own word order.
 *
 * Everything core says in a language goes through these; `pick` is the only place that compares
 * a locale.
 */

export type Locale = 'zh-CN' | 'en';

export interface Label {
  zh: string;
  en: string;
}

export function pick(label: Label, locale: Locale): string {
  return locale === 'zh-CN' ? label.zh : label.en;
}

/** The sentences of one job in both locales; returns the reader for a locale. */
export function localised<T extends object>(tables: { 'zh-CN': T; en: NoInfer<T> }): (locale: Locale) => T {
  return (locale) => tables[locale];
}

const WORDS = localised({
  'zh-CN': {
    /** As documents write dates: 2018年6月15日 (no leading zeros). */
    date: (date: IsoDate) => {
      const [y, m, d] = parts(date);
      return `${y}年${m}月${d}日`;
    },
    labelled: (label: string, text: string) => `${label}：${text}`,
    aside: (text: string) => `（${text}）`,
  },
  en: {
    /** ISO: unambiguous whatever order of day and month the reader is used to. */
    date: (date) => date,
    labelled: (label, text) => `${label}: ${text}`,
    aside: (text) => ` (${text})`,
  },
});

/** The one way core writes a civil date: "2018年6月15日" / "2018-06-15". */
export const formatDate = (date: IsoDate, locale: Locale): string => WORDS(locale).date(date);

/** Something said of a named thing: "决定日期：日期不能晚于今天" / "Decision date: is in the future". */
export const labelled = (label: string, text: string, locale: Locale): string => WORDS(locale).labelled(label, text);

/** A remark in brackets after what it qualifies: "（澜纪发〔2018〕12号）" / " (澜纪发〔2018〕12号)". */
export const aside = (text: string, locale: Locale): string => WORDS(locale).aside(text);

/** Both locales at once, for text stored as written (an import report, a reply draft). */
export const inBoth = (say: (locale: Locale) => string): Label => ({ zh: say('zh-CN'), en: say('en') });
