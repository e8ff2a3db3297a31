import { aside, formatDate, inBoth, localised, pick, type Label, type Locale } from '../model/i18n.ts';
import type { Clue, DotRecord } from '../model/schemas.ts';
import { explain } from '../rules/explain.ts';
import { periodTerms, type PeriodTerms } from '../rules/period-terms.ts';
import {
  CLUE_CONSEQUENCE,
  EFFECT_LABELS,
  itemLabel,
  kindLabel,
  STAGE_LABELS,
  type Vocabulary,
} from '../rules/labels.ts';
import type { Reason } from '../rules/reasons.ts';
import { citation } from '../rules/sources.ts';

/**
 * The reasons of an integrity-review reply as the letter states them: each record cited the way
 * people cite it — its date, its kind and its 文号 (or, without one, the department that decided
 * it) — never by an id of ours; a clue by the day it was received and where it stands. The
 * wording follows the seed's reply ("经核查，张某2018年6月受到党内警告处分，2018年度不能评先评优")
 * and cites the rule each reason rests on. explain() is the dossier's own wording; this is the
 * letter's, and the review page shows the same sentences the letter will carry.
 */

export interface CitationContext {
  records: ReadonlyMap<string, DotRecord>;
  clues: ReadonlyMap<string, Clue>;
  vocab: Vocabulary;
}

const SAY = localised({
  'zh-CN': {
    join: '、',
    /** A sanction is cited as 处分, as the seed's reply does ("受到党内警告处分"). */
    record: (kind: string, date: string, ref: string, sanction: boolean) =>
      `${date}${sanction && !kind.endsWith('处分') ? `${kind}处分` : kind}（${ref}）`,
    /** "2018年6月15日受到党内警告处分…": the first record's date, then what it was. */
    received: (cited: string) => cited.replace(/^(\d+年\d+月\d+日)/, '$1受到'),
    combined: (months: number) => `，合并影响期${months}个月`,
    period: (refs: string, combined: string, t: PeriodTerms) =>
      `${refs}${combined}，影响期${t.span}${t.probation}，期间${t.blocks}（${t.cited}）。`,
    appraisal: (refs: string, year: number, effect: string, source: string) =>
      `${refs}，${year}年度考核${effect}（${source}）。`,
    investigation: (since: string, stage: string, rule: { consequence: string; source: string } | undefined) =>
      `有问题线索正在办理（${since}受理，现处于${stage}阶段）${rule ? `，${rule.consequence}（${rule.source}）` : ''}。`,
    note: (fact: string, check: string) => `${fact}${check}。`,
    openClue: (since: string, stage: string) => `有问题线索处于${stage}阶段（${since}受理）。`,
    repeatedYellow: (count: number, months: number, refs: string) =>
      `近${months}个月内受到${count}次组织处理（${refs}）。`,
    substantiated: (item: string, since: string) => `反映其“${item}”问题经核查属实（${since}）。`,
    overdue: (refs: string, due: string) => `${refs}要求于${due}前完成整改，至今未完成。`,
  },
  en: {
    join: '; ',
    record: (kind, date, ref) => `${kind} of ${date} (${ref})`,
    received: (cited) => cited,
    combined: (months) => `, combined influence period of ${months} months`,
    period: (refs, combined, t) =>
      `${refs}${combined}: influence period ${t.span}${t.probation}; ${t.blocks} (${t.cited}).`,
    appraisal: (refs, year, effect, source) => `${refs}: ${year} annual appraisal ${effect} (${source}).`,
    investigation: (since, stage, rule) =>
      `A clue received on ${since} is at the ${stage} stage${rule ? `: ${rule.consequence} (${rule.source})` : ''}.`,
    note: (fact, check) => `${fact}${check}.`,
    openClue: (since, stage) => `A clue received on ${since} is at the ${stage} stage.`,
    repeatedYellow: (count, months, refs) => `${count} organisational measures within ${months} months (${refs}).`,
    substantiated: (item, since) => `A report of “${item}” was substantiated (${since}).`,
    overdue: (refs, due) => `${refs} required rectification by ${due}; not done.`,
  },
});

