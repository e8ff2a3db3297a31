import type { IsoDate } from '../dates.ts';
import { formatDate, localised, pick, type Locale } from '../model/i18n.ts';
import type { ClueStage } from '../model/vocabulary.ts';
import {
  CLUE_CONSEQUENCE,
  EFFECT_LABELS,
  itemLabel,
  kindLabel,
  OBJECTION_TEXT,
  OPINION_LABELS,
  PURPOSE_LABELS,
  purposeScope,
  STAGE_LABELS,
  type Vocabulary,
} from './labels.ts';
import type { GradeBasis, Reason, ReviewPurpose } from './reasons.ts';
import { clueRef, datedRecords, list, recordRefs, warningSource } from './ref-names.ts';
import { periodTerms } from './period-terms.ts';
import { citation, type SourceId } from './sources.ts';

/**
 * The sentences a user reads. Each reason names the measure, the dates and the source; the
 * wording follows the replies in the seed ("经核查，张某2018年6月受到党内警告处分，2018年度不能评先评优").
 * Each locale writes its own sentence (SENTENCES below); the names come from labels.ts and what a
 * reason rests on is named by ref-names.ts.
 */

// The extension, the CLI and the e2e tests import these from here (labels.ts and ref-names.ts hold them).
export { formatDate } from '../model/i18n.ts';
export { kindLabel, STAGE_LABELS, type Vocabulary } from './labels.ts';
export { refsOf } from './ref-names.ts';

type Of<C extends Reason['code']> = Extract<Reason, { code: C }>;

/** The names a sentence uses, in one locale and vocabulary (a class: explain runs for every subject). */
class Namer {
  readonly refs: boolean;
  private readonly locale: Locale;
  private readonly vocab: Vocabulary;
  constructor(locale: Locale, vocab: Vocabulary) {
    this.locale = locale;
    this.vocab = vocab;
    this.refs = vocab.refs !== undefined;
  }
  date(d: IsoDate) {
    return formatDate(d, this.locale);
  }
  kind(kind: string) {
    return kindLabel(kind, this.locale, this.vocab);
  }
  item(item: string) {
    return itemLabel(item, this.locale, this.vocab);
  }
  stage(stage: ClueStage) {
    return pick(STAGE_LABELS[stage], this.locale);
  }
  consequence(stage: ClueStage) {
    return pick(CLUE_CONSEQUENCE[stage], this.locale);
  }
  effect(r: Of<'appraisal'>) {
    return pick(EFFECT_LABELS[r.effect], this.locale);
  }
  list(ids: readonly string[]) {
    return list(ids, this.locale);
  }
  records(ids: readonly string[], plural?: boolean) {
    return recordRefs(ids, this.locale, this.vocab, plural);
  }
  dated(ids: readonly string[], plural?: boolean) {
    return datedRecords(ids, this.locale, this.vocab, plural);
  }
  clues(ids: readonly string[]) {
    return clueRef(ids, this.locale, this.vocab);
  }
  source(r: { source: SourceId }) {
    return citation(r.source, this.locale);
  }
  rule(r: Of<'warning'>) {
    return warningSource(r, this.locale, this.vocab);
  }
  terms(r: Of<'period'>) {
    return periodTerms(r, this.locale);
  }
  purpose(purpose: ReviewPurpose) {
    return pick(PURPOSE_LABELS[purpose], this.locale);
  }
  /** A grade's warning cause, without its own "Warning:" and full stop. */
  warning(r: Of<'grade'>) {
    if (!r.cause) return '';
    return explain(r.cause, this.locale, this.vocab)
      .replace(/^预警：|^Warning: /, '')
      .replace(/[。.]$/, '');
  }
}

type Say<C extends Reason['code']> = (r: Of<C>, n: Namer) => string;

interface Sentences {
  period: Say<'period'>;
  appraisal: Say<'appraisal'>;
  investigation: Say<'investigation'>;
  note: (r: Of<'note-measure'> | Of<'unknown-kind'>, n: Namer) => string;
  warning: { [T in Of<'warning'>['trigger']]: Say<'warning'> };
  grade: (grade: string, text: string) => string;
  /** Every basis but yellow, whose parts are joined by yellowParts. */
  basis: { [B in Exclude<GradeBasis, 'yellow'>]: Say<'grade'> };
  yellow: { dots: (count: number, months: number) => string; until: (kind: string, until: string) => string };
  latest: (kind: string, date: string) => string;
  parts: string;
  clear: (purpose: ReviewPurpose, year: number | undefined, n: Namer) => string;
  ended: (what: string) => string;
  opinion: { note: string; postpone: string; objection: (text: string, year: number | undefined) => string };
}

const pct = (count: number, of: number) => `${Math.round((count / of) * 100)}%`;
const capital = (s: string) => `${s[0]!.toUpperCase()}${s.slice(1)}`;

