import { clueLabel, lookupOf, recordLabel, withReadableRefs } from '../../../core/analysis/reference-labels.ts';
import type { CadreRow, UnitRow } from '../../../core/analysis/rows.ts';
import type { WorkspaceConfig } from '../../../core/model/config.ts';
import type { Alert, AlertKind } from '../../../core/model/alert.ts';
import { explain } from '../../../core/rules/explain.ts';
import { t, uiLocale, type MessageKey } from '../../lib/i18n.ts';
import { date, kindLabel } from '../city/labels.ts';

/**
 * What an alert says, in the UI language, for the notification, the inbox and the page summary.
 * Ids never appear: a warning is worded by the rules' own explanation with its records named by
 * document number, a clue by what it reports. When the subject has left the user's scope (or the
 * condition no longer holds), the text falls back to what the alert itself recorded.
 */

export const KIND_LABEL: Record<AlertKind, MessageKey> = {
  warning: 'alerts_kindWarning',
  overdue: 'alerts_kindOverdue',
  'period-ending': 'alerts_kindPeriodEnding',
};

const TRIGGER_LABEL = {
  'open-clue': 'alerts_triggerOpenClue',
  'repeated-yellow': 'alerts_triggerRepeatedYellow',
  'substantiated-flag': 'alerts_triggerSubstantiatedFlag',
  'overdue-rectification': 'alerts_triggerOverdueRectification',
} as const satisfies Record<string, MessageKey>;

export function alertText(
  a: Alert,
  rows: { cadre?: CadreRow; unit?: UnitRow },
  config: Pick<WorkspaceConfig, 'kinds' | 'negativeList'>,
): string {
  const locale = uiLocale();
  const data = rows.cadre ?? rows.unit;
  const look = data ? lookupOf(data) : lookupOf({ clues: [] });
  const d = a.detail;
  switch (d.what) {
    case 'warning': {
      const w = rows.cadre?.warnings.find((x) => x.trigger === d.trigger && x.refs.some((r) => d.refs.includes(r)));
      return w
        ? explain(withReadableRefs(w, look, locale), locale, { kinds: config.kinds, negativeList: config.negativeList })
        : t(TRIGGER_LABEL[d.trigger]);
    }
    case 'clue-overdue':
      return t(
        d.rectification ? 'alerts_clueRectificationOverdue' : 'alerts_clueOverdue',
        clueLabel(look.clue(d.clue), locale),
        date(d.due),
      );
    case 'rectification-overdue':
      return t('alerts_rectificationOverdue', recordLabel(look.record(d.record), locale), date(d.due));
    case 'card-overdue':
      return t('alerts_cardOverdue', d.quarter, d.text);
    case 'period-ending':
      return t('alerts_periodEnding', kindLabel(config, d.kind), date(d.until), d.review.label, date(d.review.date));
  }
}
