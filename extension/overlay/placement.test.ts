import { describe, expect, it } from 'vitest';
import { freeWidthAfter, isLargeTable, spotAfter, type Box } from './placement.ts';

/** A roster row drawn at y 100–118: 王芳 ends at x 60; the next cell's text starts at x 80. */
const name: Box = { left: 30, top: 100, right: 60, bottom: 118 };
const nextCell: Box = { left: 80, top: 101, right: 130, bottom: 117 };
const sizes = { pill: { width: 60, height: 18 }, mark: { width: 12, height: 16 } };

describe('where a layered badge may sit: right after the name, never over the page text', () => {
  it('free width runs to the next text on the same line', () => {
    expect(freeWidthAfter(name, [nextCell], 500)).toBe(20);
  });

  it('text on another line, or before the name, is not in the way', () => {
    const below: Box = { left: 62, top: 120, right: 90, bottom: 138 };
    const before: Box = { left: 0, top: 100, right: 28, bottom: 118 };
    expect(freeWidthAfter(name, [below, before], 140)).toBe(80);
  });

  it('the record edge bounds the space when nothing follows the name', () => {
    expect(freeWidthAfter(name, [], 75)).toBe(15);
  });

  it('the full pill when it fits, vertically centred on the name', () => {
    const wide: Box = { ...nextCell, left: 200 };
    expect(spotAfter(name, [wide], 500, sizes)).toEqual({ form: 'pill', x: 61, y: 100 });
  });

  it('the compact mark in a tight column', () => {
    expect(spotAfter(name, [nextCell], 500, sizes)).toEqual({ form: 'mark', x: 61, y: 101 });
  });

  it('nothing when even the mark would touch the next text (the caller keeps it in the flow)', () => {
    const touching: Box = { ...nextCell, left: 71 };
    expect(spotAfter(name, [touching], 500, sizes)).toBeNull();
    expect(spotAfter(name, [{ ...nextCell, left: 74 }], 500, sizes)?.form).toBe('mark');
  });

  it('text overlapping the name (a wrapped line end) leaves no room at all', () => {
    const overlapping: Box = { left: 50, top: 100, right: 90, bottom: 118 };
    expect(freeWidthAfter(name, [overlapping], 500)).toBe(0);
    expect(spotAfter(name, [overlapping], 500, sizes)).toBeNull();
  });

  it('a table is large by its cells: 500 rows of 6 columns are not, 501 are', () => {
    expect(isLargeTable(500, 6)).toBe(false);
    expect(isLargeTable(501, 6)).toBe(true);
    expect(isLargeTable(3001, 0)).toBe(true);
  });
});
