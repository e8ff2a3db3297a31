import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_CADRE_COUNT, DEMO_UNIT_COUNT, demoFiles, generateCity, loadFiles } from '../../core/demo/index.ts';
import { listImports } from '../../core/import/index.ts';
import { defaultConfig } from '../../core/model/index.ts';
import { memoryTarget } from './import-support.ts';

const config = defaultConfig();

describe('the demo city', () => {
  const city = generateCity();

  it('is deterministic for a seed and differs across seeds', () => {
    expect(JSON.stringify(generateCity())).toBe(JSON.stringify(city));
    expect(
      generateCity({ seed: 7 }).cadres[0]!.name === city.cadres[0]!.name &&
        generateCity({ seed: 7 }).cadres[1]!.name === city.cadres[1]!.name,
    ).toBe(false);
  });

  it("has the seed's scale and a plausible hierarchy", () => {
    expect(city.units).toHaveLength(DEMO_UNIT_COUNT);
    expect(city.cadres).toHaveLength(DEMO_CADRE_COUNT);
    expect(new Set(city.cadres.map((c) => c.id)).size).toBe(DEMO_CADRE_COUNT);
    const codes = new Set(city.units.map((u) => u.code));
    expect(city.units.every((u) => u.parentCode === undefined || codes.has(u.parentCode))).toBe(true);
    expect(city.units.filter((u) => u.kind === 'township').every((u) => u.parentCode?.startsWith('QX'))).toBe(true);
    expect(new Set(city.units.map((u) => u.kind))).toEqual(
      new Set(['party', 'people-congress', 'cppcc', 'government', 'judicial', 'institution', 'enterprise', 'township']),
    );
    expect(city.cadres.every((c) => codes.has(c.unitCode))).toBe(true);
  });

  it('has realistic names: compound surnames and namesakes in different units', () => {
    expect(city.cadres.some((c) => /^(欧阳|司马|上官)/.test(c.name))).toBe(true);
    const units = new Map<string, Set<string>>();
    for (const c of city.cadres) units.set(c.name, (units.get(c.name) ?? new Set()).add(c.unitCode));
    expect([...units.values()].filter((s) => s.size > 1).length).toBeGreaterThanOrEqual(10);
    expect(city.cadres.every((c) => /^[\u4e00-\u9fa5]{2,4}$/.test(c.name))).toBe(true);
  });

  it('never uses a name from the seed article (checked where the seed is present)', () => {
    const dir = join(import.meta.dirname, '../../../shared/seed');
    const seed = existsSync(dir)
      ? readdirSync(dir)
          .map((f) => readFileSync(join(dir, f), 'utf8'))
          .join('\n')
      : '';
    expect(city.cadres.filter((c) => seed.includes(c.name))).toEqual([]);
  });

  it('has records of all four colours at realistic frequencies: most clean, some yellow, rare black', () => {
    const withColour = (colour: string) =>
      new Set(city.records.filter((r) => r.colour === colour && r.subject.type === 'cadre').map((r) => r.subject.id))
        .size / DEMO_CADRE_COUNT;
    expect(withColour('red')).toBeGreaterThan(0.2);
    expect(withColour('blue')).toBeGreaterThan(0.3);
    expect(withColour('yellow')).toBeGreaterThan(0.04);
    expect(withColour('yellow')).toBeLessThan(0.15);
    expect(withColour('black')).toBeGreaterThan(0.005);
    expect(withColour('black')).toBeLessThan(0.03);
    const years = new Set(city.records.map((r) => r.decisionDate.slice(0, 4)));
    expect(years.size).toBeGreaterThanOrEqual(5);
    expect(new Set(city.flags.map((f) => f.status)).size).toBe(4);
    expect(new Set(city.clues.map((c) => c.stage))).toEqual(
      new Set(['received', 'inquiry', 'preliminary', 'case', 'closed']),
    );
    expect(city.cards.length).toBe(DEMO_UNIT_COUNT * 4);
  });

  it('loads through the import path without a single rejected row, and loading again changes nothing', async () => {
    const files = await demoFiles(city, config);
    const t = memoryTarget();
    const opts = { by: 'demo', today: '2025-07-01', config };
    const first = await loadFiles(t, files, opts);
    expect(first.flatMap((r) => r.preview.problems)).toEqual([]);
    const created = (kind: string) =>
      first.reduce((n, r) => n + (r.result.ok ? (r.result.counts[kind]?.created ?? 0) : 0), 0);
    expect([
      created('units'),
      created('cadres'),
      created('records'),
      created('flags'),
      created('clues'),
      created('cards'),
    ]).toEqual([
      DEMO_UNIT_COUNT,
      DEMO_CADRE_COUNT,
      city.records.length,
      city.flags.length,
      city.clues.length,
      city.cards.length,
    ]);
    expect(
      listImports(t)
        .map((i) => i.fileName)
        .sort(),
    ).toEqual(
      files
        .slice(1)
        .map((f) => f.name)
        .sort(),
    );
    const snap = t.snapshot();
    const again = await loadFiles(t, files, opts);
    expect(again.every((r) => r.result.ok && !r.result.applied)).toBe(true);
    expect(t.snapshot()).toEqual(snap);
  }, 60_000);
});
