import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { notes } from './notes-doc.ts';
import { unitDossiers } from './unit-doc.ts';
import { annotation, cadre, fixedClock, record, sync } from './test/fixtures.ts';

/**
 * Which clientID wrote each value a view shows as authored: the base of an entity, each
 * correction in its history, a revocation, an annotation, an import and its undo. What a client
 * wrote into `by` does not change the answer.
 */
function officers(): { a: Y.Doc; b: Y.Doc } {
  const a = new Y.Doc();
  a.clientID = 101;
  const b = new Y.Doc();
  b.clientID = 202;
  return { a, b };
}

/** A third device that only ever loaded the encoded state (what the server and new peers see). */
function reloaded(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

describe('writers', () => {
  it('of a record, its corrections and its revocation, whatever `by` claims', () => {
    const { a, b } = officers();
    const ua = unitDossiers(a, { now: fixedClock });
    ua.cadres.put(cadre('c1'));
    ua.records.put(record('r1', 'c1'));
    ua.records.edit('r1', 'summary', '更正一', 'alice');
    sync(a, b);
    const ub = unitDossiers(b, { now: fixedClock });
    // Bob claims to be alice.
    expect(ub.records.revoke('r1', { by: 'alice', at: fixedClock(), reason: '重复录入' }).ok).toBe(true);
    sync(a, b);
    for (const doc of [a, b, reloaded(b)]) {
      const u = unitDossiers(doc, { now: fixedClock });
      expect(u.records.writerOf('r1')).toBe(101);
      expect(u.records.writerOf('r1', 'summary')).toBe(101);
      expect(u.records.writerOf('r1', 'revoked')).toBe(202);
      expect(u.records.writerOf('r1', 'docNumber')).toBe(101); // never corrected: the base's
      expect(u.records.history('r1').map((e) => [e.field, e.by, e.writer])).toEqual([
        ['summary', 'alice', 101],
        ['status', 'alice', 202],
        ['revoked', 'alice', 202],
      ]);
    }
  });

  it('of an annotation', () => {
    const { a, b } = officers();
    notes(a).add(annotation('n1', 'c1'));
    sync(a, b);
    notes(b).add(annotation('n2', 'c1', { text: '已核实' }));
    sync(a, b);
    const n = notes(reloaded(a));
    expect(n.annotations.writerOf('n1')).toBe(101);
    expect(n.annotations.writerOf('n2')).toBe(202);
    expect(n.annotations.writerOf('missing')).toBeUndefined();
  });

  it('of an import and of its undo, also after the entry was rewritten', () => {
    const { a, b } = officers();
    const ua = unitDossiers(a, { now: fixedClock });
    expect(
      ua.imports.apply({ id: 'imp1', by: '李四', at: fixedClock(), fileName: 'x.csv' }, { cadres: [cadre('c1')] }).ok,
    ).toBe(true);
    sync(a, b);
    expect(
      unitDossiers(b, { now: fixedClock }).imports.undo('imp1', { by: '李四', at: fixedClock(), reason: '错误文件' })
        .ok,
    ).toBe(true);
    sync(a, b);
    for (const doc of [a, reloaded(b)]) {
      expect(unitDossiers(doc, { now: fixedClock }).imports.writers('imp1')).toEqual({ imported: 101, last: 202 });
    }
  });
});
