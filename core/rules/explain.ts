import { parts, type IsoDate } from '../dates.ts';
import type { Locale } from '../model/messages.ts';
import {
  DEFAULT_KINDS,
  DEFAULT_NEGATIVE_LIST,
  type KindDef,
  type Label,
  type NegativeListItem,
} from '../model/vocabulary.ts';
import type { ClueStage } from '../model/vocabulary.ts';
import type { AppraisalEffect, Block } from './measures.ts';
import type { GradeBasis, Reason, ReviewPurpose, WarningTrigger } from './reasons.ts';
import { citation } from './sources.ts';

/**
 * The sentences a user reads. Each reason names the measure, the dates and the source; the
 * wording follows the replies in the seed ("经核查，张某2018年6月受到党内警告处分，2018年度不能评先评优").
 * Labels come from the workspace's vocabularies when given, the defaults otherwise.
 */

export interface Vocabulary {
  kinds?: readonly KindDef[];
  negativeList?: readonly NegativeListItem[];
  /**
   * The dossier the reasons are about. Given it, a sentence names what it rests on the way people
   * do — a record by its 文号 (its kind and date are already in the sentence), a yellow dot by date
   * and kind, a clue by its summary, a warning by its rule's name — never by an id. Without it (a
   * caller with reasons only), the ids are listed so the reasons stay traceable.
   */
  refs?: RefLookup;
}

export interface RefLookup {
  record(id: string): { kind: string; date: IsoDate; docNumber?: string | undefined } | undefined;
  clue(id: string): { summary: string } | undefined;
}

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

type L = Locale;
const pick = (l: Label, locale: L) => (locale === 'zh-CN' ? l.zh : l.en);

export function formatDate(date: IsoDate, locale: L): string {
  const [y, m, d] = parts(date);
  return locale === 'zh-CN' ? `${y}年${m}月${d}日` : date;
}

export const BLOCK_LABELS: Record<Block, Label> = {
  promotion: { zh: '不得提拔或晋升职务、职级', en: 'no promotion in post or rank' },
  commendation: { zh: '不得评先评优', en: 'no commendation or award' },
  'pay-step': { zh: '不得晋升工资档次', en: 'no pay-step rise' },
  'equal-post': { zh: '不得担任与原任职务相当或者更高的职务', en: 'no post equal to or above the former one' },
  'leadership-post': { zh: '不得安排领导职务', en: 'no leadership post' },
  'party-rights': { zh: '无党内表决权、选举权和被选举权', en: 'no voting or election rights in the Party' },
  'rejoin-party': { zh: '不得重新入党', en: 'cannot rejoin the Party' },
  'public-service': { zh: '不得再录用为公务员', en: 'never again a civil servant' },
};

export const EFFECT_LABELS: Record<AppraisalEffect, Label> = {
  'not-excellent': { zh: '不得确定为优秀等次，不能评先评优', en: 'cannot be rated Excellent and cannot be commended' },
  'no-grade': { zh: '只写评语、不确定等次', en: 'comments only, no grade' },
  incompetent: { zh: '确定为不称职等次', en: 'rated Incompetent' },
};

export const STAGE_LABELS: Record<ClueStage, Label> = {
  received: { zh: '受理', en: 'received' },
  assigned: { zh: '交办', en: 'assigned' },
  inquiry: { zh: '谈话函询', en: 'inquiry' },
  preliminary: { zh: '初步核实', en: 'preliminary verification' },
  pending: { zh: '暂存待查', en: 'kept pending' },
  case: { zh: '立案审查调查', en: 'case investigation' },
  handling: { zh: '组织处理', en: 'organisational handling' },
  recommendation: { zh: '监察建议书', en: 'supervision recommendation' },
  rectified: { zh: '整改报告', en: 'rectification report' },
  closed: { zh: '了结', en: 'closed' },
};

export const PURPOSE_LABELS: Record<ReviewPurpose, Label> = {
  'annual-appraisal': { zh: '年度考核', en: 'the annual appraisal' },
  promotion: { zh: '提拔使用', en: 'promotion' },
  commendation: { zh: '评先评优', en: 'commendation' },
  'reserve-cadre': { zh: '列为后备干部', en: 'listing as a reserve cadre' },
};

export const OPINION_LABELS = {
  'no-objection': { zh: '无意见', en: 'no objection' },
  note: { zh: '提示', en: 'note' },
  postpone: { zh: '建议暂缓', en: 'postpone' },
  objection: { zh: '有意见', en: 'objection' },
} as const satisfies Record<string, Label>;

