import type { IsoDate } from '../dates.ts';
import { localised, pick, type Label, type Locale } from '../model/i18n.ts';
import {
  DEFAULT_KINDS,
  DEFAULT_NEGATIVE_LIST,
  type ClueStage,
  type KindDef,
  type NegativeListItem,
} from '../model/vocabulary.ts';
import type { AppraisalEffect, Block } from './measures.ts';
import type { ReviewPurpose, WarningTrigger } from './reasons.ts';

/**
 * The names the rules' sentences use, in both locales: what a measure blocks, a clue's stages,
 * a review's purposes and opinions. Tables of data (model/i18n.ts `Label`); the sentences that
 * use them are explain.ts and workflow/citations.ts. Kinds and negative-list items come from the
 * workspace's vocabularies when given, the defaults otherwise.
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

/** An objection's wording per purpose (opinionText). */
export const OBJECTION_TEXT: Record<ReviewPurpose, Label> = {
  'annual-appraisal': { zh: '对其年度考核等次有不同意见', en: 'objection to the annual-appraisal grade' },
  promotion: { zh: '不宜提拔使用', en: 'should not be promoted' },
  commendation: { zh: '不宜评先评优', en: 'should not be commended' },
  'reserve-cadre': { zh: '不宜列为后备干部', en: 'should not be listed as a reserve cadre' },
};

/** The warning rules by name, cited instead of "this workspace's warning rules" when the dossier is known. */
export const WARNING_RULE_NAMES: Record<WarningTrigger, Label> = {
  'open-clue': { zh: '在办线索预警', en: 'open-clue warning rule' },
  'repeated-yellow': { zh: '黄点累计预警', en: 'repeated-yellow-dot warning rule' },
  'substantiated-flag': { zh: '负面清单查实预警', en: 'substantiated negative-list warning rule' },
  'overdue-rectification': { zh: '整改逾期预警', en: 'overdue-rectification warning rule' },
};

export function kindLabel(kind: string, locale: Locale, vocab: Vocabulary): string {
  const def = (vocab.kinds ?? DEFAULT_KINDS).find((k) => k.id === kind) ?? DEFAULT_KINDS.find((k) => k.id === kind);
  return def ? pick(def.label, locale) : kind;
}

export function itemLabel(item: string, locale: Locale, vocab: Vocabulary): string {
  const def = (vocab.negativeList ?? DEFAULT_NEGATIVE_LIST).find((i) => i.id === item);
  return def ? pick(def.label, locale) : item;
}

const IN_YEAR = localised({
  // 年度考核 already says 年度: "2018年度考核", not "2018年度年度考核".
  'zh-CN': { scope: (purpose: string, year: number) => `${year}年度${purpose.replace(/^年度/, '')}` },
  en: { scope: (purpose, year) => `${purpose} for ${year}` },
});

/** "2018年度考核" / "the annual appraisal for 2018": the purpose with the year asked about, if any. */
export function purposeScope(purpose: ReviewPurpose, year: number | undefined, locale: Locale): string {
  const label = pick(PURPOSE_LABELS[purpose], locale);
  return year === undefined ? label : IN_YEAR(locale).scope(label, year);
}
