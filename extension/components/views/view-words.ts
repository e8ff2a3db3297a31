import type { ViewEntry } from '../../../core/sync/view-log.ts';
import type { CityRows } from '../../lib/city-rows.svelte.ts';
import { t, type MessageKey } from '../../lib/i18n.ts';

/** Each view of the log, in the UI language (core/sync/view-log.ts VIEW_KINDS). */
export const VIEW_LABEL: Partial<Record<string, MessageKey>> = {
  sidepanel: 'views_viewSidepanel',
  print: 'views_viewPrint',
  export: 'views_viewExport',
  review: 'views_viewReview',
  search: 'views_viewSearch',
};

/**
 * A logged subject as officers name it: the cadre's name and unit from this device's copy, or the
 * unit's name. One no longer in scope here (moved, or outside this admin's copy) is named as such,
 * never by its raw id.
 */
export function subjectLabel(city: CityRows, entry: ViewEntry): string {
  if (entry.subject.type === 'cadre') {
    const row = city.rows.cadreById.get(entry.subject.id);
    return row ? `${row.name} · ${row.unitName}` : t('views_unknownCadre');
  }
  const unit = city.units.find((u) => u.code === entry.subject.id);
  return unit ? unit.name : t('views_unknownUnit');
}
