import { describe, expect, it } from 'vitest';
import {
  applyImport,
  collectExport,
  directoryFromTarget,
  exportJson,
  exportSheets,
  parseExportJson,
  prepareImport,
  listImports,
  readTable,
  restoreExport,
  sheetToCsv,
  sheetsToXlsx,
  type ImportKind,
} from '../../core/import/index.ts';
import { defaultConfig } from '../../core/model/index.ts';
import { fixture, memoryTarget, TODAY, type MemoryTarget } from './import-support.ts';

const config = defaultConfig();
const AT = '2024-06-30T08:00:00.000Z';

async function loaded(): Promise<MemoryTarget> {
  const t = memoryTarget();
  for (const f of [
    'units-utf8.csv',
    'cadres-utf8-bom.csv',
    'records-gbk.csv',
    'flags.xlsx',
    'clues-utf8.csv',
    'cards-gbk.csv',
  ]) {
    const p = prepareImport(await readTable(fixture(f), f), {
      today: TODAY,
      config,
      directory: directoryFromTarget(t),
    });
    applyImport(t, p, { id: `imp-${f.replace(/\W/g, '')}`, by: 'clerk', at: AT, fileName: f }, 'good-rows');
  }
  return t;
}

const sortById = <T extends { id?: string; code?: string }>(xs: T[]) =>
  [...xs].sort((a, b) => String(a.id ?? a.code).localeCompare(String(b.id ?? b.code)));

describe('export', () => {
  it('JSON round-trips: parse(export(x)) equals x', async () => {
    const t = await loaded();
    const { data, invalid } = collectExport(t, { kind: 'all' }, AT);
    expect(invalid).toBe(0);
    expect([
      data.units.length,
      data.cadres.length,
      data.records.length,
      data.flags.length,
      data.clues.length,
      data.cards.length,
    ]).toEqual([4, 4, 5, 2, 3, 2]);
    const back = parseExportJson(exportJson(data));
    expect(back).toEqual({ ok: true, value: data });
  });

  it('a JSON export restores into empty documents as the same dossiers, logged as one undoable import', async () => {
    const t = await loaded();
    const { data } = collectExport(t, { kind: 'all' }, AT);
    const fresh = memoryTarget();
    const parsed = parseExportJson(exportJson(data));
    if (!parsed.ok) throw new Error('export did not parse');
    const r = restoreExport(fresh, parsed.value, { id: 'imp-json', by: 'admin', at: AT, fileName: 'export.json' });
    expect(r).toMatchObject({
      ok: true,
      applied: true,
      counts: {
        units: { created: 4 },
        cadres: { created: 4 },
        records: { created: 5 },
        flags: { created: 2 },
        clues: { created: 3 },
        cards: { created: 2 },
      },
    });
    const again = collectExport(fresh, { kind: 'all' }, AT).data;
    const strip = <T extends object>(xs: T[]) =>
      sortById(xs.map((x) => ({ ...x, importId: undefined })) as (T & { id?: string })[]);
    for (const k of ['cadres', 'records', 'flags', 'clues', 'cards'] as const)
      expect(strip(again[k] as object[]), k).toEqual(strip(data[k] as object[]));
    expect(listImports(fresh).map((i) => i.id)).toEqual(['imp-json']);
  });

  it('JSON import refuses a tampered file, naming the field', () => {
    const bad = JSON.stringify({
      format: 'dossier-lens/export',
      version: 1,
      exportedAt: AT,
      units: [],
      cadres: [{ id: 'C1', name: '王芳', gender: 'x', birth: '1980-01', unitCode: 'U1', post: '科长', rank: '科员' }],
      records: [],
      flags: [],
      clues: [],
      cards: [],
    });
    const r = parseExportJson(bad, 'en');
    expect(r).toMatchObject({
      ok: false,
      errors: [{ path: 'cadres.0.gender', message: 'Gender: must be male or female' }],
    });
    expect(parseExportJson('{', 'en')).toMatchObject({ ok: false });
  });

  it("one cadre's dossier holds only that cadre's entries", async () => {
    const t = await loaded();
    const { data } = collectExport(t, { kind: 'subject', subject: { type: 'cadre', id: 'C004' }, unitCode: 'U03' }, AT);
    expect(data.cadres.map((c) => c.id)).toEqual(['C004']);
    expect(data.records.every((r) => r.subject.id === 'C004')).toBe(true);
    expect([data.records.length, data.flags.length, data.clues.length, data.cards.length]).toEqual([1, 1, 1, 1]);
  });

  it('CSV and XLSX exports re-import as the same dossiers (headers are the import headers)', async () => {
    const t = await loaded();
    const { data } = collectExport(t, { kind: 'all' }, AT);
    const sheets = exportSheets(data, config);
    expect(sheets.map((s) => s.kind)).toEqual(['units', 'cadres', 'records', 'flags', 'clues', 'cards']);
    const xlsx = await sheetsToXlsx(sheets);
    for (const via of ['csv', 'xlsx'] as const) {
      const fresh = memoryTarget();
      for (const s of sheets) {
        const table =
          via === 'csv' ? await readTable(sheetToCsv(s), 'x.csv') : await readTable(xlsx, 'x.xlsx', s.title);
        const p = prepareImport(table, {
          today: TODAY,
          config,
          directory: directoryFromTarget(fresh),
          kind: s.kind as ImportKind,
        });
        expect(p.problems, `${via} ${s.kind}`).toEqual([]);
        expect(
          applyImport(
            fresh,
            p,
            { id: `imp-${via}-${s.kind}`, by: 'clerk', at: AT, fileName: `x.${via}` },
            'all-or-nothing',
          ).ok,
        ).toBe(true);
      }
      const again = collectExport(fresh, { kind: 'all' }, AT).data;
      const strip = <T extends object>(xs: T[]) =>
        sortById(xs.map((x) => ({ ...x, importId: undefined })) as (T & { id?: string })[]);
      expect(strip(again.cadres)).toEqual(strip(data.cadres));
      expect(strip(again.records)).toEqual(strip(data.records));
      expect(strip(again.flags)).toEqual(strip(data.flags));
      expect(strip(again.clues)).toEqual(strip(data.clues));
      expect(strip(again.cards)).toEqual(strip(data.cards));
      expect(sortById(again.units)).toEqual(sortById(data.units));
    }
  });
});