const SENTENCES = localised<Sentences>({
  'zh-CN': {
    period: (r, n) => {
      const t = n.terms(r);
      const label = n.kind(r.kind);
      const what = r.combinedMonths
        ? `${label}${r.records.length}次${n.records(r.records)}合并影响期${r.combinedMonths}个月`
        : `${label}${n.records(r.records)}影响期`;
      return `${what}${t.span}${t.probation}，期间${t.blocks}（${t.cited}）。`;
    },
    appraisal: (r, n) =>
      `${n.date(r.date)}受到${n.kind(r.kind)}${n.records(r.records)}，${r.year}年度考核${n.effect(r)}（${n.source(r)}）。`,
    investigation: (r, n) =>
      `问题线索${n.refs ? n.clues([r.clue]) : ` ${r.clue} `}自${n.date(r.since)}处于${n.stage(r.stage)}阶段，` +
      `${n.consequence(r.stage)}（${n.source(r)}）。`,
    note: (r, n) => `${n.date(r.date)}${n.kind(r.kind)}${n.records(r.records)}：${n.source(r)}。`,
    warning: {
      'open-clue': (r, n) =>
        `预警：问题线索${n.refs ? n.clues(r.refs) : ` ${n.list(r.refs)} `}处于${n.stage(r.stage ?? 'received')}阶段` +
        `（${n.date(r.since)}受理）（${n.rule(r)}）。`,
      'repeated-yellow': (r, n) =>
        `预警：${r.withinMonths}个月内${r.count}个黄点（${n.dated(r.refs)}），持续至${n.date(r.until!)}（${n.rule(r)}）。`,
      'substantiated-flag': (r, n) =>
        `预警：负面清单事项“${n.item(r.item ?? '')}”经核查属实（${n.refs ? '' : `${n.list(r.refs)}，`}` +
        `${n.date(r.since)}）（${n.rule(r)}）。`,
      'overdue-rectification': (r, n) =>
        `预警：黄点（${n.dated(r.refs)}）整改期限${n.date(r.due!)}已过，尚未完成整改（${n.rule(r)}）。`,
    },
    grade: (grade, text) => `等次${grade}：${text}。`,
    basis: {
      black: (r, n) => {
        const c = r.cause?.code === 'period' ? r.cause : undefined;
        const until = c?.until ? `，影响期至${n.date(c.until)}` : '，长期有效';
        return `处于党纪政务处分影响期内：${c ? n.kind(c.kind) : ''}${until}（${c ? n.source(c) : ''}）`;
      },
      warning: (r, n) => `有${r.count}项预警：${n.warning(r)}`,
      red: (r) => `近${r.months}个月内${r.count}个红点，无不良情况`,
      default: () => '无影响期内的处分、预警或近期黄点，红点未达最高等次条件',
      'unit-lowest-share': (r) => `所属${r.of}名干部中${r.count}名为最低等次（${pct(r.count!, r.of!)}）`,
      'unit-warning-share': (r) => `所属${r.of}名干部中${r.count}名有预警（${pct(r.count!, r.of!)}）`,
    },
    yellow: {
      dots: (count, months) => `近${months}个月内${count}个黄点`,
      until: (kind, until) => `${kind}影响期至${until}`,
    },
    latest: (kind, date) => `最近一次为${date}${kind}`,
    parts: '，',
    clear: (purpose, year) => `暂未发现影响${purposeScope(purpose, year, 'zh-CN')}的问题。`,
    ended: (what) => `${what}，影响期已满`,
    opinion: {
      note: '无不同意见，但有以下情况需要提示。',
      postpone: '建议暂缓，待查清后再作答复。',
      objection: (text, year) => `${year === undefined ? text : text.replace('年度', `${year}年度`)}。`,
    },
  },
  en: {
    period: (r, n) => {
      const t = n.terms(r);
      const label = n.kind(r.kind);
      const what = r.combinedMonths
        ? `${r.records.length} × ${label}${n.records(r.records, true)}, ` +
          `combined influence period of ${r.combinedMonths} months`
        : `${label}${n.records(r.records)}: influence period`;
      return `${what} ${t.span}${t.probation}; ${t.blocks} (${t.cited}).`;
    },
    appraisal: (r, n) =>
      `${n.kind(r.kind)} on ${n.date(r.date)}${n.records(r.records)}: ${r.year} annual appraisal ${n.effect(r)} ` +
      `(${n.source(r)}).`,
    investigation: (r, n) =>
      `Clue ${n.refs ? n.clues([r.clue]) : r.clue} at the ${n.stage(r.stage)} stage since ${n.date(r.since)}: ` +
      `${n.consequence(r.stage)} (${n.source(r)}).`,
    note: (r, n) => `${n.kind(r.kind)} on ${n.date(r.date)}${n.records(r.records)}: ${n.source(r)}.`,
    warning: {
      'open-clue': (r, n) =>
        `Warning: clue ${n.clues(r.refs)} at the ${n.stage(r.stage ?? 'received')} stage ` +
        `(received ${n.date(r.since)}) (${n.rule(r)}).`,
      'repeated-yellow': (r, n) =>
        `Warning: ${r.count} yellow dots within ${r.withinMonths} months (${n.dated(r.refs, true)}), ` +
        `until ${n.date(r.until!)} (${n.rule(r)}).`,
      'substantiated-flag': (r, n) =>
        `Warning: negative-list item “${n.item(r.item ?? '')}” substantiated ` +
        `(${n.refs ? '' : `${n.list(r.refs)}, `}${n.date(r.since)}) (${n.rule(r)}).`,
      'overdue-rectification': (r, n) =>
        `Warning: rectification for yellow dot ${n.refs ? n.dated(r.refs) : n.list(r.refs)} ` +
        `was due ${n.date(r.due!)} and is not done (${n.rule(r)}).`,
    },
    grade: (grade, text) => `Grade ${grade}: ${text}.`,
    basis: {
      black: (r, n) => {
        const c = r.cause?.code === 'period' ? r.cause : undefined;
        const until = c?.until ? `, until ${n.date(c.until)}` : ', permanent';
        return `in a sanction's influence period: ${c ? n.kind(c.kind) : ''}${until} (${c ? n.source(c) : ''})`;
      },
      warning: (r, n) => `${r.count} active warning(s): ${n.warning(r)}`,
      red: (r) => `${r.count} red dots in the last ${r.months} months and nothing adverse`,
      default: () => 'no sanction period, warning or recent yellow dot; not enough red dots for the top grade',
      'unit-lowest-share': (r) => `${r.count} of its ${r.of} cadres at the lowest grade (${pct(r.count!, r.of!)})`,
      'unit-warning-share': (r) => `${r.count} of its ${r.of} cadres with a warning (${pct(r.count!, r.of!)})`,
    },
    yellow: {
      dots: (count, months) => `${count} yellow dot(s) in the last ${months} months`,
      until: (kind, until) => `${kind} in its influence period until ${until}`,
    },
    latest: (kind, date) => `latest: ${kind} on ${date}`,
    parts: ', ',
    clear: (purpose, year, n) => {
      const what =
        year === undefined
          ? n.purpose(purpose)
          : purpose === 'annual-appraisal'
            ? `the ${year} annual appraisal`
            : `${n.purpose(purpose)} for ${year}`;
      return `Nothing found that affects ${what}.`;
    },
    ended: (what) => `${what}: influence period over`,
    opinion: {
      note: 'No objection, with the following to note.',
      postpone: 'Postpone until the matter is cleared up.',
      objection: (text, year) => `${capital(text)}${year === undefined ? '' : ` for ${year}`}.`,
    },
  },
});

