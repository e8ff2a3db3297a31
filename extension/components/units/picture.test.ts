import { describe, expect, test } from 'vitest';
import type { DotTally } from '../../../core/rules/aggregates.ts';
import { mergeTallies, sortCadres, type CadreRow } from './picture.ts';

const row = (id: string, name: string, level: 0 | 1 | 2 | 3, warnings = 0): CadreRow => ({
  id, name, post: '', graded: { grade: 'ABCD'[level]!, level, reasons: [] }, dots: { red: 0, blue: 0, yellow: 0, black: 0 }, warnings,
});

describe('unit picture helpers', () => {
  test('cadres sort by grade worst first, by name in pinyin order, ties broken by name then id', () => {
    const rows = [row('C3', '王芳', 0), row('C1', '李明', 3), row('C2', '王芳', 0), row('C4', '赵强', 2, 1)];
    expect(sortCadres(rows, 'grade', true).map((r) => r.id)).toEqual(['C1', 'C4', 'C2', 'C3']);
    expect(sortCadres(rows, 'grade', false).map((r) => r.id)).toEqual(['C2', 'C3', 'C4', 'C1']);
    expect(sortCadres(rows, 'name', false).map((r) => r.id)).toEqual(['C1', 'C2', 'C3', 'C4']);
    expect(sortCadres(rows, 'warnings', true).map((r) => r.id)[0]).toBe('C4');
  });

  test("the unit's own dots and its cadres' add up per colour, kind and year", () => {
    const a: DotTally = { total: 1, byColour: { red: 0, blue: 0, yellow: 1, black: 0 }, byKind: { 'unit-problem-clue': 1 }, byYear: { 2019: { red: 0, blue: 0, yellow: 1, black: 0 } } };
    const b: DotTally = { total: 2, byColour: { red: 1, blue: 0, yellow: 1, black: 0 }, byKind: { commendation: 1, 'reminder-talk': 1 }, byYear: { 2017: { red: 1, blue: 0, yellow: 0, black: 0 }, 2019: { red: 0, blue: 0, yellow: 1, black: 0 } } };
    const m = mergeTallies(a, b);
    expect(m.total).toBe(3);
    expect(m.byColour).toEqual({ red: 1, blue: 0, yellow: 2, black: 0 });
    expect(m.byKind).toEqual({ 'unit-problem-clue': 1, commendation: 1, 'reminder-talk': 1 });
    expect(m.byYear).toEqual({ 2017: { red: 1, blue: 0, yellow: 0, black: 0 }, 2019: { red: 0, blue: 0, yellow: 2, black: 0 } });
    expect(a.byYear[2019]!.yellow).toBe(1);
  });
});
