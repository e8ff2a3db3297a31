import { beforeEach, describe, expect, it } from 'vitest';
import {
  applyImport,
  directoryFromTarget,
  listImports,
  prepareImport,
  readTable,
  outsideAccessLines,
  type ImportAccess,
} from '../../core/import/index.ts';
import {
  AT,
  config,
  fixture,
  load,
  memoryTarget,
  preview,
  report,
  roster,
  TODAY,
  type MemoryTarget,
} from './import-support.ts';

/**
 * The fixture files (test/fixtures/imports, made by make-fixtures.ts) read and imported in memory:
 * every encoding and layout a department sends, every defect reported by line, column and reason,
 * and a token limited to some units. Importing again and undoing: import-undo.test.ts.
 */
describe('importing the fixture files', () => {
  let t: MemoryTarget;
  beforeEach(() => {
    t = memoryTarget();
  });

  it('units (UTF-8, title row above the header): 4 good, 2 reported', async () => {
    const { preview: p, result } = await load(t, 'units-utf8.csv');
    expect(p).toMatchObject({ kind: 'units', headerLine: 2, rowsRead: 6 });
    expect(report(p)).toEqual([
      [8, '单位类别', 'unit.kind'],
      [9, '单位名称', 'required'],
    ]);
    expect(p.problems[0]!.message).toEqual({
      zh: '单位类别：不是已知的单位类别',
      en: 'Unit kind: is not a known unit kind',
    });
    expect(result.counts).toEqual({ units: { created: 4, updated: 0, unchanged: 0 } });
    expect(t.workspace.units.get('U04')).toMatchObject({
      ok: true,
      value: { name: '东城区青石镇', parentCode: 'U03', kind: 'township', aliases: ['青石镇'] },
    });
  });

  it('cadres (UTF-8 with BOM, starred headers, names for units): every defect reported, good rows filed under their unit', async () => {
    await load(t, 'units-utf8.csv');
    const { preview: p } = await load(t, 'cadres-utf8-bom.csv');
    expect(report(p)).toEqual([
      [6, '姓名*', 'required'],
      [7, '性别', 'cadre.gender'],
      [8, '出生年月', 'date.format'],
      [9, '所在单位', 'import.unknownUnit'],
      [10, '职级', 'cadre.rank'],
      [11, '干部编号*', 'import.conflictingRow'],
      [12, '出生年月', 'date.future'],
    ]);
    expect(p.problems.map((x) => x.message.en)).toContain('Unit: is not a known unit (import the units first)');
    // 财政局 is U02's short name; 1980年5月 stays month-precise, as personnel files keep it.
    expect(t.unit('U02').cadres.get('C002')).toMatchObject({
      ok: true,
      value: { name: '王芳', unitCode: 'U02', birth: '1980-05', gender: 'female', aliases: ['王小芳'] },
    });
    expect(t.unit('U01').cadres.get('C001')).toMatchObject({
      ok: true,
      value: { name: '欧阳明远', post: '部长', birth: '1972-03' },
    });
    expect(t.unit('U04').cadres.get('C003')).toMatchObject({ ok: true, value: { birth: '1985-11-02' } });
  });

  it('records (GBK CSV): every date form read, every defect reported once, in both languages', async () => {
    await roster(t);
    const { preview: p, result } = await load(t, 'records-gbk.csv');
    expect(report(p)).toEqual([
      [7, '决定日期', 'date.future'],
      [8, '生效日期', 'record.effectiveBeforeDecision'],
      [9, '类别', 'kind.unknown'],
      [10, '类别', 'kind.colourMismatch'],
      [11, '干部编号', 'import.unknownCadre'],
      [12, '姓名', 'import.nameMismatch'],
      [13, '决定日期', 'date.format'],
      [14, '察看期限', 'record.probationRequired'],
      [15, '事由', 'required'],
      [16, '干部编号', 'import.duplicateRow'],
    ]);
    expect(p.problems.find((x) => x.line === 8)!.message).toEqual({
      zh: '生效日期：生效日期不能早于决定日期',
      en: 'Effective date: is before the decision date',
    });
    expect(p.notes.map((x) => [x.line, x.column, x.key])).toEqual([[5, '决定日期', 'import.monthOnly']]);
    expect(result.counts).toEqual({ records: { created: 5, updated: 0, unchanged: 0 } });
    const u02 = t
      .unit('U02')
      .records.list()
      .flatMap((e) => (e.ok ? [e.value] : []));
    expect(u02.map((r) => [r.kind, r.colour, r.decisionDate, r.effectiveDate ?? null]).sort()).toEqual([
      ['admonishment', 'yellow', '2021-03-05', null],
      ['gov-demerit', 'black', '2022-07-01', '2022-07-08'],
    ]);
    // Two cadres share the name 王芳; the id decides which dossier the 党内警告 joins.
    expect(t.unit('U04').records.list()).toMatchObject([
      {
        ok: true,
        value: {
          kind: 'party-warning',
          decisionDate: '2018-06-15',
          docNumber: '示纪〔2018〕12号',
          subject: { id: 'C003' },
        },
      },
    ]);
    expect(t.unit('U03').records.list()).toMatchObject([
      { ok: true, value: { kind: 'personal-matters-report', decisionDate: '2023-04-01' } },
    ]);
  });

  it('records (XLSX with real date cells and a title row) give the same dossiers as the GBK CSV', async () => {
    await roster(t);
    const csv = await preview(t, 'records-gbk.csv');
    const xlsx = await preview(t, 'records.xlsx');
    expect(xlsx.headerLine).toBe(2);
    expect(xlsx.entities.map((e) => e.value)).toEqual(csv.entities.map((e) => e.value));
    expect(xlsx.problems.map((x) => [x.line - 1, x.column, x.key])).toEqual(report(csv));
  });

  it('flags (XLSX), clues (English headers, unit subjects) and reminder cards (GBK, one row per duty)', async () => {
    await roster(t);
    const flags = await load(t, 'flags.xlsx');
    expect(report(flags.preview)).toEqual([
      [5, '负面清单事项', 'flag.unknownItem'],
      [6, '监督渠道', 'flag.unknownChannel'],
      [7, '核查状态', 'flag.status'],
    ]);
    expect(t.unit('U02').flags.list()).toMatchObject([
      { ok: true, value: { item: 'gambling', channel: 'community', date: '2023-05-06', status: 'verifying' } },
    ]);
    expect(t.unit('U03').flags.list()).toMatchObject([
      { ok: true, value: { item: 'banquets', channel: 'public-report', date: '2023-09-01', status: 'substantiated' } },
    ]);

    const clues = await load(t, 'clues-utf8.csv');
    expect(report(clues.preview)).toEqual([
      [5, 'Cadre ID', 'import.noSubject'],
      [6, 'Stage', 'clue.stage'],
    ]);
    expect(
      t
        .unit('U02')
        .clues.list()
        .map((e) => e.ok && [e.value.subject.type, e.value.stage])
        .sort(),
    ).toEqual([
      ['cadre', 'preliminary'],
      ['unit', 'inquiry'],
    ]);
    expect(t.unit('U03').clues.get('XS-2023-003')).toMatchObject({
      ok: true,
      value: { stage: 'case', subject: { type: 'cadre', id: 'C004' } },
    });

    const cards = await load(t, 'cards-gbk.csv');
    expect(report(cards.preview)).toEqual([
      [5, '季度', 'quarter.format'],
      [6, '单位', 'import.cardHolderUnit'],
    ]);
    expect(t.unit('U01').cards.list()).toMatchObject([
      {
        ok: true,
        value: {
          quarter: '2024Q1',
          holderId: 'C001',
          items: [
            { text: '召开党风廉政建设专题会议', state: 'done' },
            { text: '开展廉政谈话', state: 'pending' },
          ],
        },
      },
    ]);
    expect(t.unit('U03').cards.list()).toMatchObject([{ ok: true, value: { quarter: '2024Q2', holderId: 'C004' } }]);
  });
});

