import { browser } from 'wxt/browser';
import type { MessageKey } from './i18n.ts';

/**
 * The full-tab pages (docs/ui.md "Pages"): one list, read by the pages' own left navigation and by the
 * links to them from the options page and the side panel, so a new page is added in one place.
 * The names are WXT's output files for entrypoints/<name>/ (.output/chrome-mv3/<name>.html).
 */
export const workPages = [
  { name: 'cards', label: 'review_navCards' },
  { name: 'clues', label: 'review_navClues' },
  { name: 'review', label: 'review_navReview' },
  { name: 'units', label: 'review_navUnits' },
  { name: 'import', label: 'review_navImport' },
  { name: 'search', label: 'review_navSearch' },
  { name: 'analysis', label: 'review_navAnalysis' },
  { name: 'alerts', label: 'review_navAlerts' },
] as const satisfies readonly { name: string; label: MessageKey }[];

export type WorkPage = (typeof workPages)[number]['name'];
export type FullTabPage = WorkPage | 'options' | 'dossier' | 'views';

export function pageUrl(page: FullTabPage): string {
  return browser.runtime.getURL(`/${page}.html`);
}

/**
 * Opens a page in a new tab next to the current one. From the side panel a plain link would
 * replace the panel with the page; from the options page it would leave the settings.
 */
export async function openPageInTab(page: FullTabPage): Promise<void> {
  await browser.tabs.create({ url: pageUrl(page) });
}
