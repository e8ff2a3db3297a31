import { onAlertSettingsChange, readAlertSettings } from '../lib/alert-settings.ts';
import { t } from '../lib/i18n.ts';
import type { OpenTarget } from './badge.ts';
import { createPageSummary, type PageSummary } from './page-summary.ts';

/** The page summary with its words and the user's switch (options page, off by default). */
export function startPageSummary(doc: Document, onOpen: (target: OpenTarget) => void): PageSummary {
  const summary = createPageSummary(doc, {
    onOpen,
    text: {
      line: (people, warned, inPeriod) => ({
        people: t('pageSummary_people', people),
        warned: t('pageSummary_warned', warned),
        inPeriod: t('pageSummary_inPeriod', inPeriod),
      }),
      label: t('pageSummary_label'),
      close: t('pageSummary_close'),
      show: (name) => t('pageSummary_show', name),
      nameInUnit: (name, unit) => `${name}${t('city_paren', unit)}`,
    },
  });
  const load = () =>
    void readAlertSettings()
      .then((s) => summary.setEnabled(s.pageSummary))
      .catch(() => undefined);
  load();
  const stop = onAlertSettingsChange(load);
  return {
    ...summary,
    stop() {
      stop();
      summary.stop();
    },
  };
}
