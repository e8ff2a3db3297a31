import { explain, formatDate, opinionText, PURPOSE_LABELS, type Vocabulary } from '../../../core/rules/explain.ts';
import type { Locale } from '../../../core/model/messages.ts';
import type { ReviewPurpose } from '../../../core/rules/reasons.ts';
import type { ReviewResult } from '../../../core/rules/review.ts';
import { yearOfRequest } from './request.ts';

/**
 * The reply letter's text (党风廉政意见回复), once, for both the printed page and the Word file:
 * each person with unit and post, the opinion in the wording officers use, and for anything but
 * "no objection" the reasons with their rules and until-dates.
 */

export interface LetterPerson {
  /** Name as found (or as the request letter gave it when unresolved). */
  name: string;
  /** "市财政局 副局长"; empty when the person was not resolved. */
  unitPost: string;
  opinion: string;
  reasons: string[];
}

export interface Letter {
  title: string;
  to: string;
  intro: string;
  people: LetterPerson[];
  closing: string;
  date: string;
}

export interface LetterInput {
  result: ReviewResult;
  /** What the request letter said for each row (a pick replaces the query with an id). */
  asked: readonly string[];
  letterNo: string;
  requester: string;
  repliedOn: string;
  unitName: (code: string) => string;
  vocab: Vocabulary;
  locale: Locale;
  /** The page's message catalogue (review_letter* keys), so the wording lives in _locales. */
  text: {
    subject: (firstName: string, count: number) => string;
    subjectOne: (name: string) => string;
    subjectNone: (count: number) => string;
    intro: (letterNo: string, asOf: string, count: number, scope: string) => string;
    ambiguous: (count: number) => string;
    notFound: () => string;
    closing: () => string;
  };
}

/** "2018年度考核" / "the annual appraisal for 2018": the purpose with the year asked about, if any. */
export function purposeScope(purpose: ReviewPurpose, year: number | undefined, locale: Locale): string {
  const zh = locale === 'zh-CN';
  const label = zh ? PURPOSE_LABELS[purpose].zh : PURPOSE_LABELS[purpose].en;
  if (year === undefined) return label;
  return zh ? `${year}年度${label.replace(/^年度/, '')}` : `${label} for ${year}`;
}

export function letterOf(input: LetterInput): Letter {
  const { result, locale, text } = input;
  const zh = locale === 'zh-CN';
  const year = yearOfRequest(result.request);
  const scope = purposeScope(result.request.purpose, year, locale);
  const first = result.people.find((p) => p.match === 'found');
  const count = result.people.length;
  return {
    title: first?.match !== 'found' ? text.subjectNone(count) : count === 1 ? text.subjectOne(first.name) : text.subject(first.name, count),
    to: `${input.requester}${zh ? '：' : ','}`,
    intro: text.intro(input.letterNo, formatDate(result.request.asOf, locale), count, scope),
    people: result.people.map((p, i): LetterPerson => {
      if (p.match === 'found') {
        return {
          name: p.name,
          unitPost: `${input.unitName(p.unitCode)} ${p.post}`,
          opinion: opinionText(p.opinion, result.request.purpose, locale, year),
          reasons: p.opinion === 'no-objection' ? [] : p.reasons.map((r) => explain(r, locale, input.vocab)),
        };
      }
      const name = input.asked[i] ?? p.query;
      return { name, unitPost: '', opinion: p.match === 'ambiguous' ? text.ambiguous(p.candidates.length) : text.notFound(), reasons: [] };
    }),
    closing: text.closing(),
    date: formatDate(input.repliedOn, locale),
  };
}

/** A file name for the Word letter: file systems refuse / \ : * ? " < > |, which 函号 sometimes hold. */
export function wordFileName(base: string): string {
  return `${base.replace(/[\\/:*?"<>|]/g, '_').trim()}.docx`;
}