/** A yellow grade's basis: the dots in the window and the running period or latest measure. */
function yellowParts(r: Of<'grade'>, n: Namer, s: Sentences): string {
  const c = r.cause;
  const parts: string[] = [];
  if (r.count) parts.push(s.yellow.dots(r.count, r.months!));
  if (c?.code === 'period' && c.until) parts.push(s.yellow.until(n.kind(c.kind), n.date(c.until)));
  else if (c?.code === 'note-measure') parts.push(s.latest(n.kind(c.kind), n.date(c.date)));
  return parts.join(s.parts);
}

/** The sentence for one reason, in the user's language. */
export function explain(reason: Reason, locale: Locale, vocab: Vocabulary = {}): string {
  const s = SENTENCES(locale);
  const n = new Namer(locale, vocab);
  switch (reason.code) {
    case 'period':
      return s.period(reason, n);
    case 'appraisal':
      return s.appraisal(reason, n);
    case 'investigation':
      return s.investigation(reason, n);
    // A dated record with no period of its own: a talk, or a kind the rule tables do not know.
    case 'note-measure':
    case 'unknown-kind':
      return s.note(reason, n);
    case 'warning':
      return s.warning[reason.trigger](reason, n);
    case 'grade':
      return s.grade(
        reason.grade,
        reason.basis === 'yellow' ? yellowParts(reason, n, s) : s.basis[reason.basis](reason, n),
      );
    case 'clear':
      return s.clear(reason.purpose, reason.year, n);
  }
}

/**
 * A sanction whose influence period is over, for the overlay's card: "党内严重警告 2020年7月21日，
 * 影响期已满" — so a black dot beside "no sanction in its period" does not read as a contradiction.
 */
export function explainEnded(p: { kind: string; from: IsoDate }, locale: Locale, vocab: Vocabulary): string {
  return SENTENCES(locale).ended(`${kindLabel(p.kind, locale, vocab)} ${formatDate(p.from, locale)}`);
}

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
  const s = SENTENCES(locale).opinion;
  switch (opinion) {
    case 'no-objection':
      return explain(
        { code: 'clear', purpose, ...(year !== undefined ? { year } : {}), source: 'integrity-review' },
        locale,
      );
    case 'note':
      return s.note;
    case 'postpone':
      return s.postpone;
    case 'objection':
      return s.objection(pick(OBJECTION_TEXT[purpose], locale), year);
  }
}
