import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { cadreQuerySchema, type CadreQueryInput } from '../model/query.ts';
import { runQuery } from './query.ts';
import { fixtureRows } from './test/fixture.ts';
import { city, cityRows } from './test/city.ts';

const rows = fixtureRows();
const aliases = (code: string) => rows.unitByCode.get(code)?.aliases ?? [];
const ask = (q: CadreQueryInput) => runQuery(rows.cadres, v.parse(cadreQuerySchema, q), aliases).map((r) => r.name);
const set = (q: CadreQueryInput) => ask(q).sort();

describe('finding cadres by what an officer types', () => {
  it.each([
    ['张伟', ['张伟']],
    ['zw', ['张伟']],
    ['zhangwei', ['张伟']],
    // A surname read as a surname: 单 is shan here, not dan.
    ['shanxiong', ['单雄信']],
    ['oyf', ['欧阳芳']],
    ['C00', ['单雄信', '张伟', '李明', '欧阳芳']],
    ['c004', ['李明']],
    ['财政局', ['张伟', '欧阳芳']],
    ['青石镇', ['单雄信', '李明']],
    ['王', []],
  ])('%s', (text, expected) => expect(set({ text })).toEqual([...expected].sort()));
});

describe('filters', () => {
  it('dot colour, kind and decision date describe one dot', () => {
    expect(set({ colours: ['black'] })).toEqual(['张伟']);
    expect(set({ colours: ['yellow'], from: '2025-01-01' })).toEqual(['张伟', '欧阳芳'].sort());
    expect(set({ kinds: ['criticism-education'] })).toEqual(['欧阳芳']);
    // 欧阳芳 has a talk (2025) and a criticism (2024): no talk in 2024.
    expect(set({ kinds: ['reminder-talk'], to: '2024-12-31' })).toEqual([]);
    // Revoked dots never count.
    expect(set({ colours: ['blue'] })).toEqual([]);
  });

  it('warning, influence period and until when', () => {
    expect(set({ warning: true })).toEqual(['李明', '欧阳芳'].sort());
    expect(set({ warning: false })).toEqual(['单雄信', '张伟'].sort());
    expect(set({ inPeriod: true })).toEqual(['张伟']);
    expect(set({ periodEndsBy: '2025-12-31' })).toEqual([]);
    expect(set({ periodEndsBy: '2026-01-09' })).toEqual(['张伟']);
  });

  it('grade, negative list, clue stage, unit, kind of unit, region, rank, post', () => {
    expect(set({ grades: ['D'] })).toEqual(['张伟']);
    expect(set({ grades: ['A'] })).toEqual(['单雄信']);
    expect(set({ flagItems: ['banquets'] })).toEqual(['单雄信']);
    expect(set({ flagItems: ['banquets'], flagStatuses: ['substantiated'] })).toEqual([]);
    expect(set({ clueStages: ['preliminary'] })).toEqual(['李明']);
    expect(set({ units: ['A01'] })).toEqual(['张伟', '欧阳芳'].sort());
    expect(set({ unitKinds: ['township'] })).toEqual(['单雄信', '李明'].sort());
    expect(set({ regions: ['澄溪区'] })).toEqual(['单雄信', '李明'].sort());
    expect(set({ regions: [''] })).toEqual(['张伟', '欧阳芳'].sort());
    expect(set({ ranks: ['正处级', '正科级'] })).toEqual(['张伟', '李明'].sort());
    expect(set({ post: '局长' })).toEqual(['张伟', '欧阳芳'].sort());
    expect(set({ unitKinds: ['township'], warning: true, text: 'lm' })).toEqual(['李明']);
  });
});

describe('sorting', () => {
  it('worst grade first by default, then in name (pinyin) order', () => {
    expect(ask({})).toEqual(['张伟', '李明', '欧阳芳', '单雄信']);
  });
  it('by name, rank (most senior first), unit, dots and period end', () => {
    const byName = ask({ sort: { key: 'name', dir: 'asc' } });
    expect(byName.indexOf('李明')).toBeLessThan(byName.indexOf('欧阳芳'));
    expect(byName.indexOf('欧阳芳')).toBeLessThan(byName.indexOf('张伟'));
    expect(ask({ sort: { key: 'rank', dir: 'asc' } })).toEqual(['张伟', '欧阳芳', '李明', '单雄信']);
    expect(ask({ sort: { key: 'dots', dir: 'desc' } }).slice(0, 2)).toEqual(['张伟', '欧阳芳']);
    expect(ask({ sort: { key: 'periodUntil', dir: 'desc' } })[0]).toBe('张伟');
    expect(ask({ sort: { key: 'unit', dir: 'asc' } }).slice(0, 2)).toEqual(['单雄信', '李明']);
  });
});

describe('the demo city', () => {
  const demo = cityRows(city());
  it('answers every cadre when nothing is asked, and each filter narrows to exactly whom it describes', () => {
    const all = runQuery(demo.cadres, v.parse(cadreQuerySchema, {}));
    expect(all).toHaveLength(1072);
    const black = runQuery(demo.cadres, v.parse(cadreQuerySchema, { colours: ['black'] }));
    expect(black.map((r) => r.id).sort()).toEqual(
      demo.cadres
        .filter((r) => r.dots.black > 0)
        .map((r) => r.id)
        .sort(),
    );
    const warned = runQuery(demo.cadres, v.parse(cadreQuerySchema, { warning: true, unitKinds: ['township'] }));
    expect(warned.length).toBeGreaterThan(0);
    expect(warned.every((r) => r.warnings.length > 0 && r.unitKind === 'township')).toBe(true);
  });
});

it('a saved query that a faulty client wrote is refused by the schema rather than run', () => {
  expect(v.safeParse(cadreQuerySchema, { colours: ['purple'] }).success).toBe(false);
  expect(v.safeParse(cadreQuerySchema, { from: '2025-13-01' }).success).toBe(false);
  expect(v.parse(cadreQuerySchema, {}).sort).toEqual({ key: 'grade', dir: 'desc' });
});
