import type { Colour } from '../../core/model/vocabulary.ts';
import { t } from '../lib/i18n.ts';

/** The badge's and card's words, in the browser's language (locale keys `overlay_*`). */
export interface OverlayText {
  dot(colour: Colour, count: number): string;
  grade(grade: string): string;
  warning: string;
  flags(n: number): string;
  invalid(n: number): string;
  ambiguous(n: number): string;
  ambiguousTitle(n: number): string;
  ambiguousHint: string;
  unit: string;
  noDots: string;
  periods: string;
  legend: string;
}

let cached: OverlayText | undefined;

export function overlayText(): OverlayText {
  cached ??= {
    dot: (c, n) =>
      ({ red: t('overlay_dotRed', n), blue: t('overlay_dotBlue', n), yellow: t('overlay_dotYellow', n), black: t('overlay_dotBlack', n) })[c],
    grade: (g) => t('overlay_grade', g),
    warning: t('overlay_warning'),
    flags: (n) => t('overlay_flags', n),
    invalid: (n) => t('overlay_invalid', n),
    ambiguous: (n) => t('overlay_ambiguous', n),
    ambiguousTitle: (n) => t('overlay_ambiguousTitle', n),
    ambiguousHint: t('overlay_ambiguousHint'),
    unit: t('overlay_unit'),
    noDots: t('overlay_noDots'),
    periods: t('overlay_periods'),
    legend: t('overlay_legend'),
  };
  return cached;
}
