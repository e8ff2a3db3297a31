import { DARK_CARD, LIGHT } from './colours.ts';

/**
 * The badge's one stylesheet. It is constructed once per document and adopted by every badge's
 * shadow root (`adoptedStyleSheets`), so ten thousand badges share one parsed sheet instead of
 * carrying ten thousand <style> elements.
 *
 * Sizes are in px: host pages change the root font size. The pill has its own background and a
 * double ring (dark border, light halo) so it keeps ≥ 3:1 contrast on light and dark pages alike.
 * Dot colours are reserved for dots, and each colour has its own shape (● ○ ▲ ■, drawn as solid
 * CSS shapes 10 px tall — as tall as the text — with strokes of at least 2 px: font glyphs of these
 * shapes render about 5 px tall and thin strokes fall below 3:1) and a count. Colours: colours.ts.
 * What a badge shows, loud or quiet: README.md, "What a badge says".
 */
/** Space between a pill's parts (placement adds it up: layered.ts sizes pills from their parts). */
export const PILL_GAP_PX = 3;

const L = LIGHT;
const D = DARK_CARD;

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
  border: 1px solid ${L.border};
  border-radius: 9px;
  box-shadow: 0 0 0 1px ${L.surface};
  background: ${L.surface};
  color: ${L.ink};
  font: 500 12px/16px "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif;
  white-space: nowrap;
  font-variant-numeric: tabular-nums;
  vertical-align: middle;
  cursor: pointer;
  user-select: none;
}
.pill:hover { background: ${L.hover}; }
.pill:focus-visible, .pill.proxy-focus { outline: 2px solid ${L.focus}; outline-offset: 2px; }
/* Loud: something that matters (black or yellow dot, warning, flag, period running): a 2 px ring. */
.pill.loud { border-width: 2px; border-color: ${L.ink}; padding: 0 4px; }
/* Quiet: nothing that matters — only the grade letter, muted, no fill behind it. */
.pill.quiet { color: ${L.quiet}; font-weight: 400; }
.pill.quiet .grade { background: none; font-weight: 400; }
.name { color: ${L.muted}; font-weight: 400; }
.dot { white-space: nowrap; display: inline-flex; align-items: center; gap: 1px; }
.red { color: ${L.dots.red}; }
.blue { color: ${L.dots.blue}; }
.yellow { color: ${L.dots.yellow}; }
.black { color: ${L.dots.black}; }
/* The dot shapes: 10 px, solid (a ring of 2 px for blue), in the dot's colour. */
.g { display: inline-block; box-sizing: border-box; width: 10px; height: 10px; flex: none; background: currentColor; }
.red > .g, .g.red { border-radius: 50%; }
.blue > .g, .g.blue { border-radius: 50%; background: none; border: 2.5px solid currentColor; }
.yellow > .g, .g.yellow { clip-path: polygon(50% 0, 100% 100%, 0 100%); }
.black > .g, .g.black { border-radius: 1px; }
.grade { font-weight: 700; padding: 0 2px; border-radius: 3px; background: ${L.gradeBg}; }
.warn { display: inline-flex; align-items: center; justify-content: center; box-sizing: border-box;
  width: 14px; height: 14px; border-radius: 50%; background: ${L.warnDisc}; color: ${L.warnMark};
  font-size: 11px; font-weight: 700; line-height: 1; }
.flag { color: ${L.flag}; }
.invalid { color: ${L.invalid}; }
.ambiguous { font-weight: 700; color: ${L.muted}; }
/* The compact mark (layered badges where the pill does not fit; placement.ts): one shape in a
   small rounded square, a ring in the warning colour for a warning, a corner dot for flags. */
/* Layered badges (layer.ts): a pane over the table, badges positioned in it. */
.pane { position: absolute; display: block; contain: strict; pointer-events: none; }
/* A flex box is exactly as tall as its pill or mark (a block would be a 16px-font line box). */
.spot { position: absolute; display: flex; pointer-events: auto; }
/* A focus stand-in for a badge drawn in the table (it keeps the layer's row order): invisible. */
.spot.proxy { width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
.mark { display: none; }
.pill.compact { position: relative; justify-content: center; gap: 0; width: 12px; height: 16px; margin: 0;
  padding: 0; border-radius: 4px; font-size: 10px; line-height: 14px; }
.pill.compact > :not(.mark) { display: none; }
.pill.compact > .mark { display: inline-flex; align-items: center; justify-content: center; }
.mark > .g { width: 8px; height: 8px; }
.mark.blue > .g { border-width: 2px; }
.pill.compact.warned { border: 2px solid ${L.warnDisc}; }
.pill.compact.flagged::after { content: ""; position: absolute; top: -3px; right: -3px; width: 6px; height: 6px;
  border-radius: 50%; background: ${L.flag}; box-shadow: 0 0 0 1px ${L.surface}; }
.desc { display: none; }
.card {
  all: initial;
  position: fixed;
  margin: 0;
  inset: auto;
  box-sizing: border-box;
  width: max-content;
  max-width: 320px;
  padding: 8px 10px;
  border: 1px solid ${L.border};
  border-radius: 6px;
  background: ${L.surface};
  color: ${L.ink};
  box-shadow: 0 2px 8px rgba(0, 0, 0, 0.25);
  font: 400 12px/18px "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif;
  white-space: normal;
}
/* The bridge over the 4 px gap to the badge: the pointer moving onto the card never leaves it. */
.card::before { content: ""; position: absolute; left: -1px; right: -1px; top: -6px; height: 6px; }
.card.above::before { top: auto; bottom: -6px; }
.card[popover]:not(:popover-open) { display: none; }
/* Without popovers (Chromium before 114, which drops the rule above as a whole: keep them apart)
   the card is not in the top layer: above the page instead, shown and hidden with [hidden]. */
.card[hidden] { display: none; }
.card:not([popover]) { z-index: 2147483647; }
.card h2 { all: unset; display: block; font-size: 14px; font-weight: 700; }
.card p, .card li { all: unset; display: block; }
.card ul { all: unset; display: block; margin: 4px 0; }
.card .muted { color: ${L.muted}; }
.card .warnline { color: ${L.warnLineText}; background: ${L.warnLineBg}; border-left: 3px solid ${L.warnDisc};
  padding: 0 4px; margin: 2px 0; }
.card .period { color: ${L.periodText}; }
.card .over { color: ${L.muted}; }
.card .dot { margin-right: 2px; }
.card .legend { margin-top: 6px; color: ${L.muted}; font-size: 11px; }
@media (prefers-color-scheme: dark) {
  .card { background: ${D.surface}; color: ${D.ink}; border-color: ${D.border}; }
  .card .muted, .card .legend, .card .over { color: ${D.muted}; }
  .card .warnline { color: ${D.warnLineText}; background: ${D.warnLineBg}; }
  .card .period { color: ${D.periodText}; }
  .card .red { color: ${D.dots.red}; }
  .card .blue { color: ${D.dots.blue}; }
  .card .yellow { color: ${D.dots.yellow}; }
  .card .black { color: ${D.dots.black}; }
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
