import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { allDossiers, dossierOf, initUnitDoc, unitDossiers } from './unit-doc.ts';
import { cadre, clue, fixedClock, flag, record, reminderCard, sync } from './test/fixtures.ts';

const open = (doc = new Y.Doc()) => unitDossiers(doc, { now: fixedClock });

describe('unit dossiers: round trip', () => {
  it('returns what was put, validated', () => {
    const u = open();
    expect(u.cadres.put(cadre('c1'))).toEqual({ ok: true, outcome: 'created', id: 'c1' });
    expect(u.records.put(record('r1', 'c1'))).toMatchObject({ ok: true, outcome: 'created' });
    expect(u.cadres.get('c1')).toEqual({ ok: true, id: 'c1', value: cadre('c1') });
    expect(u.records.list()).toEqual([{ ok: true, id: 'r1', value: record('r1', 'c1') }]);
    expect(u.records.get('nope')).toBeUndefined();
  });

  it('survives an encode/decode cycle to another document', () => {
    const a = open();
    a.cadres.put(cadre('c1'));
    a.records.put(record('r1', 'c1'));
    const b = open(new Y.Doc());
    Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc));
    expect(b.records.get('r1')).toEqual({ ok: true, id: 'r1', value: record('r1', 'c1') });
  });

  it('stores each entity as one JSON text item and still reads the object form', () => {
    const u = open();
    u.records.put(record('r1', 'c1'));
    expect(typeof u.doc.getMap('records').get('r1')).toBe('string');
    u.doc.getMap('records').set('r2', record('r2', 'c1'));
    u.doc.getMap('records').set('r3', '{"id":"r3",');
    expect(u.records.get('r2')).toEqual({ ok: true, id: 'r2', value: record('r2', 'c1') });
    expect(u.records.get('r3')).toMatchObject({ ok: false, raw: '{"id":"r3",' });
  });

  it('refuses an invalid entity with messages naming the field', () => {
    const u = unitDossiers(new Y.Doc(), { locale: 'en' });
    const r = u.records.put({ ...record('r1', 'c1'), decisionDate: '2018/06/15' });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors.map((e) => e.message)).toContain('Decision date: is not a valid date (expected 2019-06-12)');
    expect(u.records.ids()).toEqual([]);
  });
});

describe('idempotent put', () => {
  it('writes nothing when the value is equal, even with keys in another order', () => {
    const u = open();
    u.records.put(record('r1', 'c1'));
    const before = Y.encodeStateVector(u.doc);
    let updates = 0;
    u.doc.on('update', () => updates++);
    const reordered = Object.fromEntries(Object.entries(record('r1', 'c1')).reverse());
    expect(u.records.put(reordered)).toMatchObject({ ok: true, outcome: 'unchanged' });
    expect(updates).toBe(0);
    expect(Y.encodeStateVector(u.doc)).toEqual(before);
  });

  it('reports an update when the import brings a different value', () => {
    const u = open();
    u.records.put(record('r1', 'c1'));
    expect(u.records.put(record('r1', 'c1', { summary: '新摘要' }))).toMatchObject({ outcome: 'updated' });
    expect(u.records.get('r1')).toMatchObject({ ok: true, value: { summary: '新摘要' } });
  });
});

