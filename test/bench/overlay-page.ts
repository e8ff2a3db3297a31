/**
 * The overlay's scanner and badges bundled into an ordinary page, for the benchmark (and for
 * looking at badges without a server): the same code as the content script, with the locale
 * strings read from the zh_CN messages file instead of browser.i18n. The e2e tests use the real
 * extension; this harness exists because a benchmark needs the page and the overlay in one clock.
 */
import messages from '../../extension/public/_locales/zh_CN/messages.json';
import type { SubjectSummary } from '../../core/model/summary.ts';
import { OverlayScanner } from '../../extension/overlay/scanner.ts';
import { overlayTextFrom } from '../../extension/overlay/text-table.ts';
import type { OpenTarget } from '../../extension/overlay/badge.ts';

const text = overlayTextFrom(messages);

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
    const scanner = new OverlayScanner(document, {
      text,
      sliceMs,
      onOpen: (target) => window.__overlay.opened.push(target),
    });
    scanner.setIndex(subjects);
    return scanner;
  },
};
