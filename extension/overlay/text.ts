import { t } from '../lib/i18n.ts';
import { overlayTextWith, type OverlayText } from './text-table.ts';

export type { OverlayText } from './text-table.ts';

let cached: OverlayText | undefined;

/** The badge's and card's words in the user's language, through the extension's catalogues. */
export function overlayText(): OverlayText {
  cached ??= overlayTextWith(t);
  return cached;
}
