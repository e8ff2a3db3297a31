/**
 * The badge's one stylesheet. It is constructed once per document and adopted by every badge's
 * shadow root (`adoptedStyleSheets`), so ten thousand badges share one parsed sheet instead of
 * carrying ten thousand <style> elements.
 *
 * Sizes are in px: host pages change the root font size. The pill has its own background and a
 * double ring (dark border, light halo) so it keeps ≥ 3:1 contrast on light and dark pages alike.
 * Dot colours are reserved for dots, and each colour has its own glyph (● ○ ▲ ■) and a count.
 */
/** Space between a pill's parts (placement adds it up: scanner.ts sizes pills from their parts). */
export const PILL_GAP_PX = 3;

export const BADGE_CSS = `
:host { all: initial; }
.pill {
  all: initial;
  box-sizing: border-box;
  display: inline-flex;
  align-items: center;
  gap: ${PILL_GAP_PX}px;
  height: 18px;
  margin: 0 2px;
  padding: 0 5px;
  border: 1px solid #5f6368;
  border-radius: 9px;
  box-shadow: 0 0 0 1px #ffffff;
  background: #ffffff;
  color: #202124;
  font: 500 12px/16px "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif;
  white-space: nowrap;
  font-variant-numeric: tabular-nums;
  vertical-align: middle;
  cursor: pointer;
  user-select: none;
}
.pill:hover { background: #f1f3f4; }
.pill:focus-visible { outline: 2px solid #1a73e8; outline-offset: 2px; }
.name { color: #3c4043; font-weight: 400; }
.dot { white-space: nowrap; }
.red { color: #c5221f; }
.blue { color: #1a56c4; }
.yellow { color: #8a5a00; }
.black { color: #202124; }
.grade { font-weight: 700; padding: 0 2px; border-radius: 3px; background: #e8eaed; }
.warn { color: #8a5a00; border: 1.5px solid #e37400; border-radius: 50%; width: 12px; height: 12px;
  display: inline-flex; align-items: center; justify-content: center; font-size: 9px; line-height: 1; }
.flag { color: #a50e0e; }
.invalid { color: #a50e0e; }
.ambiguous { font-weight: 700; color: #3c4043; }
/* The compact mark (layered badges where the pill does not fit; placement.ts): one glyph in a
   small rounded square, an amber ring for a warning, a red corner dot for negative-list flags. */
/* Layered badges (layer.ts): a pane over the table, badges positioned in it. */
.pane { position: absolute; display: block; contain: strict; pointer-events: none; }
/* A flex box is exactly as tall as its pill or mark (a block would be a 16px-font line box). */
.spot { position: absolute; display: flex; pointer-events: auto; }
.mark { display: none; }
.pill.compact { position: relative; justify-content: center; gap: 0; width: 12px; height: 16px; margin: 0;
  padding: 0; border-radius: 4px; font-size: 10px; line-height: 14px; }
.pill.compact > :not(.mark) { display: none; }
.pill.compact > .mark { display: inline; }
.pill.compact.warned { border: 2px solid #e37400; }
.pill.compact.flagged::after { content: ""; position: absolute; top: -3px; right: -3px; width: 6px; height: 6px;
  border-radius: 50%; background: #a50e0e; box-shadow: 0 0 0 1px #ffffff; }
.card {
  all: initial;
  position: fixed;
  margin: 0;
  inset: auto;
  box-sizing: border-box;
  width: max-content;
  max-width: 320px;
  padding: 8px 10px;
  border: 1px solid #5f6368;
  border-radius: 6px;
  background: #ffffff;
  color: #202124;
  box-shadow: 0 2px 8px rgba(0, 0, 0, 0.25);
  font: 400 12px/18px "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif;
  white-space: normal;
}
.card[popover]:not(:popover-open) { display: none; }
/* Without popovers (Chromium before 114, which drops the rule above as a whole: keep them apart)
   the card is not in the top layer: above the page instead, shown and hidden with [hidden]. */
.card[hidden] { display: none; }
.card:not([popover]) { z-index: 2147483647; }
.card h2 { all: unset; display: block; font-size: 14px; font-weight: 700; }
.card p, .card li { all: unset; display: block; }
.card ul { all: unset; display: block; margin: 4px 0; }
.card .muted { color: #5f6368; }
.card .warnline { color: #7a4f00; background: #fef7e0; border-left: 3px solid #e37400; padding: 0 4px; margin: 2px 0; }
.card .legend { margin-top: 6px; color: #5f6368; font-size: 11px; }
@media (prefers-color-scheme: dark) {
  .card { background: #202124; color: #e8eaed; border-color: #9aa0a6; }
  .card .muted, .card .legend { color: #bdc1c6; }
  .card .warnline { color: #fdd663; background: #3c3200; }
}
@media (prefers-reduced-motion: no-preference) {
  .pill { transition: background-color 80ms linear; }
}
`;

const sheets = new WeakMap<Document, CSSStyleSheet>();

/** The shared sheet for badges in `doc` (a constructed sheet can only be adopted in its document). */
export function badgeSheet(doc: Document): CSSStyleSheet {
  let sheet = sheets.get(doc);
  if (!sheet) {
    const Ctor = (doc.defaultView ?? window).CSSStyleSheet;
    sheet = new Ctor();
    sheet.replaceSync(BADGE_CSS);
    sheets.set(doc, sheet);
  }
  return sheet;
}