/**
 * A sanction whose influence period is over, for the overlay's card: "党内严重警告 2020年7月21日，
 * 影响期已满" — so a black dot beside "no sanction in its period" does not read as a contradiction.
 */
export function explainEnded(p: { kind: string; from: IsoDate }, locale: L, vocab: Vocabulary): string {
  const what = `${kindLabel(p.kind, locale, vocab)} ${formatDate(p.from, locale)}`;
  return locale === 'zh-CN' ? `${what}，影响期已满` : `${what}: influence period over`;
}

export function kindLabel(kind: string, locale: L, vocab: Vocabulary): string {
  const def = (vocab.kinds ?? DEFAULT_KINDS).find((k) => k.id === kind) ?? DEFAULT_KINDS.find((k) => k.id === kind);
  return def ? pick(def.label, locale) : kind;
}

export function itemLabel(item: string, locale: L, vocab: Vocabulary): string {
  const def = (vocab.negativeList ?? DEFAULT_NEGATIVE_LIST).find((i) => i.id === item);
  return def ? pick(def.label, locale) : item;
}

const list = (ids: readonly string[], locale: L) => ids.join(locale === 'zh-CN' ? '、' : ', ');

/** The records a reason rests on, in brackets after the measure: "（记录 r1）", or "（张纪发〔2018〕12号）" with refs. */
function recordRefs(ids: readonly string[], locale: L, vocab: Vocabulary, plural = false): string {
  const zh = locale === 'zh-CN';
  if (!vocab.refs) return zh ? `（记录 ${list(ids, locale)}）` : ` (record${plural ? 's' : ''} ${list(ids, locale)})`;
  const numbers = ids.map((id) => vocab.refs!.record(id)?.docNumber).filter((n): n is string => !!n);
  if (numbers.length === 0) return '';
  return zh ? `（${list(numbers, locale)}）` : ` (${list(numbers, locale)})`;
}

/** Records named by date and kind (and 文号), for sentences that do not say them already. */
function datedRecords(ids: readonly string[], locale: L, vocab: Vocabulary): string {
  const zh = locale === 'zh-CN';
  if (!vocab.refs)
    return zh ? `记录 ${list(ids, locale)}` : `${ids.length > 1 ? 'records' : 'record'} ${list(ids, locale)}`;
  return list(
    ids.map((id) => {
      const r = vocab.refs!.record(id);
      if (!r) return zh ? '记录' : 'a record';
      const what = zh
        ? `${formatDate(r.date, locale)}${kindLabel(r.kind, locale, vocab)}`
        : `${kindLabel(r.kind, locale, vocab)} on ${formatDate(r.date, locale)}`;
      return r.docNumber ? (zh ? `${what}（${r.docNumber}）` : `${what} (${r.docNumber})`) : what;
    }),
    locale,
  );
}

/** A clue by its summary (with refs), else its id. */
function clueRef(ids: readonly string[], locale: L, vocab: Vocabulary): string {
  const zh = locale === 'zh-CN';
  if (!vocab.refs) return list(ids, locale);
  return list(
    ids
      .map((id) => {
        const summary = vocab.refs!.clue(id)?.summary;
        return summary ? (zh ? `“${summary}”` : `“${summary}”`) : '';
      })
      .filter(Boolean),
    locale,
  );
}

/** Names of the warning rules, cited instead of the generic "this workspace's warning rules" when the dossier is known. */
const WARNING_RULE_NAMES: Record<WarningTrigger, Label> = {
  'open-clue': { zh: '在办线索预警', en: 'open-clue warning rule' },
  'repeated-yellow': { zh: '黄点累计预警', en: 'repeated-yellow-dot warning rule' },
  'substantiated-flag': { zh: '负面清单查实预警', en: 'substantiated negative-list warning rule' },
  'overdue-rectification': { zh: '整改逾期预警', en: 'overdue-rectification warning rule' },
};

function warningSource(r: Of<'warning'>, locale: L, vocab: Vocabulary): string {
  if (!vocab.refs || r.source !== 'warning-rules') return src(r, locale);
  const name = pick(WARNING_RULE_NAMES[r.trigger], locale);
  return locale === 'zh-CN' ? `本工作区预警规则“${name}”` : `this workspace’s ${name}`;
}
const src = (r: { source: Parameters<typeof citation>[0] }, locale: L) => citation(r.source, locale);

type Of<C extends Reason['code']> = Extract<Reason, { code: C }>;
type Template<C extends Reason['code']> = (r: Of<C>, locale: L, vocab: Vocabulary) => string;

