import { describe, expect, it } from 'vitest';
import { contrast, drawnPairs } from './colours.ts';
import { BADGE_CSS } from './styles.ts';

describe('badge colours reach WCAG 2.1 AA contrast (1.4.3 text, 1.4.11 glyphs and rings)', () => {
  it('computes ratios the way WCAG does', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#c99700', '#ffffff')).toBeCloseTo(2.65, 2);
  });

  it.each(drawnPairs().map((p) => [p.what, p.fg, p.bg, p.min] as const))(
    '%s: %s on %s ≥ %s:1',
    (_what, fg, bg, min) => {
      expect(contrast(fg, bg)).toBeGreaterThanOrEqual(min);
    },
  );

  it('the stylesheet draws with no colour outside the module', () => {
    const used = new Set(BADGE_CSS.match(/#[0-9a-f]{6}\b/gi) ?? []);
    const declared = new Set(drawnPairs().flatMap((p) => [p.fg, p.bg]));
    expect([...used].filter((c) => !declared.has(c.toLowerCase()))).toEqual([]);
  });
});
