import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { defaultConfig } from '../model/config.ts';
import { notes } from './notes-doc.ts';
import { workspaceDoc } from './workspace-doc.ts';
import { observeDoc, type ChangeEvent } from './observe.ts';
import { unitDossiers } from './unit-doc.ts';
import { record, sync } from './test/fixtures.ts';

const subject = { type: 'cadre', id: 'c1' } as const;
const note = (id: string, text: string, at: string, author = 'li') => ({
  id,
  subject,
  anchor: { kind: 'record', id: 'r1' } as const,
  text,
  author,
  at,
});

describe('annotations', () => {
  it('keeps concurrent comments from two offline annotators and threads replies', () => {
    const a = notes(new Y.Doc());
    const b = notes(new Y.Doc());
    a.add(note('n1', '请核实文号', '2024-05-01T08:00:00.000Z'));
    sync(a.doc, b.doc);
    b.reply('n1', { id: 'n2', text: '已核实', author: 'wang', at: '2024-05-01T09:00:00.000Z' });
    a.add(note('n3', '另一处疑问', '2024-05-01T09:30:00.000Z'));
    sync(a.doc, b.doc);
    const threads = b.threadsOf(subject).threads;
    expect(threads.map((t) => [t.root.id, t.replies.map((r) => r.id)])).toEqual([
      ['n1', ['n2']],
      ['n3', []],
    ]);
    expect(threads[0]!.replies[0]).toMatchObject({ replyTo: 'n1', anchor: { kind: 'record', id: 'r1' } });
    expect(a.resolve('n1', 'li')).toEqual({ ok: true, changed: true });
    expect(a.annotations.get('n1')).toMatchObject({ value: { resolved: true } });
  });

  it('refuses a reply to nothing', () => {
    const n = notes(new Y.Doc());
    expect(n.reply('ghost', { id: 'n2', text: 'x', author: 'li', at: '2024-05-01T09:00:00.000Z' }).ok).toBe(false);
  });
});

describe('workspace document', () => {
  it('falls back to defaults section by section and reports an invalid section', () => {
    const w = workspaceDoc(new Y.Doc(), { locale: 'en' });
    const fresh = w.config.get();
    expect(fresh.value).toEqual(defaultConfig());
    expect(fresh.defaulted).toContain('negativeList');
    w.doc.getMap('config').set('gradeScheme', { grades: [] });
    const read = w.config.get();
    expect(read.value.gradeScheme).toEqual(defaultConfig().gradeScheme);
    expect(read.invalid).toMatchObject([{ section: 'gradeScheme' }]);
  });

  it('merges two admins’ concurrent edits of different sections', () => {
    const a = workspaceDoc(new Y.Doc());
    const b = workspaceDoc(new Y.Doc());
    const list = defaultConfig().negativeList.slice(0, 12);
    expect(a.config.set('negativeList', list)).toEqual({ ok: true, changed: true });
    expect(b.config.set('name', '张家界市纪委监委')).toEqual({ ok: true, changed: true });
    sync(a.doc, b.doc);
    for (const w of [a, b])
      expect(w.config.get().value).toMatchObject({ name: '张家界市纪委监委', negativeList: list });
    expect(a.config.set('name', '张家界市纪委监委')).toEqual({ ok: true, changed: false });
    expect(a.config.set('negativeList', []).ok).toBe(false);
  });

  it('keeps the unit directory keyed by code', () => {
    const w = workspaceDoc(new Y.Doc());
    w.units.put({ code: 'A01', name: '市财政局', kind: 'government' });
    expect(w.units.get('A01')).toEqual({
      ok: true,
      id: 'A01',
      value: { code: 'A01', name: '市财政局', aliases: [], kind: 'government' },
    });
  });
});

describe('observing changes', () => {
  it('reports the collections and ids a transaction touched, corrections against their entity', () => {
    const u = unitDossiers(new Y.Doc());
    const events: ChangeEvent[] = [];
    const stop = observeDoc(u.doc, (e) => events.push(e));
    u.records.put(record('r1', 'c1'));
    u.records.edit('r1', 'summary', '更正', 'li');
    const peer = new Y.Doc();
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(u.doc));
    unitDossiers(peer).records.put(record('r2', 'c1'));
    Y.applyUpdate(u.doc, Y.encodeStateAsUpdate(peer, Y.encodeStateVector(u.doc)));
    stop();
    u.records.put(record('r3', 'c1'));
    expect(events.map((e) => [Object.fromEntries([...e.changes].map(([k, ids]) => [k, [...ids]])), e.local])).toEqual([
      [{ meta: ['schemaVersion'], records: ['r1'] }, true],
      [{ records: ['r1'], log: [] }, true],
      [{ records: ['r2'] }, false],
    ]);
  });
});

describe('what arrived while away', () => {
  it('lists entities written by others since a saved state vector, corrections against their entity', async () => {
    const { changedSince } = await import('./observe.ts');
    const mine = unitDossiers(new Y.Doc());
    mine.records.put(record('r1', 'c1'));
    mine.records.put(record('r2', 'c1'));
    const peer = unitDossiers(new Y.Doc());
    sync(mine.doc, peer.doc);
    const seen = Y.decodeStateVector(Y.encodeStateVector(mine.doc));
    peer.records.edit('r1', 'summary', '同事的更正', 'wang');
    peer.records.put(record('r3', 'c1'));
    mine.records.put(record('r4', 'c1'));
    sync(mine.doc, peer.doc);
    const arrived = changedSince(mine.doc, seen, new Set([mine.doc.clientID]));
    expect(Object.fromEntries([...arrived].map(([k, ids]) => [k, [...ids].sort()]))).toEqual({ records: ['r1', 'r3'] });
    expect(changedSince(mine.doc, Y.decodeStateVector(Y.encodeStateVector(mine.doc))).size).toBe(0);
  });
});