const period: Template<'period'> = (r, locale, vocab) => {
  const zh = locale === 'zh-CN';
  const label = kindLabel(r.kind, locale, vocab);
  const blocks = (r.applies ? [r.applies] : r.blocks).map((b) => pick(BLOCK_LABELS[b], locale)).join(zh ? '，' : '; ');
  const what = r.combinedMonths
    ? zh
      ? `${label}${r.records.length}次${recordRefs(r.records, locale, vocab)}合并影响期${r.combinedMonths}个月`
      : `${r.records.length} × ${label}${recordRefs(r.records, locale, vocab, true)}, combined influence period of ${r.combinedMonths} months`
    : zh
      ? `${label}${recordRefs(r.records, locale, vocab)}影响期`
      : `${label}${recordRefs(r.records, locale, vocab)}: influence period`;
  const span =
    r.until === null
      ? zh
        ? `自${formatDate(r.from, locale)}起长期有效`
        : `from ${formatDate(r.from, locale)}, permanent`
      : zh
        ? `自${formatDate(r.from, locale)}至${formatDate(r.until, locale)}`
        : `from ${formatDate(r.from, locale)} to ${formatDate(r.until, locale)}`;
  const probation = r.probationUntil
    ? zh
      ? `（察看期至${formatDate(r.probationUntil, locale)}）`
      : ` (probation until ${formatDate(r.probationUntil, locale)})`
    : '';
  // 选拔任用条例 art. 24 is what turns any running period into "not a promotion candidate".
  const sources =
    r.applies === 'promotion' && r.source !== 'selection-24'
      ? [src(r, locale), citation('selection-24', locale)]
      : [src(r, locale)];
  const cited = sources.join(zh ? '；' : '; ');
  return zh
    ? `${what}${span}${probation}，期间${blocks}（${cited}）。`
    : `${what} ${span}${probation}; ${blocks} (${cited}).`;
};

const appraisal: Template<'appraisal'> = (r, locale, vocab) => {
  const label = kindLabel(r.kind, locale, vocab);
  const effect = pick(EFFECT_LABELS[r.effect], locale);
  return locale === 'zh-CN'
    ? `${formatDate(r.date, locale)}受到${label}${recordRefs(r.records, locale, vocab)}，${r.year}年度考核${effect}（${src(r, locale)}）。`
    : `${label} on ${formatDate(r.date, locale)}${recordRefs(r.records, locale, vocab)}: ${r.year} annual appraisal ${effect} (${src(r, locale)}).`;
};

/** What an open clue at each stage means for a reply. */
export const CLUE_CONSEQUENCE: Record<ClueStage, Label> = {
  received: { zh: '尚未进入核实，予以提示', en: 'not yet under verification: noted' },
  assigned: { zh: '尚未进入核实，予以提示', en: 'not yet under verification: noted' },
  inquiry: { zh: '尚未进入核实，予以提示', en: 'not yet under verification: noted' },
  preliminary: { zh: '建议暂缓，待查清后再作答复', en: 'postpone until it is cleared up' },
  pending: { zh: '暂存待查，予以提示', en: 'kept pending: noted' },
  case: { zh: '结案前不确定考核等次，建议暂缓', en: 'no appraisal grade until it closes; postpone' },
  handling: { zh: '已作组织处理，予以提示', en: 'handled by organisational measures: noted' },
  recommendation: { zh: '监察建议书整改期间，予以提示', en: 'rectification under a supervision recommendation: noted' },
  rectified: { zh: '已报送整改报告，予以提示', en: 'rectification reported: noted' },
  closed: { zh: '已了结', en: 'closed' },
};

const investigation: Template<'investigation'> = (r, locale, vocab) =>
  locale === 'zh-CN'
    ? `问题线索${vocab.refs ? clueRef([r.clue], locale, vocab) : ` ${r.clue} `}自${formatDate(r.since, locale)}处于${STAGE_LABELS[r.stage].zh}阶段，${CLUE_CONSEQUENCE[r.stage].zh}（${src(r, locale)}）。`
    : `Clue ${vocab.refs ? clueRef([r.clue], locale, vocab) : r.clue} at the ${STAGE_LABELS[r.stage].en} stage since ${formatDate(r.since, locale)}: ${CLUE_CONSEQUENCE[r.stage].en} (${src(r, locale)}).`;

/** A dated record with no period of its own: a talk, or a kind the rule tables do not know. */
const recordNote = (r: Of<'note-measure'> | Of<'unknown-kind'>, locale: L, vocab: Vocabulary) =>
  locale === 'zh-CN'
    ? `${formatDate(r.date, locale)}${kindLabel(r.kind, locale, vocab)}${recordRefs(r.records, locale, vocab)}：${src(r, locale)}。`
    : `${kindLabel(r.kind, locale, vocab)} on ${formatDate(r.date, locale)}${recordRefs(r.records, locale, vocab)}: ${src(r, locale)}.`;