/** "2018年6月15日党内警告处分（市纪发〔2018〕12号）" / "Party warning of 2018-06-15 (市纪发〔2018〕12号)". */
export function recordCitation(r: DotRecord, locale: Locale, vocab: Vocabulary): string {
  const kind = kindLabel(r.kind, locale, vocab);
  return SAY(locale).record(
    kind,
    formatDate(r.decisionDate, locale),
    r.docNumber ?? r.sourceDept,
    r.colour === 'black',
  );
}

function refs(ids: readonly string[], ctx: CitationContext, locale: Locale): string {
  const cited = ids.map((id) => ctx.records.get(id)).filter((r): r is DotRecord => r !== undefined);
  return cited.map((r) => recordCitation(r, locale, ctx.vocab)).join(SAY(locale).join);
}

type Of<C extends Reason['code']> = Extract<Reason, { code: C }>;

function period(r: Of<'period'>, ctx: CitationContext, locale: Locale): string {
  const say = SAY(locale);
  const combined = r.combinedMonths ? say.combined(r.combinedMonths) : '';
  return say.period(refs(r.records, ctx, locale), combined, periodTerms(r, locale));
}

function appraisal(r: Of<'appraisal'>, ctx: CitationContext, locale: Locale): string {
  const say = SAY(locale);
  const effect = pick(EFFECT_LABELS[r.effect], locale);
  return say.appraisal(say.received(refs(r.records, ctx, locale)), r.year, effect, citation(r.source, locale));
}

/**
 * An open clue: where it stands. The opinion line already says "postpone"; a rule is cited only
 * where one applies (no appraisal grade while a case is open, 考核规定 art. 28).
 */
function investigation(r: Of<'investigation'>, locale: Locale): string {
  const rule =
    r.source === 'appraisal-28-investigation'
      ? { consequence: pick(CLUE_CONSEQUENCE[r.stage], locale), source: citation(r.source, locale) }
      : undefined;
  return SAY(locale).investigation(formatDate(r.since, locale), pick(STAGE_LABELS[r.stage], locale), rule);
}

/** A measure with no period of its own (a talk): the fact. A kind no rule table knows says so. */
function recordNote(r: Of<'note-measure'> | Of<'unknown-kind'>, ctx: CitationContext, locale: Locale): string {
  const say = SAY(locale);
  const check = r.code === 'unknown-kind' ? aside(citation(r.source, locale), locale) : '';
  return say.note(say.received(refs(r.records, ctx, locale)), check);
}

/** Warnings as the facts behind them: a letter to another organ cites facts and rules, not our switches. */
function warning(r: Of<'warning'>, ctx: CitationContext, locale: Locale): string {
  const say = SAY(locale);
  switch (r.trigger) {
    case 'open-clue': {
      const clue = ctx.clues.get(r.refs[0] ?? '');
      const stage = pick(STAGE_LABELS[r.stage ?? clue?.stage ?? 'received'], locale);
      return say.openClue(formatDate(r.since, locale), stage);
    }
    case 'repeated-yellow':
      return say.repeatedYellow(r.count!, r.withinMonths!, refs(r.refs, ctx, locale));
    case 'substantiated-flag':
      return say.substantiated(itemLabel(r.item ?? '', locale, ctx.vocab), formatDate(r.since, locale));
    case 'overdue-rectification':
      return say.overdue(refs(r.refs, ctx, locale), formatDate(r.due!, locale));
  }
}

/** One reason as the letter states it. */
export function citeReason(reason: Reason, ctx: CitationContext, locale: Locale): string {
  switch (reason.code) {
    case 'period':
      return period(reason, ctx, locale);
    case 'appraisal':
      return appraisal(reason, ctx, locale);
    case 'investigation':
      return investigation(reason, locale);
    case 'note-measure':
    case 'unknown-kind':
      return recordNote(reason, ctx, locale);
    case 'warning':
      return warning(reason, ctx, locale);
    // Grades and "nothing found" name no record: the dossier's own sentence says it.
    default:
      return explain(reason, locale, ctx.vocab);
  }
}

/** Both languages at once, as a draft stores them. */
export const citeBoth = (reason: Reason, ctx: CitationContext): Label =>
  inBoth((locale) => citeReason(reason, ctx, locale));
