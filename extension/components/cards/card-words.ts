import type { CardProgress, CardStage } from '../../../core/workflow/card-flow.ts';
import type { FollowupLevel } from '../../../core/model/workflow-schemas.ts';
import { t, type MessageKey } from '../../lib/i18n.ts';

/**
 * The words for a card's stage (已发放 → 已签收 → 落实中 → 已报告落实情况 → 已总结) and its follow-up
 * levels (提醒谈话 → 诫勉谈话 → 问责/纪律处分), shared by the cards page and the printable dossier.
 */
export const CARD_STAGE_KEYS = {
  issued: 'cards_stageIssued',
  received: 'cards_stageReceived',
  reporting: 'cards_stageReporting',
  reported: 'cards_stageReported',
  summarised: 'cards_stageSummarised',
} as const satisfies Record<CardStage, MessageKey>;

export const FOLLOWUP_LEVEL_KEYS = {
  'reminder-talk': 'cards_levelTalk',
  admonishment: 'cards_levelAdmonish',
  accountability: 'cards_levelAccountability',
} as const satisfies Record<FollowupLevel, MessageKey>;

/** What is overdue on a card, each said in words (逾期未签收, 逾期未报告落实情况, 逾期未总结). */
export function overdueWords(progress: Pick<CardProgress, 'overdue'>): string[] {
  return [
    ...(progress.overdue.receipt ? [t('cards_overdueReceipt')] : []),
    ...(progress.overdue.reports ? [t('cards_overdueReports')] : []),
    ...(progress.overdue.summary ? [t('cards_overdueSummary')] : []),
  ];
}