const WARNING_TEXT: Record<WarningTrigger, Template<'warning'>> = {
  'open-clue': (r, locale, vocab) =>
    locale === 'zh-CN'
      ? `预警：问题线索${vocab.refs ? clueRef(r.refs, locale, vocab) : ` ${list(r.refs, locale)} `}处于${STAGE_LABELS[r.stage ?? 'received'].zh}阶段（${formatDate(r.since, locale)}受理）（${warningSource(r, locale, vocab)}）。`
      : `Warning: clue ${clueRef(r.refs, locale, vocab)} at the ${STAGE_LABELS[r.stage ?? 'received'].en} stage (received ${formatDate(r.since, locale)}) (${warningSource(r, locale, vocab)}).`,
  'repeated-yellow': (r, locale, vocab) =>
    locale === 'zh-CN'
      ? `预警：${r.withinMonths}个月内${r.count}个黄点（${datedRecords(r.refs, locale, vocab)}），持续至${formatDate(r.until!, locale)}（${warningSource(r, locale, vocab)}）。`
      : `Warning: ${r.count} yellow dots within ${r.withinMonths} months (${vocab.refs ? datedRecords(r.refs, locale, vocab) : `records ${list(r.refs, locale)}`}), until ${formatDate(r.until!, locale)} (${warningSource(r, locale, vocab)}).`,
  'substantiated-flag': (r, locale, vocab) =>
    locale === 'zh-CN'
      ? `预警：负面清单事项“${itemLabel(r.item ?? '', locale, vocab)}”经核查属实（${vocab.refs ? '' : `${list(r.refs, locale)}，`}${formatDate(r.since, locale)}）（${warningSource(r, locale, vocab)}）。`
      : `Warning: negative-list item “${itemLabel(r.item ?? '', locale, vocab)}” substantiated (${vocab.refs ? '' : `${list(r.refs, locale)}, `}${formatDate(r.since, locale)}) (${warningSource(r, locale, vocab)}).`,
  'overdue-rectification': (r, locale, vocab) =>
    locale === 'zh-CN'
      ? `预警：黄点（${datedRecords(r.refs, locale, vocab)}）整改期限${formatDate(r.due!, locale)}已过，尚未完成整改（${warningSource(r, locale, vocab)}）。`
      : `Warning: rectification for yellow dot ${vocab.refs ? datedRecords(r.refs, locale, vocab) : list(r.refs, locale)} was due ${formatDate(r.due!, locale)} and is not done (${warningSource(r, locale, vocab)}).`,
};

const warning: Template<'warning'> = (r, locale, vocab) => WARNING_TEXT[r.trigger](r, locale, vocab);

const pct = (count: number, of: number) => `${Math.round((count / of) * 100)}%`;

const GRADE_TEXT: Record<GradeBasis, (r: Of<'grade'>, locale: L, vocab: Vocabulary) => string> = {
  black: (r, locale, vocab) => {
    const c = r.cause?.code === 'period' ? r.cause : undefined;
    const what = c ? `${kindLabel(c.kind, locale, vocab)}` : '';
    const until = c?.until ? formatDate(c.until, locale) : undefined;
    return locale === 'zh-CN'
      ? `处于党纪政务处分影响期内：${what}${until ? `，影响期至${until}` : '，长期有效'}（${c ? src(c, locale) : ''}）`
      : `in a sanction's influence period: ${what}${until ? `, until ${until}` : ', permanent'} (${c ? src(c, locale) : ''})`;
  },
  warning: (r, locale, vocab) => {
    const w = r.cause
      ? explain(r.cause, locale, vocab)
          .replace(/^预警：|^Warning: /, '')
          .replace(/[。.]$/, '')
      : '';
    return locale === 'zh-CN' ? `有${r.count}项预警：${w}` : `${r.count} active warning(s): ${w}`;
  },
  yellow: (r, locale, vocab) => {
    const zh = locale === 'zh-CN';
    const c = r.cause;
    const parts: string[] = [];
    if (r.count)
      parts.push(
        zh ? `近${r.months}个月内${r.count}个黄点` : `${r.count} yellow dot(s) in the last ${r.months} months`,
      );
    if (c?.code === 'period' && c.until) {
      parts.push(
        zh
          ? `${kindLabel(c.kind, locale, vocab)}影响期至${formatDate(c.until, locale)}`
          : `${kindLabel(c.kind, locale, vocab)} in its influence period until ${formatDate(c.until, locale)}`,
      );
    } else if (c?.code === 'note-measure') {
      parts.push(
        zh
          ? `最近一次为${formatDate(c.date, locale)}${kindLabel(c.kind, locale, vocab)}`
          : `latest: ${kindLabel(c.kind, locale, vocab)} on ${formatDate(c.date, locale)}`,
      );
    }
    return parts.join(zh ? '，' : ', ');
  },
  red: (r, locale) =>
    locale === 'zh-CN'
      ? `近${r.months}个月内${r.count}个红点，无不良情况`
      : `${r.count} red dots in the last ${r.months} months and nothing adverse`,
  default: (_r, locale) =>
    locale === 'zh-CN'
      ? '无影响期内的处分、预警或近期黄点，红点未达最高等次条件'
      : 'no sanction period, warning or recent yellow dot; not enough red dots for the top grade',
  'unit-lowest-share': (r, locale) =>
    locale === 'zh-CN'
      ? `所属${r.of}名干部中${r.count}名为最低等次（${pct(r.count!, r.of!)}）`
      : `${r.count} of its ${r.of} cadres at the lowest grade (${pct(r.count!, r.of!)})`,
  'unit-warning-share': (r, locale) =>
    locale === 'zh-CN'
      ? `所属${r.of}名干部中${r.count}名有预警（${pct(r.count!, r.of!)}）`
      : `${r.count} of its ${r.of} cadres with a warning (${pct(r.count!, r.of!)})`,
};

