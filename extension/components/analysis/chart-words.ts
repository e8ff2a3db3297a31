import type { WorkspaceConfig } from '../../../core/model/config.ts';
import { t } from '../../lib/i18n.ts';
import { colourLabel, flagStatusLabel, gradeLabel, itemLabel, kindLabel, stageLabel } from '../city/labels.ts';
import type { ChartWords } from './picture-charts.ts';

/** The charts' words in the UI language, with the workspace's own vocabularies. */
export function chartWords(config: WorkspaceConfig): ChartWords {
  return {
    grade: (id) => gradeLabel(config, id),
    colour: colourLabel,
    kind: (id) => kindLabel(config, id),
    item: (id) => itemLabel(config, id),
    status: flagStatusLabel,
    stage: stageLabel,
    text: {
      grades: t('analysis_grades'),
      gradesByUnit: t('analysis_gradesByUnit'),
      risk: t('analysis_risk'),
      dotsByYear: t('analysis_dotsByYear'),
      kinds: t('analysis_kinds'),
      items: t('analysis_items'),
      clues: t('analysis_clues'),
      cards: t('analysis_cards'),
      unit: t('analysis_unit'),
      cadres: t('analysis_cadres'),
      warned: t('analysis_warned'),
      inPeriod: t('analysis_inPeriod'),
      yellow: t('dotYellow'),
      black: t('dotBlack'),
      index: t('analysis_index'),
      year: t('analysis_year'),
      total: t('analysis_total'),
      kindCol: t('analysis_kindCol'),
      itemCol: t('analysis_itemCol'),
      stageCol: t('analysis_stageCol'),
      onTime: t('analysis_onTime'),
      overdue: t('analysis_overdue'),
      quarter: t('analysis_quarter'),
      done: t('analysis_done'),
      pending: t('analysis_pending'),
      count: t('analysis_count'),
      describe: (title, n) => t('analysis_describe', title, n),
      // The reminder cards' own words (the cards page and its quarterly report say the same).
      cardsSent: t('cards_countCards'),
      summarised: t('cards_countSummarised'),
      lateReceipt: t('cards_overdueReceipt'),
      lateSummary: t('cards_overdueSummary'),
      followedUp: t('cards_colFollowups'),
    },
  };
}
