import type { Colour } from '../../core/model/vocabulary.ts';

/** The badge's and card's words, in the user's language (locale keys `overlay_*`). */
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

/** Every key the overlay reads; text.ts passes them to the extension's typed `t`, so a key missing
 * from the catalogue fails the type check. */
type OverlayKey =
  | 'overlay_dotRed'
  | 'overlay_dotBlue'
  | 'overlay_dotYellow'
  | 'overlay_dotBlack'
  | 'overlay_grade'
  | 'overlay_warning'
  | 'overlay_flags'
  | 'overlay_invalid'
  | 'overlay_ambiguous'
  | 'overlay_ambiguousTitle'
  | 'overlay_ambiguousHint'
  | 'overlay_unit'
  | 'overlay_noDots'
  | 'overlay_periods'
  | 'overlay_legend';

type Translate = (key: OverlayKey, ...subs: (string | number)[]) => string;

const DOT_KEYS = {
  red: 'overlay_dotRed',
  blue: 'overlay_dotBlue',
  yellow: 'overlay_dotYellow',
  black: 'overlay_dotBlack',
} as const;

/** The overlay's words through any translate function: the extension's, or a parsed catalogue. */
export function overlayTextWith(t: Translate): OverlayText {
  return {
    dot: (c, n) => t(DOT_KEYS[c], n),
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
}

type Messages = Record<string, { message: string } | undefined>;

/**
 * The overlay's words from a parsed messages.json, for places without the extension's i18n (this
 * module imports nothing from the browser): the benchmark page and the e2e tests that compute the
 * accessible names they expect. `$1` is substituted the way browser.i18n does for unnamed
 * placeholders.
 */
export function overlayTextFrom(messages: Messages): OverlayText {
  return overlayTextWith((key, ...subs) =>
    (messages[key]?.message ?? key).replace(/\$(\d)/g, (_, i: string) => String(subs[Number(i) - 1] ?? '')),
  );
}
