import type { OverlayText } from './text.ts';

type Messages = Record<string, { message: string } | undefined>;

/**
 * The overlay's words from a parsed messages.json, for places without browser.i18n: the
 * benchmark page and the e2e tests that compute the accessible names they expect. `$1` is
 * substituted the way browser.i18n does for unnamed placeholders.
 */
export function overlayTextFrom(messages: Messages): OverlayText {
  const t = (key: string, ...subs: (string | number)[]) =>
    (messages[key]?.message ?? key).replace(/\$(\d)/g, (_, i: string) => String(subs[Number(i) - 1] ?? ''));
  return {
    dot: (c, n) => t({ red: 'overlay_dotRed', blue: 'overlay_dotBlue', yellow: 'overlay_dotYellow', black: 'overlay_dotBlack' }[c], n),
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
