/**
 * Where a badge may sit when it cannot be inserted into the page's flow — pure geometry, so the
 * rule is tested without a browser.
 *
 * Why badges ever leave the flow: in Chromium any insertion into a cell of a large auto-layout
 * table lays out the whole table again (BENCHMARKS.md "Overlay": 60–300 ms per commit at 10,000
 * rows), so for large tables the badge is drawn in a layer beside the table instead, at the
 * end of the name. The rule it keeps is docs/ui.md's: right after the name, never covering the
 * page's text. Only free space counts: the space between the name and whatever text or control
 * follows it on the same line (cell padding, the rest of a column sized for longer names, the
 * gaps between cells — borders are not text). The full pill goes there when it fits, else the
 * compact mark; when not even the mark fits, the caller falls back to inserting the badge in the
 * flow (and pays for the table layout) rather than cover anything.
 */

export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface Size {
  width: number;
  height: number;
}

export type Form = 'pill' | 'mark';

export interface Spot {
  form: Form;
  /** Viewport coordinates of the badge's top-left corner. */
  x: number;
  y: number;
}

/** Space kept between the name and the badge, and between the badge and what follows. */
export const GAP_PX = 1;

/** Tables with more cells than this get layered badges (inline commits stay ≤ ~20 ms below it). */
export const LARGE_TABLE_CELLS = 3_000;

export function isLargeTable(rows: number, columns: number): boolean {
  return rows * Math.max(1, columns) > LARGE_TABLE_CELLS;
}

/** Boxes share a line when they overlap vertically by more than a sliver (rounding). */
export function sameLine(a: Box, b: Box): boolean {
  return Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
}

/**
 * The free width after `name` on its line: up to the nearest following obstacle on that line, or
 * to `limitRight` (the record's right edge). Obstacles that end before the name's end, or sit on
 * another line, do not count.
 */
export function freeWidthAfter(name: Box, obstacles: readonly Box[], limitRight: number): number {
  let right = limitRight;
  for (const o of obstacles) {
    if (!sameLine(name, o) || o.right <= name.right + 0.5) continue;
    right = Math.min(right, Math.max(o.left, name.right));
  }
  return right - name.right;
}

/**
 * The badge's spot right after the name: the pill when it fits the free width, else the mark,
 * else `null` (nothing fits without covering text). Vertically centred on the name's line.
 */
export function spotAfter(
  name: Box,
  obstacles: readonly Box[],
  limitRight: number,
  sizes: { pill: Size; mark: Size },
): Spot | null {
  const free = freeWidthAfter(name, obstacles, limitRight) - 2 * GAP_PX;
  const form: Form | null = sizes.pill.width <= free ? 'pill' : sizes.mark.width <= free ? 'mark' : null;
  if (!form) return null;
  const { height } = sizes[form];
  return { form, x: name.right + GAP_PX, y: (name.top + name.bottom) / 2 - height / 2 };
}
