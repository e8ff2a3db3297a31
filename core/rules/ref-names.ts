import type { IsoDate } from '../dates.ts';
import { aside, formatDate, localised, pick, type Locale } from '../model/i18n.ts';
import { kindLabel, WARNING_RULE_NAMES, type RefLookup, type Vocabulary } from './labels.ts';
import type { Reason } from './reasons.ts';
import { citation } from './sources.ts';

/**
 * How explain() names what a reason rests on: with the dossier at hand (`Vocabulary.refs`) a
 * record by its 文号 or its date and kind, a clue by its summary, a warning by its rule's name;
 * without it, by id, so the reasons stay traceable.
 */

/** A lookup over the subject's own records and clues (what summarise() has at hand). */
export function refsOf(subject: {
  records: readonly { id: string; kind: string; decisionDate: IsoDate; docNumber?: string | undefined }[];
  clues: readonly { id: string; summary: string }[];
}): RefLookup {
  // Built on first use: most subjects' sentences (no period, no warning) never look anything up.
  let records: Map<string, { kind: string; date: IsoDate; docNumber?: string | undefined }> | undefined;
  let clues: Map<string, { summary: string }> | undefined;
  return {
    record: (id) =>
      (records ??= new Map(
        subject.records.map((r) => [r.id, { kind: r.kind, date: r.decisionDate, docNumber: r.docNumber }]),
      )).get(id),
    clue: (id) => (clues ??= new Map(subject.clues.map((c) => [c.id, { summary: c.summary }]))).get(id),
  };
}

const WORDS = localised({
  'zh-CN': {
    list: '、',
    records: (ids: string, _plural: boolean) => `记录 ${ids}`,
    someRecord: '记录',
    dated: (kind: string, date: string) => `${date}${kind}`,
    rule: (name: string) => `本工作区预警规则“${name}”`,
  },
  en: {
    list: ', ',
    records: (ids, plural) => `record${plural ? 's' : ''} ${ids}`,
    someRecord: 'a record',
    dated: (kind, date) => `${kind} on ${date}`,
    rule: (name) => `this workspace’s ${name}`,
  },
});

export const list = (ids: readonly string[], locale: Locale) => ids.join(WORDS(locale).list);

/** The records a reason rests on, in brackets after the measure: "（记录 r1）", or "（张纪发〔2018〕12号）" with refs. */
export function recordRefs(ids: readonly string[], locale: Locale, vocab: Vocabulary, plural = false): string {
  if (!vocab.refs) return aside(WORDS(locale).records(list(ids, locale), plural), locale);
  const numbers = ids.map((id) => vocab.refs!.record(id)?.docNumber).filter((n): n is string => !!n);
  return numbers.length === 0 ? '' : aside(list(numbers, locale), locale);
}

/** Records named by date and kind (and 文号), for sentences that do not say them already. */
export function datedRecords(
  ids: readonly string[],
  locale: Locale,
  vocab: Vocabulary,
  plural = ids.length > 1,
): string {
  const words = WORDS(locale);
  if (!vocab.refs) return words.records(list(ids, locale), plural);
  return list(
    ids.map((id) => {
      const r = vocab.refs!.record(id);
      if (!r) return words.someRecord;
      const what = words.dated(kindLabel(r.kind, locale, vocab), formatDate(r.date, locale));
      return r.docNumber ? `${what}${aside(r.docNumber, locale)}` : what;
    }),
    locale,
  );
}

/** A clue by its summary (with refs), else its id. */
export function clueRef(ids: readonly string[], locale: Locale, vocab: Vocabulary): string {
  if (!vocab.refs) return list(ids, locale);
  const summaries = ids.map((id) => vocab.refs!.clue(id)?.summary).filter((s): s is string => !!s);
  return list(
    summaries.map((s) => `“${s}”`),
    locale,
  );
}

/** Where a warning comes from: its rule by name when the dossier is known, else the generic source. */
export function warningSource(r: Extract<Reason, { code: 'warning' }>, locale: Locale, vocab: Vocabulary): string {
  if (!vocab.refs || r.source !== 'warning-rules') return citation(r.source, locale);
  return WORDS(locale).rule(pick(WARNING_RULE_NAMES[r.trigger], locale));
}