describe('field corrections', () => {
  it('merges a correction over the base and keeps it across a re-import of the old value', () => {
    const u = open();
    u.records.put(record('r1', 'c1'));
    expect(u.records.edit('r1', 'summary', '更正后的摘要', 'li')).toEqual({ ok: true, changed: true });
    expect(u.records.put(record('r1', 'c1'))).toMatchObject({ outcome: 'unchanged' });
    expect(u.records.get('r1')).toMatchObject({ ok: true, value: { summary: '更正后的摘要' } });
    expect(u.records.base('r1')).toMatchObject({ summary: '违反廉洁纪律' });
  });

  it('refuses a correction that would make the record invalid, or touches the id', () => {
    const u = unitDossiers(new Y.Doc(), { locale: 'en' });
    u.records.put(record('r1', 'c1'));
    const bad = u.records.edit('r1', 'effectiveDate', '2018-01-01', 'li');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors[0]!.message).toBe('Effective date: is before the decision date');
    expect(u.records.edit('r1', 'id', 'r2', 'li').ok).toBe(false);
    expect(u.records.edit('r1', '__proto__', {}, 'li').ok).toBe(false);
    expect(u.records.edit('missing', 'summary', 'x', 'li').ok).toBe(false);
    expect(u.records.get('r1')).toEqual({ ok: true, id: 'r1', value: record('r1', 'c1') });
  });

  it('keeps both officers’ offline corrections to different fields of the same record', () => {
    const a = open();
    a.records.put(record('r1', 'c1'));
    const b = open(new Y.Doc());
    sync(a.doc, b.doc);
    // Both offline: no exchange until both have edited.
    a.records.edit('r1', 'summary', '甲更正的摘要', 'officer-a');
    b.records.edit('r1', 'docNumber', '张纪发〔2018〕13号', 'officer-b');
    sync(a.doc, b.doc);
    const expected = { ok: true, value: { summary: '甲更正的摘要', docNumber: '张纪发〔2018〕13号' } };
    expect(a.records.get('r1')).toMatchObject(expected);
    expect(b.records.get('r1')).toMatchObject(expected);
  });

  it('resolves a same-field conflict identically on both sides and keeps the losing value in history', () => {
    const a = open();
    a.records.put(record('r1', 'c1'));
    const b = open(new Y.Doc());
    sync(a.doc, b.doc);
    a.records.edit('r1', 'summary', '甲的版本', 'officer-a', '2024-05-01T08:00:00.000Z');
    b.records.edit('r1', 'summary', '乙的版本', 'officer-b', '2024-05-01T08:00:01.000Z');
    sync(a.doc, b.doc);
    const winnerA = a.records.get('r1');
    const winnerB = b.records.get('r1');
    expect(winnerA).toEqual(winnerB);
    expect(['甲的版本', '乙的版本']).toContain(winnerA?.ok && winnerA.value.summary);
    expect(a.records.history('r1').map((e) => [e.value, e.by])).toEqual([
      ['甲的版本', 'officer-a'],
      ['乙的版本', 'officer-b'],
    ]);
  });
});

describe('revocation', () => {
  it('never deletes: the record stays, marked revoked with who, when and why', () => {
    const u = open();
    u.records.put(record('r1', 'c1'));
    const revocation = { by: 'li', at: '2024-05-02T09:00:00.000Z', reason: '重复录入' };
    expect(u.records.revoke('r1', revocation)).toEqual({ ok: true, changed: true });
    expect(u.records.get('r1')).toEqual({
      ok: true,
      id: 'r1',
      value: { ...record('r1', 'c1'), status: 'revoked', revoked: revocation },
    });
    expect(u.records.revoke('r1', revocation)).toEqual({ ok: true, changed: false });
    expect(u.records.ids()).toEqual(['r1']);
  });

  it('requires a reason', () => {
    const u = open();
    u.records.put(record('r1', 'c1'));
    expect(u.records.revoke('r1', { by: 'li', at: '2024-05-02T09:00:00.000Z', reason: ' ' }).ok).toBe(false);
    expect(u.records.get('r1')).toMatchObject({ value: { status: 'active' } });
  });
});

describe('negative-list flags', () => {
  it('moves along the allowed transitions and stamps the date', () => {
    const u = open();
    u.flags.put(flag('f1', 'c1'));
    expect(u.flags.moveStatus('f1', 'verifying', { by: 'li', on: '2023-11-05' })).toEqual({ ok: true, changed: true });
    expect(u.flags.moveStatus('f1', 'substantiated', { by: 'li', on: '2023-12-01' }).ok).toBe(true);
    expect(u.flags.get('f1')).toMatchObject({
      ok: true,
      value: { status: 'substantiated', statusChangedAt: '2023-12-01' },
    });
  });

  it('refuses to skip verification', () => {
    const u = unitDossiers(new Y.Doc(), { locale: 'en' });
    u.flags.put(flag('f1', 'c1'));
    const r = u.flags.moveStatus('f1', 'substantiated', { by: 'li', on: '2023-11-05' });
    expect(r).toMatchObject({ ok: false, errors: [{ field: 'status', key: 'flag.transition' }] });
    expect(u.flags.get('f1')).toMatchObject({ value: { status: 'reported' } });
  });
});

