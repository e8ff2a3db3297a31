import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { unitDossiers } from './unit-doc.ts';
import { cadre, fixedClock, record, sync } from './test/fixtures.ts';

const meta = (id: string) => ({ id, by: 'clerk', at: '2024-05-01T08:00:00.000Z', fileName: '2024年一季度.csv' });

describe('import log', () => {
  it('applies a batch, counts it, and writes nothing on a re-import of the same file', () => {
    const u = unitDossiers(new Y.Doc(), { now: fixedClock });
    const batch = {
      cadres: [cadre('c1')],
      records: [record('r1', 'c1'), record('r2', 'c1', { kind: 'party-serious-warning' })],
    };
    const first = u.imports.apply(meta('imp1'), batch);
    expect(first).toMatchObject({ ok: true, entry: { counts: { cadres: { created: 1 }, records: { created: 2 } } } });
    expect(u.records.get('r1')).toMatchObject({ ok: true, value: { importId: 'imp1' } });

    const before = u.records.list();
    const again = u.imports.apply(meta('imp2'), { cadres: [cadre('c1')], records: [record('r1', 'c1')] });
    expect(again).toMatchObject({
      ok: true,
      entry: { counts: { cadres: { unchanged: 1 }, records: { unchanged: 1 } }, changes: [] },
    });
    expect(u.records.list()).toEqual(before);
    const changed = u.imports.apply(meta('imp3'), { records: [record('r1', 'c1', { summary: '补充' })] });
    expect(changed).toMatchObject({ ok: true, entry: { counts: { records: { updated: 1 } } } });
    expect(u.records.get('r1')).toMatchObject({ value: { summary: '补充', importId: 'imp3' } });
    expect(u.imports.list().map((e) => e.ok && e.value.id)).toEqual(['imp1', 'imp2', 'imp3']);
  });

  it('is all-or-nothing: one bad row rejects the file, naming the row and field', () => {
    const u = unitDossiers(new Y.Doc(), { locale: 'en' });
    const r = u.imports.apply(meta('imp1'), {
      records: [record('r1', 'c1'), { ...record('r2', 'c1'), colour: 'green' }],
    });
    expect(r).toMatchObject({
      ok: false,
      rejected: [{ collection: 'records', index: 1, errors: [{ field: 'colour' }] }],
    });
    expect(u.records.ids()).toEqual([]);
    expect(u.imports.list()).toEqual([]);
  });

  it('refuses to reuse an import id', () => {
    const u = unitDossiers(new Y.Doc());
    u.imports.apply(meta('imp1'), { cadres: [cadre('c1')] });
    expect(u.imports.apply(meta('imp1'), { cadres: [cadre('c2')] }).ok).toBe(false);
    expect(u.cadres.get('c2')).toBeUndefined();
  });

  it('undo restores updated entities, revokes created records, removes other created entities', () => {
    const u = unitDossiers(new Y.Doc());
    u.cadres.put(cadre('c1'));
    u.imports.apply(meta('imp1'), {
      cadres: [cadre('c1', { post: '副局长' }), cadre('c2', { name: '李娜' })],
      records: [record('r1', 'c1')],
    });
    expect(u.cadres.get('c1')).toMatchObject({ value: { post: '副局长' } });
    const how = { by: 'admin', at: '2024-05-03T10:00:00.000Z', reason: '误导入' };
    expect(u.imports.undo('imp1', how)).toMatchObject({ ok: true, entry: { undone: how } });
    expect(u.cadres.get('c1')).toMatchObject({ value: { post: '局长' } });
    expect(u.cadres.get('c2')).toBeUndefined();
    expect(u.records.get('r1')).toMatchObject({ ok: true, value: { status: 'revoked', revoked: how } });
    // Idempotent: a second undo changes nothing.
    const sv = Y.encodeStateVector(u.doc);
    expect(u.imports.undo('imp1', how).ok).toBe(true);
    expect(Y.encodeStateVector(u.doc)).toEqual(sv);
  });

  it('re-importing a file after undoing it by mistake brings its records back; undoing again withdraws them again', () => {
    const u = unitDossiers(new Y.Doc(), { now: fixedClock });
    const batch = {
      cadres: [cadre('c1')],
      records: [record('r1', 'c1'), record('r2', 'c1', { kind: 'party-serious-warning' })],
    };
    u.imports.apply(meta('imp1'), batch);
    // An officer withdraws r2 for a reason of their own before anyone touches the import.
    const byHand = { by: 'officer', at: '2024-05-02T09:00:00.000Z', reason: '复查后撤销' };
    u.records.revoke('r2', byHand);
    const undo = { by: 'admin', at: '2024-05-03T10:00:00.000Z', reason: '误撤销' };
    u.imports.undo('imp1', undo);
    expect(u.records.get('r1')).toMatchObject({ ok: true, value: { status: 'revoked', revoked: undo } });

    const again = u.imports.apply({ ...meta('imp2'), at: '2024-05-04T08:00:00.000Z' }, batch);
    expect(again).toMatchObject({
      ok: true,
      entry: {
        counts: { cadres: { created: 1 }, records: { updated: 1, unchanged: 1 } },
        changes: [
          { collection: 'cadres', id: 'c1' },
          { collection: 'records', id: 'r1', reinstated: true },
        ],
      },
    });
    expect(u.records.get('r1')).toEqual({ ok: true, id: 'r1', value: record('r1', 'c1', { importId: 'imp1' }) });
    expect(u.records.get('r2')).toMatchObject({ ok: true, value: { status: 'revoked', revoked: byHand } });
    expect(u.records.history('r1').at(-1)).toMatchObject({
      field: 'revoked',
      by: 'clerk',
      at: '2024-05-04T08:00:00.000Z',
    });
    // Another device sees the same: the reinstatement is ordinary corrections that sync.
    const peer = new Y.Doc();
    sync(u.doc, peer);
    expect(unitDossiers(peer).records.get('r1')).toMatchObject({ ok: true, value: { status: 'active' } });

    const undoAgain = { by: 'admin', at: '2024-05-05T10:00:00.000Z', reason: '确实重复' };
    u.imports.undo('imp2', undoAgain);
    expect(u.records.get('r1')).toMatchObject({ ok: true, value: { status: 'revoked', revoked: undoAgain } });
    expect(u.records.get('r2')).toMatchObject({ value: { revoked: byHand } });
    // And a third try brings it back once more, from the second undo's withdrawal.
    expect(u.imports.apply({ ...meta('imp3'), at: '2024-05-06T08:00:00.000Z' }, batch)).toMatchObject({
      ok: true,
      entry: { counts: { records: { updated: 1, unchanged: 1 } } },
    });
    expect(u.records.get('r1')).toMatchObject({ ok: true, value: { status: 'active' } });
  });
});
