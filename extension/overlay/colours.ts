import type { Colour } from '../../core/model/vocabulary.ts';

/**
 * Every colour the badge and its card draw with, in one place, so their contrast is computed by a
 * test (colours.test.ts) instead of eyeballed. WCAG 2.1: text ≥ 4.5:1 (1.4.3); glyphs, rings and
 * other non-text marks ≥ 3:1 against what they are drawn on (1.4.11). A colour is only as strong
 * as its thinnest stroke: the dot glyphs are drawn as solid CSS shapes of at least 2 px
 * (styles.ts), not as font glyphs (a 9 px ⚠ or a hairline ○ rendered at 2.3–2.9:1 whatever its
 * nominal colour).
 */

export const LIGHT = {
  /** The pill's own background (and the card's): a badge never depends on the page's colours. */
  surface: '#ffffff',
  hover: '#f1f3f4',
  ink: '#202124',
  muted: '#5f6368',
  border: '#5f6368',
  gradeBg: '#e8eaed',
  /** A quiet badge (nothing that matters): muted text and border. */
  quiet: '#5f6368',
  focus: '#1a73e8',
  dots: { red: '#c5221f', blue: '#1a56c4', yellow: '#8a5a00', black: '#202124' } satisfies Record<Colour, string>,
  /** The warning disc and the "!" on it. */
  warnDisc: '#b45f06',
  warnMark: '#ffffff',
  flag: '#a50e0e',
  invalid: '#a50e0e',
  warnLineText: '#7a4f00',
  warnLineBg: '#fef7e0',
  /** The influence-period line in the card. */
  periodText: '#7a4f00',
} as const;

/** The card in a dark colour scheme (the pill stays light: it is a chip of its own). */
export const DARK_CARD = {
  surface: '#202124',
  ink: '#e8eaed',
  muted: '#bdc1c6',
  border: '#9aa0a6',
  dots: { red: '#f28b82', blue: '#8ab4f8', yellow: '#fdd663', black: '#e8eaed' } satisfies Record<Colour, string>,
  warnLineText: '#fdd663',
  warnLineBg: '#3c3200',
  periodText: '#fdd663',
} as const;

/** WCAG relative luminance of a #rrggbb colour. */
export function luminance(hex: string): number {
  const n = parseInt(hex.slice(1), 16);
  const [r, g, b] = [n >> 16, (n >> 8) & 255, n & 255].map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two #rrggbb colours (1–21). */
export function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

export interface Pair {
  what: string;
  fg: string;
  bg: string;
  /** 4.5 for text, 3 for non-text marks. */
  min: 3 | 4.5;
}

/** Every pair the badge and card draw, with the ratio each must reach. */
export function drawnPairs(): Pair[] {
  const out: Pair[] = [];
  for (const bg of [LIGHT.surface, LIGHT.hover]) {
    out.push({ what: 'pill text', fg: LIGHT.ink, bg, min: 4.5 });
    out.push({ what: 'quiet pill text', fg: LIGHT.quiet, bg, min: 4.5 });
    out.push({ what: 'pill border', fg: LIGHT.border, bg, min: 3 });
    for (const [c, fg] of Object.entries(LIGHT.dots)) out.push({ what: `${c} dot glyph and count`, fg, bg, min: 4.5 });
    out.push({ what: 'warning disc', fg: LIGHT.warnDisc, bg, min: 3 });
    out.push({ what: 'flag', fg: LIGHT.flag, bg, min: 4.5 });
    out.push({ what: 'invalid', fg: LIGHT.invalid, bg, min: 4.5 });
    out.push({ what: 'focus ring', fg: LIGHT.focus, bg, min: 3 });
  }
  out.push({ what: 'grade letter', fg: LIGHT.ink, bg: LIGHT.gradeBg, min: 4.5 });
  out.push({ what: '! on the warning disc', fg: LIGHT.warnMark, bg: LIGHT.warnDisc, min: 4.5 });
  out.push({ what: 'card muted text', fg: LIGHT.muted, bg: LIGHT.surface, min: 4.5 });
  out.push({ what: 'card warning line', fg: LIGHT.warnLineText, bg: LIGHT.warnLineBg, min: 4.5 });
  out.push({ what: 'card period line', fg: LIGHT.periodText, bg: LIGHT.surface, min: 4.5 });
  out.push({ what: 'dark card text', fg: DARK_CARD.ink, bg: DARK_CARD.surface, min: 4.5 });
  out.push({ what: 'dark card muted text', fg: DARK_CARD.muted, bg: DARK_CARD.surface, min: 4.5 });
  out.push({ what: 'dark card border', fg: DARK_CARD.border, bg: DARK_CARD.surface, min: 3 });
  for (const [c, fg] of Object.entries(DARK_CARD.dots))
    out.push({ what: `dark card ${c} dot`, fg, bg: DARK_CARD.surface, min: 4.5 });
  out.push({ what: 'dark card warning line', fg: DARK_CARD.warnLineText, bg: DARK_CARD.warnLineBg, min: 4.5 });
  out.push({ what: 'dark card period line', fg: DARK_CARD.periodText, bg: DARK_CARD.surface, min: 4.5 });
  return out;
}
