import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { migrate, SCHEMA_VERSION, schemaVersionOf, slashDateToIso } from './migrations.ts';
import { unitDossiers } from './unit-doc.ts';
import { record, sync } from './test/fixtures.ts';

/** A unit document as the v1 pilot wrote it: colour under `dot`, dates as the city system exported them. */
function v1Doc(): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    doc.getMap('meta').set('schemaVersion', 1);
    const { colour, ...rest } = record('r1', 'c1');
    doc.getMap('records').set('r1', { ...rest, dot: colour, decisionDate: '2018/6/15', effectiveDate: '2018/06/20' });
    doc.getMap('flags').set('f1', {
      id: 'f1',
      cadreId: 'c1',
      item: 'gambling',
      channel: 'community',
      date: '2023/11/2',
      status: 'reported',
      summary: '赌博',
    });
    doc
      .getMap('edits')
      .set('records/r1/rectificationDue', { value: '2019/1/31', by: 'li', at: '2018-07-01T00:00:00.000Z' });
  });
  return doc;
}

describe('schema migrations', () => {
  it('turns a v1 document into valid v2 entries', () => {
    const doc = v1Doc();
    const before = unitDossiers(doc).records.get('r1');
    expect(before?.ok).toBe(false);
    expect(migrate(doc, 'unit')).toEqual({ status: 'migrated', from: 1, to: SCHEMA_VERSION });
    expect(schemaVersionOf(doc)).toBe(SCHEMA_VERSION);
    const u = unitDossiers(doc);
    expect(u.records.get('r1')).toEqual({
      ok: true,
      id: 'r1',
      value: {
        ...record('r1', 'c1'),
        decisionDate: '2018-06-15',
        effectiveDate: '2018-06-20',
        rectificationDue: '2019-01-31',
      },
    });
    expect(u.flags.get('f1')).toMatchObject({ ok: true, value: { date: '2023-11-02' } });
    expect(migrate(doc, 'unit')).toEqual({ status: 'current', version: SCHEMA_VERSION });
  });

  it('treats content without a version as v1 and stamps an empty document as current', () => {
    const legacy = v1Doc();
    legacy.getMap('meta').delete('schemaVersion');
    expect(migrate(legacy, 'unit')).toMatchObject({ status: 'migrated', from: 1 });
    const empty = new Y.Doc();
    expect(migrate(empty, 'unit')).toEqual({ status: 'initialised', version: SCHEMA_VERSION });
  });

  it('converges when two offline peers both migrate the same document', () => {
    const a = v1Doc();
    const b = new Y.Doc();
    sync(a, b);
    migrate(a, 'unit');
    migrate(b, 'unit');
    sync(a, b);
    expect(unitDossiers(a).records.list()).toEqual(unitDossiers(b).records.list());
    expect(unitDossiers(a).records.get('r1')).toMatchObject({
      ok: true,
      value: { colour: 'black', decisionDate: '2018-06-15' },
    });
  });

  it('reports a document from a newer schema and refuses writes instead of corrupting it', () => {
    const doc = new Y.Doc();
    doc.getMap('meta').set('schemaVersion', SCHEMA_VERSION + 1);
    doc.getMap('records').set('r1', record('r1', 'c1'));
    const sv = Y.encodeStateVector(doc);
    expect(migrate(doc, 'unit')).toEqual({ status: 'newer', version: SCHEMA_VERSION + 1, known: SCHEMA_VERSION });
    const u = unitDossiers(doc, { locale: 'en' });
    expect(u.records.get('r1')?.ok).toBe(true);
    const w = u.records.edit('r1', 'summary', 'x', 'li');
    expect(w).toMatchObject({ ok: false, errors: [{ key: 'doc.newerSchema' }] });
    expect(u.records.put(record('r2', 'c1')).ok).toBe(false);
    expect(Y.encodeStateVector(doc)).toEqual(sv);
  });

  it('stamps the version on a new document’s first write, never on unmigrated v1 content', () => {
    const fresh = new Y.Doc();
    unitDossiers(fresh).records.put(record('r1', 'c1'));
    expect(schemaVersionOf(fresh)).toBe(SCHEMA_VERSION);
    const legacy = v1Doc();
    legacy.getMap('meta').delete('schemaVersion');
    unitDossiers(legacy).records.put(record('r2', 'c1'));
    expect(schemaVersionOf(legacy)).toBeUndefined();
    expect(migrate(legacy, 'unit')).toMatchObject({ status: 'migrated', from: 1 });
  });

  it('converts only slash dates it recognises', () => {
    expect(slashDateToIso('2018/6/5')).toBe('2018-06-05');
    expect(slashDateToIso('2018-06-05')).toBe('2018-06-05');
    expect(slashDateToIso('6/5/2018')).toBe('6/5/2018');
    expect(slashDateToIso(20180605)).toBe(20180605);
  });
});

describe('v2 → v3: the clue workflow', () => {
  /** A v2 unit document: the pilot's five stages, and 暂存待查 filed under closed (v2 had no stage for it). */
  function v2Doc(): Y.Doc {
    const doc = new Y.Doc();
    const clue = (id: string, stage: string, outcome?: string) =>
      JSON.stringify({
        id,
        subject: { type: 'cadre', id: 'c1' },
        summary: '反映问题',
        received: '2019-03-01',
        source: '信访举报',
        stage,
        ...(outcome ? { outcome } : {}),
      });
    doc.transact(() => {
      doc.getMap('meta').set('schemaVersion', 2);
      doc.getMap('clues').set('k1', clue('k1', 'inquiry'));
      doc.getMap('clues').set('k2', clue('k2', 'closed', '暂存待查'));
      doc.getMap('clues').set('k3', clue('k3', 'closed', '予以了结'));
      doc.getMap('clues').set('k4', clue('k4', 'preliminary'));
      doc.getMap('edits').set('clues/k4/stage', { value: 'closed', by: 'li', at: '2019-04-01T00:00:00.000Z' });
      doc.getMap('edits').set('clues/k4/outcome', { value: '暂存待查', by: 'li', at: '2019-04-01T00:00:00.000Z' });
    });
    return doc;
  }

  it('keeps the old stages, and turns a clue closed as 暂存待查 (base or correction) into pending', () => {
    const doc = v2Doc();
    expect(migrate(doc, 'unit')).toEqual({ status: 'migrated', from: 2, to: 3 });
    const stages = Object.fromEntries(
      unitDossiers(doc)
        .clues.list()
        .map((e) => [e.id, e.ok && e.value.stage]),
    );
    expect(stages).toEqual({ k1: 'inquiry', k2: 'pending', k3: 'closed', k4: 'pending' });
  });

  it('an older program treats a v3 document as read-only rather than writing stages it does not know', () => {
    const doc = v2Doc();
    migrate(doc, 'unit');
    expect(migrate(doc, 'unit', { target: 2, registry: [] })).toEqual({ status: 'newer', version: 3, known: 2 });
  });
});
