import { describe, expect, test } from 'vitest';
import { DEFAULT_GRADE_SCHEME } from '../../../core/model/config.ts';
import { fixtureRows } from '../../../core/analysis/test/fixture.ts';
import { sortCadres, unitPicture } from './picture.ts';

const rows = fixtureRows();
const cadresOf = (code: string) => rows.cadres.filter((c) => c.unitCode === code);

describe('unit picture', () => {
  test("the unit's own dossier and its people's standing are kept apart, with the thresholds the grade reads", () => {
    const p = unitPicture(rows.unitByCode.get('A01')!, cadresOf('A01'), DEFAULT_GRADE_SCHEME);
    // Its own dossier: one yellow dot (a problem clue) whose rectification is overdue, no sanction.
    expect(p.unit.dots).toEqual({ red: 0, blue: 0, yellow: 1, black: 0 });
    expect(p.unit.own.facts.warnings.map((w) => w.trigger)).toEqual(['overdue-rectification']);
    expect(p.unit.own.facts.periods).toEqual([]);
    // Its people: one cadre at D in a 党内警告 period, one under warning.
    expect(p.people.lowest.map((c) => c.name)).toEqual(['张伟']);
    expect(p.people.warned.map((c) => c.name)).toEqual(['欧阳芳']);
    expect(p.people.inPeriod.map((c) => c.name)).toEqual(['张伟']);
    expect([p.people.lowestShare, p.people.lowestThreshold, p.people.warnedShare, p.people.warnedThreshold]).toEqual([
      0.5, 0.1, 0.5, 0.2,
    ]);
    expect(p.people.byGrade.map((g) => [g.grade, g.cadres.length])).toEqual([
      ['A', 0],
      ['B', 0],
      ['C', 1],
      ['D', 1],
    ]);
  });

  test('cadres sort by grade worst first, by name in pinyin order, ties broken by name then id', () => {
    const all = rows.cadres;
    expect(sortCadres(all, 'grade', true).map((r) => r.name)).toEqual(['张伟', '李明', '欧阳芳', '单雄信']);
    expect(sortCadres(all, 'grade', false).map((r) => r.name)[0]).toBe('单雄信');
    expect(sortCadres(all, 'warnings', true).map((r) => r.warnings.length)).toEqual([1, 1, 0, 0]);
  });
});