/**
 * A token limited to some units (ImportAccess, from its grants): rows for units it may not write
 * are reported by line for that reason alone and skipped; applyImport never writes part of a batch
 * that reaches outside it.
 */
describe('importing with a token limited to some units', () => {
  let t: MemoryTarget;
  beforeEach(async () => {
    t = memoryTarget();
    for (const file of ['units-utf8.csv', 'cadres-utf8-bom.csv']) await load(t, file);
  });

  /** Editor on `units` (and admin on the workspace when `directory`); `partial`: rosters it cannot read. */
  const accessTo = (units: string[], opts: { directory?: boolean; partial?: boolean } = {}): ImportAccess => ({
    canWrite: (doc) => (doc === 'workspace' ? !!opts.directory : units.some((c) => doc === `unit:${c}`)),
    canWriteSomeUnit: () => units.length > 0,
    rosterPartial: () => !!opts.partial,
  });
  const prepared = async (file: string, access: ImportAccess) =>
    prepareImport(await readTable(fixture(file), file), {
      today: TODAY,
      config,
      directory: directoryFromTarget(t),
      access,
    });

  it('clues for units outside the token are reported as such, the bad rows within it as before, and the rest imports', async () => {
    const p = await prepared('clues-utf8.csv', accessTo(['U01', 'U02']));
    expect(report(p)).toEqual([
      [4, 'Cadre ID', 'import.outsideAccess'],
      [5, 'Cadre ID', 'import.noSubject'],
      [6, 'Stage', 'clue.stage'],
    ]);
    expect(p.problems[0]!.message).toEqual({
      zh: '干部编号：所属单位不在本令牌的权限范围内（无权写入该单位的档案）',
      en: "Cadre ID: belongs to a unit outside this token's access (it may not write that unit's dossiers)",
    });
    expect(outsideAccessLines(p)).toEqual([4]);
    expect(p.badLines).toEqual([4, 5, 6]);
    const r = applyImport(t, p, { id: 'imp-clues', by: 'clerk', at: AT, fileName: 'clues-utf8.csv' }, 'good-rows');
    expect(r).toMatchObject({
      ok: true,
      counts: { clues: { created: 2, updated: 0, unchanged: 0 } },
      skippedLines: [4, 5, 6],
    });
    expect(t.unit('U03').clues.list()).toEqual([]);
  });

  it('a row outside the token is reported for that alone (no date problems or month-only notes of its own)', async () => {
    // records-gbk.csv: C004 (U03) has a month-only date on line 5 and a colour mismatch on line 10.
    const p = await prepared('records-gbk.csv', accessTo(['U01', 'U02', 'U04']));
    expect(report(p).filter(([line]) => line === 5 || line === 10)).toEqual([
      [5, '干部编号', 'import.outsideAccess'],
      [10, '干部编号', 'import.outsideAccess'],
    ]);
    expect(p.notes.map((n) => n.line)).not.toContain(5);
  });

  it('a cadre not on the rosters the token can read: said so, not "import the roster first"', async () => {
    const p = await prepared('records-gbk.csv', accessTo(['U01'], { partial: true }));
    // C404 is on no roster; with some rosters unreadable it may be another unit's.
    expect(report(p).find(([line]) => line === 11)).toEqual([11, '干部编号', 'import.cadreOutsideAccess']);
    const full = await prepared('records-gbk.csv', accessTo(['U01']));
    expect(report(full).find(([line]) => line === 11)).toEqual([11, '干部编号', 'import.unknownCadre']);
  });

  it('units need the directory: a token without admin on the workspace has every row reported, one with it files only the unit documents it may write', async () => {
    const refused = await prepared('units-utf8.csv', accessTo(['U01']));
    expect(
      report(refused)
        .filter(([, , key]) => key === 'import.directoryReadOnly')
        .map(([line]) => line),
    ).toEqual([3, 4, 5, 6, 8, 9]);
    expect(refused.entities).toEqual([]);

    const fresh = memoryTarget();
    fresh.access = accessTo(['U01'], { directory: true });
    const p = prepareImport(await readTable(fixture('units-utf8.csv'), 'units-utf8.csv'), {
      today: TODAY,
      config,
      directory: directoryFromTarget(fresh),
      access: fresh.access,
    });
    expect(
      applyImport(fresh, p, { id: 'imp-units', by: 'admin', at: AT, fileName: 'units-utf8.csv' }, 'good-rows'),
    ).toMatchObject({ ok: true, counts: { units: { created: 4 } } });
    expect(fresh.unitCodes()).toEqual(['U01']);
  });

  it('applyImport refuses, writing nothing, a batch that would reach a unit outside the token (e.g. prepared without access)', async () => {
    const p = await preview(t, 'records-gbk.csv');
    const before = t.snapshot();
    t.access = accessTo(['U01', 'U02']);
    const r = applyImport(t, p, { id: 'imp-outside', by: 'clerk', at: AT, fileName: 'records-gbk.csv' }, 'good-rows');
    expect(r).toMatchObject({
      ok: false,
      reason: 'refused',
      errors: [
        { key: 'import.outsideAccess', path: 'unit:U04' },
        { key: 'import.outsideAccess', path: 'unit:U03' },
      ],
    });
    expect(t.snapshot()).toEqual(before);
    expect(listImports(t).map((i) => i.id)).not.toContain('imp-outside');
  });
});
