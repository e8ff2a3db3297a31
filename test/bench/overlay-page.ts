/**
 * The overlay's scanner and badges bundled into an ordinary page, for the benchmark (and for
 * looking at badges without a server): the same code as the content script, with the locale
 * strings read from the zh_CN messages file instead of browser.i18n. The e2e tests use the real
 * extension; this harness exists because a benchmark needs the page and the overlay in one clock.
 */
import messages from '../../extension/public/_locales/zh_CN/messages.json';
import type { SubjectSummary } from '../../core/model/summary.ts';
import { OverlayScanner } from '../../extension/overlay/scanner.ts';
import type { OverlayText } from '../../extension/overlay/text.ts';
import type { OpenTarget } from '../../extension/overlay/badge.ts';

const m = messages as Record<string, { message: string }>;
const t = (key: string, ...subs: (string | number)[]) =>
  (m[key]?.message ?? key).replace(/\$(\d)/g, (_, i: string) => String(subs[Number(i) - 1] ?? ''));

const text: OverlayText = {
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

declare global {
  interface Window {
    __overlay: {
      start(subjects: SubjectSummary[], sliceMs?: number): OverlayScanner;
      opened: OpenTarget[];
    };
  }
}

window.__overlay = {
  opened: [],
  start(subjects, sliceMs) {
    const scanner = new OverlayScanner(document, { text, sliceMs, onOpen: (target) => window.__overlay.opened.push(target) });
    scanner.setIndex(subjects);
    return scanner;
  },
};
