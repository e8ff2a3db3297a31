import type { Locale } from '../model/messages.ts';
import type { Clue, DotRecord } from '../model/schemas.ts';
import type { Label } from '../model/vocabulary.ts';
import {
  BLOCK_LABELS,
  CLUE_CONSEQUENCE,
  EFFECT_LABELS,
  explain,
  formatDate,
  itemLabel,
  kindLabel,
  STAGE_LABELS,
  type Vocabulary,
} from '../rules/explain.ts';
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

type L = Locale;
const pick = (l: Label, locale: L) => (locale === 'zh-CN' ? l.zh : l.en);
const join = (xs: readonly string[], locale: L) => xs.join(locale === 'zh-CN' ? '、' : '; ');

/** "2018年6月15日党内警告处分（市纪发〔2018〕12号）" / "Party warning of 2018-06-15 (市纪发〔2018〕12号)". */
export function recordCitation(r: DotRecord, locale: L, vocab: Vocabulary): string {
  const kind = kindLabel(r.kind, locale, vocab);
  const ref = r.docNumber ?? r.sourceDept;
  if (locale !== 'zh-CN') return `${kind} of ${formatDate(r.decisionDate, locale)} (${ref})`;
  // A sanction is cited as 处分, as the seed's reply does ("受到党内警告处分").
  const noun = r.colour === 'black' && !kind.endsWith('处分') ? `${kind}处分` : kind;
  return `${formatDate(r.decisionDate, locale)}${noun}（${ref}）`;
}

function refs(ids: readonly string[], ctx: CitationContext, locale: L): string {
  const cited = ids.map((id) => ctx.records.get(id)).filter((r): r is DotRecord => r !== undefined);
  return join(
    cited.map((r) => recordCitation(r, locale, ctx.vocab)),
    locale,
  );
}

type Of<C extends Reason['code']> = Extract<Reason, { code: C }>;

function period(r: Of<'period'>, ctx: CitationContext, locale: L): string {
  const zh = locale === 'zh-CN';
  const blocks = (r.applies ? [r.applies] : r.blocks).map((b) => pick(BLOCK_LABELS[b], locale)).join(zh ? '，' : '; ');
  const span =
    r.until === null
      ? zh
        ? `自${formatDate(r.from, locale)}起长期有效`
        : `from ${formatDate(r.from, locale)}, permanent`
      : zh
        ? `自${formatDate(r.from, locale)}至${formatDate(r.until, locale)}`
        : `from ${formatDate(r.from, locale)} to ${formatDate(r.until, locale)}`;
  const combined = r.combinedMonths
    ? zh
      ? `，合并影响期${r.combinedMonths}个月`
      : `, combined influence period of ${r.combinedMonths} months`
    : '';
  const probation = r.probationUntil
    ? zh
      ? `（察看期至${formatDate(r.probationUntil, locale)}）`
      : ` (probation until ${formatDate(r.probationUntil, locale)})`
    : '';
  const sources =
    r.applies === 'promotion' && r.source !== 'selection-24'
      ? [citation(r.source, locale), citation('selection-24', locale)]
      : [citation(r.source, locale)];
  const cited = sources.join(zh ? '；' : '; ');
  return zh
    ? `${refs(r.records, ctx, locale)}${combined}，影响期${span}${probation}，期间${blocks}（${cited}）。`
    : `${refs(r.records, ctx, locale)}${combined}: influence period ${span}${probation}; ${blocks} (${cited}).`;
}

function appraisal(r: Of<'appraisal'>, ctx: CitationContext, locale: L): string {
  const effect = pick(EFFECT_LABELS[r.effect], locale);
  return locale === 'zh-CN'
    ? `${refs(r.records, ctx, locale).replace(/^(\d+年\d+月\d+日)/, '$1受到')}，${r.year}年度考核${effect}（${citation(r.source, locale)}）。`
    : `${refs(r.records, ctx, locale)}: ${r.year} annual appraisal ${effect} (${citation(r.source, locale)}).`;
}

/**
 * An open clue: where it stands. The opinion line already says "postpone"; a rule is cited only
 * where one applies (no appraisal grade while a case is open, 考核规定 art. 28).
 */
function investigation(r: Of<'investigation'>, locale: L): string {
  const rule = r.source === 'appraisal-28-investigation';
  return locale === 'zh-CN'
    ? `有问题线索正在办理（${formatDate(r.since, locale)}受理，现处于${STAGE_LABELS[r.stage].zh}阶段）${rule ? `，${CLUE_CONSEQUENCE[r.stage].zh}（${citation(r.source, locale)}）` : ''}。`
    : `A clue received on ${formatDate(r.since, locale)} is at the ${STAGE_LABELS[r.stage].en} stage${rule ? `: ${CLUE_CONSEQUENCE[r.stage].en} (${citation(r.source, locale)})` : ''}.`;
}

/** A measure with no period of its own (a talk): the fact. A kind no rule table knows says so. */
function recordNote(r: Of<'note-measure'> | Of<'unknown-kind'>, ctx: CitationContext, locale: L): string {
  const zh = locale === 'zh-CN';
  const fact = zh ? refs(r.records, ctx, locale).replace(/^(\d+年\d+月\d+日)/, '$1受到') : refs(r.records, ctx, locale);
  const check =
    r.code === 'unknown-kind' ? (zh ? `（${citation(r.source, locale)}）` : ` (${citation(r.source, locale)})`) : '';
  return zh ? `${fact}${check}。` : `${fact}${check}.`;
}

/** Warnings as the facts behind them: a letter to another organ cites facts and rules, not our switches. */
function warning(r: Of<'warning'>, ctx: CitationContext, locale: L): string {
  const zh = locale === 'zh-CN';
  switch (r.trigger) {
    case 'open-clue': {
      const clue = ctx.clues.get(r.refs[0] ?? '');
      const stage = STAGE_LABELS[r.stage ?? clue?.stage ?? 'received'];
      return zh
        ? `有问题线索处于${stage.zh}阶段（${formatDate(r.since, locale)}受理）。`
        : `A clue received on ${formatDate(r.since, locale)} is at the ${stage.en} stage.`;
    }
    case 'repeated-yellow':
      return zh
        ? `近${r.withinMonths}个月内受到${r.count}次组织处理（${refs(r.refs, ctx, locale)}）。`
        : `${r.count} organisational measures within ${r.withinMonths} months (${refs(r.refs, ctx, locale)}).`;
    case 'substantiated-flag': {
      const item = itemLabel(r.item ?? '', locale, ctx.vocab);
      return zh
        ? `反映其“${item}”问题经核查属实（${formatDate(r.since, locale)}）。`
        : `A report of “${item}” was substantiated (${formatDate(r.since, locale)}).`;
    }
    case 'overdue-rectification':
      return zh
        ? `${refs(r.refs, ctx, locale)}要求于${formatDate(r.due!, locale)}前完成整改，至今未完成。`
        : `${refs(r.refs, ctx, locale)} required rectification by ${formatDate(r.due!, locale)}; not done.`;
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
export const citeBoth = (reason: Reason, ctx: CitationContext): Label => ({
  zh: citeReason(reason, ctx, 'zh-CN'),
  en: citeReason(reason, ctx, 'en'),
});
