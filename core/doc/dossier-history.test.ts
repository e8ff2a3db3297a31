import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { dossierHistory, notesHistory } from './dossier-history.ts';
import { notes } from './notes-doc.ts';
import { unitDossiers } from './unit-doc.ts';
import { cadre, flag, record, sync } from './test/fixtures.ts';

const c1 = { type: 'cadre' as const, id: 'c1' };
const at = (minute: number) => `2024-05-01T08:${String(minute).padStart(2, '0')}:00.000Z`;

describe('a dossier’s history', () => {
  it('lists only this subject’s changes, each saying what changed, by whom and when, newest first', () => {
    const u = unitDossiers(new Y.Doc());
    u.imports.apply(
      { id: 'imp1', by: 'clerk', at: at(1), fileName: '花名册.csv' },
      { cadres: [cadre('c1'), cadre('c2', { name: '李四' })], records: [record('r1', 'c1'), record('r2', 'c2')] },
    );
    u.imports.apply(
      { id: 'imp2', by: 'clerk', at: at(2), fileName: '花名册（更新）.csv' },
      { cadres: [cadre('c1', { post: '副局长' })] },
    );
    u.records.edit('r1', 'summary', '违反廉洁纪律（更正）', 'alice', at(3));
    u.records.edit('r2', 'summary', '别人的记录', 'alice', at(4));
    u.flags.put(flag('f1', 'c1'), { by: 'bob', at: at(5) });
    u.flags.moveStatus('f1', 'verifying', { by: 'bob', on: '2024-05-01', at: at(6) });
    u.records.revoke('r1', { by: 'carol', at: at(7), reason: '重复录入' });

    const events = dossierHistory(u, c1);
    expect(events.map((e) => [e.at, e.by, e.collection, e.change.kind])).toEqual([
      [at(7), 'carol', 'records', 'revoked'],
      [at(6), 'bob', 'flags', 'corrected'],
      [at(5), 'bob', 'flags', 'added'],
      [at(3), 'alice', 'records', 'corrected'],
      [at(2), 'clerk', 'cadres', 'imported'],
      [at(1), 'clerk', 'cadres', 'imported'],
      [at(1), 'clerk', 'records', 'imported'],
    ]);
    // Nothing about c2 (李四): not the import of their record, not alice's correction of it.
    expect(events.some((e) => e.id === 'r2' || e.id === 'c2')).toBe(false);
    expect(events[0]!.change).toEqual({ kind: 'revoked', reason: '重复录入' });
    expect(events[1]!.change).toEqual({
      kind: 'corrected',
      fields: [
        { field: 'status', before: 'reported', after: 'verifying' },
        { field: 'statusChangedAt', before: undefined, after: '2024-05-01' },
      ],
    });
    expect(events[3]!.change).toEqual({
      kind: 'corrected',
      fields: [{ field: 'summary', before: '违反廉洁纪律', after: '违反廉洁纪律（更正）' }],
    });
    expect(events[4]!.change).toEqual({
      kind: 'imported',
      fileName: '花名册（更新）.csv',
      action: 'updated',
      fields: [{ field: 'post', before: '局长', after: '副局长' }],
    });
    expect(events[6]).toMatchObject({
      entity: { kind: 'party-warning', docNumber: '张纪发〔2018〕12号' },
      change: { action: 'created' },
    });
    // Every event carries the Yjs client that wrote it, for the server's attribution.
    expect(events.every((e) => e.client === u.doc.clientID)).toBe(true);
  });

  it('tells an import’s undo as one event per entity, with its reason, and who wrote each change', () => {
    const clerk = unitDossiers(new Y.Doc());
    const officer = unitDossiers(new Y.Doc());
    clerk.imports.apply(
      { id: 'imp1', by: 'clerk', at: at(1), fileName: '处分.csv' },
      { cadres: [cadre('c1')], records: [record('r1', 'c1')] },
    );
    sync(clerk.doc, officer.doc);
    officer.records.edit('r1', 'docNumber', '张纪发〔2018〕13号', 'alice', at(2));
    officer.imports.undo('imp1', { by: 'alice', at: at(3), reason: '重复报送' });
    sync(clerk.doc, officer.doc);

    const events = dossierHistory(clerk, c1);
    const undone = events.filter((e) => e.change.kind === 'import-undone');
    expect(undone.map((e) => [e.collection, e.change])).toEqual([
      ['cadres', { kind: 'import-undone', fileName: '处分.csv', reason: '重复报送', action: 'removed' }],
      ['records', { kind: 'import-undone', fileName: '处分.csv', reason: '重复报送', action: 'revoked' }],
    ]);
    // The undo's own revocation of r1 is not told twice.
    expect(events.filter((e) => e.change.kind === 'revoked')).toEqual([]);
    expect(undone.every((e) => e.client === officer.doc.clientID)).toBe(true);
    expect(events.find((e) => e.change.kind === 'corrected')?.client).toBe(officer.doc.clientID);
  });

  it('lists annotations on the subject with their writers', () => {
    const n = notes(new Y.Doc());
    n.add({ id: 'a1', subject: c1, anchor: { kind: 'dossier' }, text: '请核对', author: '张三', at: at(1) });
    n.reply('a1', { id: 'a2', text: '已核对', author: '李四', at: at(2) });
    n.add({
      id: 'a3',
      subject: { type: 'cadre', id: 'c2' },
      anchor: { kind: 'dossier' },
      text: '别人的',
      author: '张三',
      at: at(3),
    });
    expect(notesHistory(n, c1).map((e) => [e.by, e.change])).toEqual([
      ['李四', { kind: 'annotated', reply: true, text: '已核对' }],
      ['张三', { kind: 'annotated', reply: false, text: '请核对' }],
    ]);
  });
});