describe('hostile or buggy writers', () => {
  it('shows garbage as invalid entries with reasons and never throws', () => {
    const hostile = new Y.Doc();
    const records = hostile.getMap('records');
    records.set('num', 42);
    records.set('str', 'hello');
    records.set('nul', null);
    records.set('arr', [1, 2, 3]);
    const nested = new Y.Map<unknown>();
    records.set('nested', nested);
    nested.set('colour', new Y.Array());
    records.set('missing', { id: 'missing', colour: 'black' });
    records.set('wrong-id', record('other', 'c1'));
    records.set('ok', record('ok', 'c1'));
    const edits = hostile.getMap('edits');
    edits.set('records/ok/summary', 7); // not an edit entry: ignored
    edits.set('records/ok/__proto__', { value: { polluted: true } });
    edits.set('records/ok/colour', { value: new Y.Map() });
    edits.set('records//x', { value: 1 });
    hostile.getArray('log').push([5, null, { collection: 'records', id: 'ok' }]);
    hostile.getMap('cadres').set('c1', new Y.Text('张伟'));

    const reader = unitDossiers(new Y.Doc(), { locale: 'en' });
    Y.applyUpdate(reader.doc, Y.encodeStateAsUpdate(hostile));
    const list = reader.records.list();
    expect(list).toHaveLength(8);
    const byId = Object.fromEntries(list.map((e) => [e.id, e]));
    for (const id of ['num', 'str', 'nul', 'arr', 'nested', 'missing', 'wrong-id']) {
      expect(byId[id]?.ok, id).toBe(false);
      if (byId[id] && !byId[id].ok) expect(byId[id].errors.length, id).toBeGreaterThan(0);
    }
    expect(byId['missing']).toMatchObject({
      ok: false,
      errors: expect.arrayContaining([expect.objectContaining({ field: 'decisionDate' })]),
    });
    // The stray correction of `colour` to a Y.Map makes the record invalid rather than crashing.
    expect(byId['ok']).toMatchObject({ ok: false, errors: [expect.objectContaining({ field: 'colour' })] });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(reader.records.history('ok')).toEqual([]);
    expect(reader.cadres.get('c1')).toMatchObject({ ok: false, raw: '张伟' });
    expect(() => allDossiers(reader)).not.toThrow();
    expect(
      dossierOf(reader, { type: 'cadre', id: 'c1' })
        .invalid.map((i) => i.entry.id)
        .sort(),
    ).toEqual(['c1', 'ok', 'wrong-id']);
  });
});