const grade: Template<'grade'> = (r, locale, vocab) =>
  locale === 'zh-CN'
    ? `等次${r.grade}：${GRADE_TEXT[r.basis](r, locale, vocab)}。`
    : `Grade ${r.grade}: ${GRADE_TEXT[r.basis](r, locale, vocab)}.`;

const clear: Template<'clear'> = (r, locale) => {
  const what = pick(PURPOSE_LABELS[r.purpose], locale);
  if (locale === 'zh-CN') {
    // 年度考核 already says 年度: "2018年度考核", not "2018年度年度考核".
    const dated = r.year === undefined ? what : what.startsWith('年度') ? `${r.year}${what}` : `${r.year}年度${what}`;
    return `暂未发现影响${dated}的问题。`;
  }
  const en =
    r.year === undefined
      ? what
      : r.purpose === 'annual-appraisal'
        ? `the ${r.year} annual appraisal`
        : `${what} for ${r.year}`;
  return `Nothing found that affects ${en}.`;
};

const TEMPLATES: { [C in Reason['code']]: Template<C> } = {
  period,
  appraisal,
  investigation,
  'note-measure': recordNote,
  'unknown-kind': recordNote,
  warning,
  grade,
  clear,
};

/** The sentence for one reason, in the user's language. */
export function explain(reason: Reason, locale: Locale, vocab: Vocabulary = {}): string {
  return (TEMPLATES[reason.code] as Template<typeof reason.code>)(reason as never, locale, vocab);
}

const OBJECTION_TEXT: Record<ReviewPurpose, Label> = {
  'annual-appraisal': { zh: '对其年度考核等次有不同意见', en: 'objection to the annual-appraisal grade' },
  promotion: { zh: '不宜提拔使用', en: 'should not be promoted' },
  commendation: { zh: '不宜评先评优', en: 'should not be commended' },
  'reserve-cadre': { zh: '不宜列为后备干部', en: 'should not be listed as a reserve cadre' },
};

/**
 * The opinion line of a reply letter (党风廉政意见回复), before its reasons: the wording officers
 * use — 暂未发现…的问题 / 建议暂缓，待查清后再作答复 / 不宜….
 */
export function opinionText(
  opinion: keyof typeof OPINION_LABELS,
  purpose: ReviewPurpose,
  locale: Locale,
  year?: number,
): string {
  const zh = locale === 'zh-CN';
  switch (opinion) {
    case 'no-objection':
      return explain(
        { code: 'clear', purpose, ...(year !== undefined ? { year } : {}), source: 'integrity-review' },
        locale,
      );
    case 'note':
      return zh ? '无不同意见，但有以下情况需要提示。' : 'No objection, with the following to note.';
    case 'postpone':
      return zh ? '建议暂缓，待查清后再作答复。' : 'Postpone until the matter is cleared up.';
    case 'objection': {
      const text = pick(OBJECTION_TEXT[purpose], locale);
      if (year === undefined) return zh ? `${text}。` : `${text[0]!.toUpperCase()}${text.slice(1)}.`;
      return zh ? `${text.replace('年度', `${year}年度`)}。` : `${text[0]!.toUpperCase()}${text.slice(1)} for ${year}.`;
    }
  }
}
