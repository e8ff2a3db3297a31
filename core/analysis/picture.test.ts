import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { sharedQueries } from '../doc/queries-doc.ts';
import { DEFAULT_GRADE_SCHEME } from '../model/config.ts';
import { emptyQuery } from '../model/query.ts';
import { explain } from '../rules/explain.ts';
import { cardCompletion } from './cards.ts';
import { tableToCsv, tableToXlsx } from './export.ts';
import { picture } from './picture.ts';
import { lookupOf, withReadableRefs } from './reference-labels.ts';
import { fixtureRows } from './test/fixture.ts';

const rows = fixtureRows();
const period = { from: '2024-01-01', to: '2025-06-30' };
const ids = (d: { subjects: { id: string }[] }) => d.subjects.map((s) => s.id);

describe('the picture of a scope over a period, every number with the people behind it', () => {
  const city = picture(rows.cadres, rows.units, { kind: 'city' }, period, DEFAULT_GRADE_SCHEME);

  it('grades, per unit and overall', () => {
    expect(city.cadreCount).toBe(4);
    expect(Object.fromEntries(city.grades.map((g) => [g.grade, ids(g.drill)]))).toEqual({
      A: ['C003'],
      B: [],
      C: ['C002', 'C004'],
      D: ['C001'],
    });
    const a01 = city.gradeByUnit.find((u) => u.code === 'A01')!;
    expect(ids(a01.grades.D!)).toEqual(['C001']);
    expect(a01.cadres).toBe(2);
  });

  it('units ranked by warnings, periods, yellow and black dots per 100 cadres', () => {
    expect(city.risk.map((r) => r.code)).toEqual(['A01', 'B02']);
    const a01 = city.risk[0]!;
    expect(a01.per100).toEqual({ warned: 50, inPeriod: 50, yellow: 200, black: 50 });
    expect(a01.index).toBe(350);
    // The unit's own yellow dot counts toward its ranking, and drills down to the unit.
    expect(a01.yellow.subjects).toEqual([
      { type: 'cadre', id: 'C001' },
      { type: 'cadre', id: 'C002' },
      { type: 'unit', id: 'A01' },
    ]);
    expect(a01.yellow.count).toBe(4);
  });

  it('dots by year and colour within the period; kinds; negative-list items; clues by stage and overdue', () => {
    expect(city.years).toEqual([2024, 2025]);
    const y2025 = city.dotsByYear.find((y) => y.year === 2025)!.colours;
    expect([y2025.black.count, y2025.yellow.count, y2025.red.count, y2025.blue.count]).toEqual([1, 3, 1, 0]);
    expect(ids(y2025.yellow)).toEqual(['C001', 'C002', 'A01']);
    expect(city.dotsByKind[0]).toMatchObject({ kind: 'party-warning', colour: 'black', byYear: { 2025: 1 } });
    expect(city.flagItems).toEqual([
      {
        item: 'banquets',
        total: { count: 1, subjects: [{ type: 'cadre', id: 'C003' }] },
        byStatus: { reported: 0, verifying: 1, substantiated: 0, unfounded: 0 },
      },
    ]);
    const prelim = city.clues.find((c) => c.stage === 'preliminary')!;
    expect([prelim.total.count, prelim.overdue.count, ids(prelim.overdue)]).toEqual([1, 1, ['C004']]);
    expect(city.warned.count).toBe(2);
    expect(city.inPeriod.subjects).toEqual([{ type: 'cadre', id: 'C001' }]);
  });

  it('a narrower scope: a region, a kind of unit, one unit', () => {
    expect(
      picture(rows.cadres, rows.units, { kind: 'region', region: '澄溪区' }, period, DEFAULT_GRADE_SCHEME).cadreCount,
    ).toBe(2);
    expect(
      picture(rows.cadres, rows.units, { kind: 'unitKind', unitKind: 'government' }, period, DEFAULT_GRADE_SCHEME)
        .unitCount,
    ).toBe(1);
    const one = picture(
      rows.cadres,
      rows.units,
      { kind: 'unit', code: 'B02' },
      { from: '2025-01-01', to: '2025-06-30' },
      DEFAULT_GRADE_SCHEME,
    );
    expect(one.dotsByYear.map((y) => y.colours.red.count)).toEqual([1]);
  });

  it('reminder cards: completion per quarter, a pending duty overdue once its quarter is over', () => {
    expect(city.cards.map((q) => [q.quarter, q.cards, q.done, q.pending, q.overdue])).toEqual([
      ['2025Q1', 1, 1, 0, 1],
      ['2025Q2', 1, 0, 1, 0],
    ]);
    expect(city.cards.map((q) => q.holders.overdue)).toEqual([['C001'], []]);
    // The day after the second quarter ends, its pending duty is overdue too.
    expect(
      cardCompletion(
        rows.units.flatMap((u) => u.cards),
        '2025-07-01',
      ).map((q) => q.overdue),
    ).toEqual([1, 1]);
  });
});

describe('exports for the organisation department', () => {
  const table = {
    title: '查询结果：[澄溪区]',
    headers: ['姓名', '职务'],
    rows: [
      ['=HYPERLINK("http://x","点我")', '+1'],
      ['李明', '@SUM(A1)'],
    ],
  };
  it('CSV: a cell that would run as a formula is written as text', () => {
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(tableToCsv(table));
    expect(text.startsWith('\uFEFF姓名,职务\r\n')).toBe(true);
    expect(text).toContain(`"'=HYPERLINK(""http://x"",""点我"")","'+1"`);
    expect(text).toContain(`李明,"'@SUM(A1)"`);
  });
  it('XLSX: the same cells are stored as strings, never formulas', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await tableToXlsx(table)).buffer as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe('查询结果： 澄溪区');
    expect(ws.getCell('A2').type).toBe(ExcelJS.ValueType.String);
    expect(ws.getCell('A2').value).toBe('=HYPERLINK("http://x","点我")');
  });
});

describe('reasons without internal ids', () => {
  it('a record is named by its document number, a clue by what it reports', () => {
    const zhang = rows.cadreById.get('C001')!;
    const text = explain(withReadableRefs(zhang.periods[0]!, lookupOf(zhang), 'zh-CN'), 'zh-CN');
    expect(text).toContain('澜纪发〔2025〕3号');
    expect(text).not.toContain('R1');
    const li = rows.cadreById.get('C004')!;
    const warning = explain(withReadableRefs(li.warnings[0]!, lookupOf(li), 'en'), 'en');
    expect(warning).toContain('“反映其插手工程项目”');
    expect(warning).not.toContain('L1');
  });
});

describe('shared queries', () => {
  it('saved, listed newest first, removed by marking', () => {
    const q = sharedQueries(new Y.Doc());
    expect(
      q.save({
        id: 'q1',
        name: '影响期内干部',
        query: { ...emptyQuery(), inPeriod: true },
        by: 'alice',
        at: '2025-06-01T00:00:00.000Z',
      }),
    ).toEqual({ ok: true, changed: true });
    q.save({
      id: 'q2',
      name: '乡镇预警',
      query: { ...emptyQuery(), warning: true, unitKinds: ['township'] },
      by: 'bob',
      at: '2025-06-02T00:00:00.000Z',
    });
    expect(q.active().map((s) => s.id)).toEqual(['q2', 'q1']);
    q.remove('q2', 'alice', '2025-06-03T00:00:00.000Z');
    expect(q.active().map((s) => s.id)).toEqual(['q1']);
    expect(q.save({ id: 'q3', name: '', query: emptyQuery(), by: 'a', at: '2025-06-02T00:00:00.000Z' }).ok).toBe(false);
  });
});