describe('reading stored JSON text', () => {
  /** A document as a buggy or hostile peer left it: entity texts written without `put`. */
  function withStoredTexts() {
    const u = unitDossiers(new Y.Doc(), { locale: 'en' });
    u.cadres.put(cadre('c1'));
    u.records.put(record('r1', 'c1'));
    const records = u.doc.getMap('records');
    records.set('truncated', '{"id":"truncated","subject":{"type":"cadre","id":"c1"},');
    records.set('no-such-date', JSON.stringify(record('no-such-date', 'c1', { decisionDate: '2023-02-29' })));
    records.set('revoked-silently', JSON.stringify(record('revoked-silently', 'c1', { status: 'revoked' })));
    records.set('under-another-id', JSON.stringify(record('r1', 'c1')));
    records.set(
      'untrimmed',
      JSON.stringify({ ...record('untrimmed', 'c1'), summary: '  违反廉洁纪律 ', note: 'a member no schema knows' }),
    );
    return u;
  }

  it('reports an entity whose text is malformed or fails the schema as invalid, with the field, in list and get', () => {
    const u = withStoredTexts();
    const byId = Object.fromEntries(u.records.list().map((e) => [e.id, e]));
    expect(byId['r1']).toEqual({ ok: true, id: 'r1', value: record('r1', 'c1') });
    expect(byId['truncated']).toMatchObject({
      ok: false,
      raw: '{"id":"truncated","subject":{"type":"cadre","id":"c1"},',
    });
    expect(byId['no-such-date']).toMatchObject({ ok: false, errors: [{ field: 'decisionDate', key: 'date.format' }] });
    expect(byId['revoked-silently']).toMatchObject({
      ok: false,
      errors: [{ field: 'revoked', key: 'record.revocation' }],
    });
    expect(byId['under-another-id']).toMatchObject({ ok: false, errors: [{ field: 'id', key: 'id.mismatch' }] });
    for (const id of ['truncated', 'no-such-date', 'revoked-silently', 'under-another-id'])
      expect(u.records.get(id)).toEqual(byId[id]);
  });

  it('gives valibot’s output for a valid entity it would change (trimmed, unknown members dropped)', () => {
    const u = withStoredTexts();
    expect(u.records.get('untrimmed')).toEqual({ ok: true, id: 'untrimmed', value: record('untrimmed', 'c1') });
  });

  it('shows the invalid entries in the dossier view and keeps them from the rules’ data', () => {
    const d = dossierOf(withStoredTexts(), { type: 'cadre', id: 'c1' });
    expect(d.records.map((r) => r.id).sort()).toEqual(['r1', 'untrimmed']);
    // The truncated text names no subject the view can read: it is listed with the unit's, below.
    expect(d.invalid.map((i) => i.entry.id).sort()).toEqual(['no-such-date', 'revoked-silently', 'under-another-id']);
    const all = allDossiers(withStoredTexts(), { unitCode: 'A01' });
    expect(
      all
        .get('cadre:c1')
        ?.invalid.map((i) => i.entry.id)
        .sort(),
    ).toEqual(['no-such-date', 'revoked-silently', 'under-another-id']);
    expect(all.get('unit:A01')?.invalid.map((i) => i.entry.id)).toEqual(['truncated']);
  });

  it('hands every reader its own objects, whatever the stored form', () => {
    const u = open();
    u.records.put(record('r1', 'c1'));
    u.doc.getMap('records').set('r2', record('r2', 'c1')); // object form, held by Yjs
    for (const id of ['r1', 'r2']) {
      const first = u.records.get(id);
      if (!first?.ok) throw new Error(`${id} unreadable`);
      first.value.summary = 'changed by a careless view';
      first.value.subject.id = 'c9';
      expect(u.records.get(id), id).toEqual({ ok: true, id, value: record(id, 'c1') });
    }
    expect(u.doc.getMap('records').get('r2')).toEqual(record('r2', 'c1'));
  });
});

describe('dossier views', () => {
  it('gathers everything about one cadre, and the unit’s own dossier', () => {
    const u = open();
    initUnitDoc(u.doc, 'A01');
    u.cadres.put(cadre('c1'));
    u.cadres.put(cadre('c2', { name: '李娜', gender: 'female' }));
    u.records.put(record('r1', 'c1'));
    u.records.put(record('r2', 'c2', { colour: 'red', kind: 'commendation' }));
    u.records.put({
      ...record('r3', 'A01', { colour: 'yellow', kind: 'unit-problem-clue' }),
      subject: { type: 'unit', id: 'A01' },
    });
    u.flags.put(flag('f1', 'c1'));
    u.clues.put(clue('k1', 'c1'));
    u.cards.put(reminderCard('card1', 'c1'));

    const d = dossierOf(u, { type: 'cadre', id: 'c1' });
    expect(d.cadre?.name).toBe('张伟');
    expect(d.records.map((r) => r.id)).toEqual(['r1']);
    expect(d.flags.map((f) => f.id)).toEqual(['f1']);
    expect(d.clues.map((c) => c.id)).toEqual(['k1']);
    expect(d.cards.map((c) => c.id)).toEqual(['card1']);

    const all = allDossiers(u, {
      unit: (code) => (code === 'A01' ? { code, name: '市财政局', aliases: [], kind: 'government' } : undefined),
    });
    expect([...all.keys()].sort()).toEqual(['cadre:c1', 'cadre:c2', 'unit:A01']);
    expect(all.get('unit:A01')).toMatchObject({
      unit: { name: '市财政局' },
      records: [{ id: 'r3' }],
      cards: [{ id: 'card1' }],
    });
    expect(all.get('cadre:c2')?.records.map((r) => r.id)).toEqual(['r2']);
    expect(all.get('cadre:c1')).toEqual({ ...d, subject: { type: 'cadre', id: 'c1' } });
  });
});
