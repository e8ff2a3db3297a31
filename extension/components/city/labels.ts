import type { WorkspaceConfig } from '../../../core/model/config.ts';
import type { Clue } from '../../../core/model/schemas.ts';
import type { ClueStage, Colour, FlagStatus, Rank, UnitKind } from '../../../core/model/vocabulary.ts';
import { clueStageLabel, type ClueProgress } from '../../../core/workflow/clue-flow.ts';
import { formatDate, STAGE_LABELS } from '../../../core/rules/explain.ts';
import { label, t, uiLocale, type MessageKey } from '../../lib/i18n.ts';
import { DOT_LABEL } from '../sidepanel/dots.ts';

/**
 * The words for the vocabularies the city-wide pages show, in the UI language: unit kinds, ranks,
 * statuses and stages, and the workspace's own lists (kinds, negative-list items, grades). Dates
 * and numbers follow the UI locale (2025年6月30日 / 2025-06-30; 1,072).
 */

const UNIT_KIND: Record<UnitKind, MessageKey> = {
  party: 'city_unitKindParty',
  government: 'city_unitKindGovernment',
  'people-congress': 'city_unitKindCongress',
  cppcc: 'city_unitKindCppcc',
  judicial: 'city_unitKindJudicial',
  institution: 'city_unitKindInstitution',
  enterprise: 'city_unitKindEnterprise',
  township: 'city_unitKindTownship',
  other: 'city_unitKindOther',
};
const RANK: Record<Rank, MessageKey> = {
  正厅级: 'city_rank0',
  副厅级: 'city_rank1',
  正处级: 'city_rank2',
  副处级: 'city_rank3',
  正科级: 'city_rank4',
  副科级: 'city_rank5',
  科员: 'city_rank6',
};
const FLAG_STATUS: Record<FlagStatus, MessageKey> = {
  reported: 'flagReported',
  verifying: 'flagVerifying',
  substantiated: 'flagSubstantiated',
  unfounded: 'flagUnfounded',
};

export const unitKindLabel = (k: UnitKind) => t(UNIT_KIND[k]);
export const rankLabel = (r: Rank | undefined) => (r ? t(RANK[r]) : '—');
export const flagStatusLabel = (s: FlagStatus) => t(FLAG_STATUS[s]);
export const stageLabel = (s: ClueStage) => label(STAGE_LABELS[s]);
/** A clue's stage as its steps left it, a closed one named by how it closed (rows' `clueProgress`). */
export const clueStageText = (progress: ReadonlyMap<string, ClueProgress>, c: Clue) =>
  label(clueStageLabel(progress.get(c.id) ?? c));
export const colourLabel = (c: Colour) => t(DOT_LABEL[c]);
export const regionLabel = (r: string) => r || t('city_regionNone');

export function kindLabel(config: Pick<WorkspaceConfig, 'kinds'>, id: string): string {
  const k = config.kinds.find((x) => x.id === id);
  return k ? label(k.label) : id;
}
export function itemLabel(config: Pick<WorkspaceConfig, 'negativeList'>, id: string): string {
  const i = config.negativeList.find((x) => x.id === id);
  return i ? label(i.label) : id;
}
export function gradeLabel(config: Pick<WorkspaceConfig, 'gradeScheme'>, id: string): string {
  const g = config.gradeScheme.grades.find((x) => x.id === id);
  return g ? label(g.label) : '';
}

export const date = (d: string) => formatDate(d, uiLocale());
/** Punctuation that differs between the languages: （…） and ： in Chinese, ( … ) and : in English. */
export const paren = (s: string | number) => t('city_paren', s);
export const colon = () => t('city_colon');
export const listOf = (items: readonly string[]) => items.join(t('city_listSep'));
export const num = (n: number) => new Intl.NumberFormat(uiLocale()).format(n);
/** A moment (ISO time) in the UI language and the device's zone, to the minute. */
export const moment = (iso: string) =>
  new Intl.DateTimeFormat(uiLocale(), {
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
