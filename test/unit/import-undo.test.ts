import { beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  applyImport,
  directoryFromTarget,
  listImports,
  prepareImport,
  readTable,
  undoImport,
} from '../../core/import/index.ts';
import {
  AT,
  config,
  fixture,
  load,
  memoryTarget,
  preview,
  roster,
  TODAY,
  type MemoryTarget,
} from './import-support.ts';

/**
 * An import done again, refused, undone and redone (on the fixture files, in memory): a file
 * imported twice changes nothing the second time, all-or-nothing writes nothing when rows are bad,
 * and undo restores what was there before — values the import overwrote included.
 */
describe('re-importing and undoing imports', () => {
  let t: MemoryTarget;
  beforeEach(() => {
    t = memoryTarget();
  });

  it('re-importing every file changes nothing: no new Yjs update in any document', async () => {
    await roster(t);
    for (const f of ['records-gbk.csv', 'flags.xlsx', 'clues-utf8.csv', 'cards-gbk.csv']) await load(t, f);
    const vectors = () => new Map([...t.docs].map(([code, d]) => [code, Y.encodeStateVector(d)]));
    const before = vectors();
    const ws = Y.encodeStateVector(t.workspace.doc);
    const snap = t.snapshot();
    for (const f of [
      'units-utf8.csv',
      'cadres-utf8-bom.csv',
      'records-gbk.csv',
      'records.xlsx',
      'flags.xlsx',
      'clues-utf8.csv',
      'cards-gbk.csv',
    ]) {
      const again = await load(t, f, `again-${f.replace(/\W/g, '')}`);
      expect(again.result.applied).toBe(false);
    }
    expect(t.snapshot()).toEqual(snap);
    expect(Y.encodeStateVector(t.workspace.doc)).toEqual(ws);
    // The import log keeps the no-op imports (who tried which file, when) with nothing created or
    // updated; no entity is attributed to them.
    const again = listImports(t).filter((i) => i.id.startsWith('again-'));
    expect(again.length).toBeGreaterThan(0);
    for (const i of again) for (const c of Object.values(i.counts)) expect([c.created, c.updated]).toEqual([0, 0]);
    for (const code of before.keys()) {
      expect(
        t
          .unit(code)
          .records.list()
          .every((e) => e.ok && !e.value.importId?.startsWith('again-')),
      ).toBe(true);
    }
  });

  it('all-or-nothing refuses a file with bad rows and writes nothing', async () => {
    await roster(t);
    const snap = t.snapshot();
    const p = await preview(t, 'records-gbk.csv');
    const r = applyImport(
      t,
      p,
      { id: 'imp-strict', by: 'clerk', at: AT, fileName: 'records-gbk.csv' },
      'all-or-nothing',
    );
    expect(r).toEqual({ ok: false, reason: 'bad-rows', lines: [7, 8, 9, 10, 11, 12, 13, 14, 15, 16], errors: [] });
    expect(t.snapshot()).toEqual(snap);
    expect(listImports(t).map((i) => i.id)).not.toContain('imp-strict');
  });

  it('undo restores the previous state, including values the import overwrote', async () => {
    await roster(t);
    await load(t, 'records-gbk.csv');
    const before = t.snapshot();
    // A corrected file from the department: C002's post changed, plus a new cadre.
    const table = await readTable(fixture('cadres-utf8-bom.csv'));
    table.rows = [
      table.rows[0]!,
      { line: 2, cells: ['C002', '王芳', '女', '1980年5月', 'U02', '局长', '正处级', '王小芳'] },
      { line: 3, cells: ['C011', '欧阳丽', '女', '1990.02', 'U02', '科员', '科员', ''] },
    ];
    const p = prepareImport(table, { today: TODAY, config, directory: directoryFromTarget(t) });
    const r = applyImport(
      t,
      p,
      { id: 'imp-fix', by: 'clerk', at: '2024-06-30T08:30:00.000Z', fileName: '更正.csv' },
      'all-or-nothing',
    );
    expect(r).toMatchObject({ ok: true, counts: { cadres: { created: 1, updated: 1, unchanged: 0 } } });
    expect(t.unit('U02').cadres.get('C002')).toMatchObject({ value: { post: '局长', rank: '正处级' } });
    expect(listImports(t)[0]).toMatchObject({
      id: 'imp-fix',
      by: 'clerk',
      fileName: '更正.csv',
      units: ['U02'],
      counts: { cadres: { created: 1, updated: 1 } },
    });

    const undo = undoImport(t, 'imp-fix', { by: 'admin', at: '2024-06-30T09:00:00.000Z', reason: '文件有误' });
    expect(undo).toEqual({ ok: true, units: ['U02'], errors: [] });
    expect(t.snapshot()).toEqual(before);
    expect(listImports(t).find((i) => i.id === 'imp-fix')?.undone).toMatchObject({ by: 'admin', reason: '文件有误' });
  });

  it('undo of a records import withdraws every record it brought, in every unit it touched', async () => {
    await roster(t);
    await load(t, 'records-gbk.csv', 'imp-rec');
    expect(
      listImports(t)
        .find((i) => i.id === 'imp-rec')
        ?.units.sort(),
    ).toEqual(['U01', 'U02', 'U03', 'U04']);
    expect(undoImport(t, 'imp-rec', { by: 'admin', at: '2024-06-30T09:00:00.000Z', reason: '重复报送' }).ok).toBe(true);
    const all = ['U01', 'U02', 'U03', 'U04'].flatMap((c) => t.unit(c).records.list());
    expect(all).toHaveLength(5);
    // Records are never deleted (domain rule): undo revokes them, with who, when and why.
    expect(all.every((e) => e.ok && e.value.status === 'revoked' && e.value.revoked?.reason === '重复报送')).toBe(true);
  });

  it('re-importing a file undone by mistake brings its records back, except one an officer revoked; undo withdraws them again', async () => {
    await roster(t);
    await load(t, 'records-gbk.csv', 'imp-rec');
    const records = () =>
      ['U01', 'U02', 'U03', 'U04'].flatMap((c) => t.unit(c).records.list()).flatMap((e) => (e.ok ? [e.value] : []));
    const [byHand, ...others] = records();
    const officer = { by: 'officer', at: '2024-06-30T08:45:00.000Z', reason: '处分已被撤销' };
    const unitOf = (id: string) => t.unit(t.unitCodes().find((c) => t.unit(c).records.get(id))!);
    expect(unitOf(byHand!.id).records.revoke(byHand!.id, officer).ok).toBe(true);
    expect(undoImport(t, 'imp-rec', { by: 'admin', at: '2024-06-30T09:00:00.000Z', reason: '误撤销' }).ok).toBe(true);

    const { result } = await load(t, 'records-gbk.csv', 'imp-again');
    expect(result.counts).toEqual({ records: { created: 0, updated: 4, unchanged: 1 } });
    const status = () => Object.fromEntries(records().map((r) => [r.id, r.status]));
    expect(status()).toEqual({ ...Object.fromEntries(others.map((r) => [r.id, 'active'])), [byHand!.id]: 'revoked' });
    expect(records().find((r) => r.id === byHand!.id)?.revoked).toEqual(officer);

    expect(undoImport(t, 'imp-again', { by: 'admin', at: '2024-06-30T10:00:00.000Z', reason: '确实重复' }).ok).toBe(
      true,
    );
    expect(records().every((r) => r.status === 'revoked')).toBe(true);
    expect(
      records()
        .filter((r) => r.revoked?.reason === '确实重复')
        .map((r) => r.id)
        .sort(),
    ).toEqual(others.map((r) => r.id).sort());
  });
});
