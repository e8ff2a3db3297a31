import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { dossierOf, unitDossiers } from './unit-doc.ts';
import { cadre, fixedClock, flag, record } from './test/fixtures.ts';

/**
 * A record dated in 2099 was shown as valid yet silently left out of the dot counts (the rules do
 * not count what has not happened). Read against today, it is an invalid entry like any other.
 */
describe('entries dated after today', () => {
  const open = (doc = new Y.Doc()) => unitDossiers(doc, { now: fixedClock, today: () => '2024-06-30', locale: 'en' });

  it('read as invalid, naming the date, whether stored as JSON text or as an object', () => {
    const u = open();
    u.cadres.put(cadre('c1'));
    // A peer (or an old client) wrote them straight into the document.
    u.doc.getMap('records').set('r-text', JSON.stringify({ ...record('r-text', 'c1'), decisionDate: '2099-01-01' }));
    u.doc.getMap('records').set('r-object', { ...record('r-object', 'c1'), effectiveDate: '2099-03-01' });
    u.doc.getMap('flags').set('f1', JSON.stringify({ ...flag('f1', 'c1'), date: '2099-05-05' }));
    u.records.put(record('r-ok', 'c1'));
    const text = u.records.get('r-text');
    expect(text).toMatchObject({
      ok: false,
      errors: [{ field: 'decisionDate', key: 'date.future', message: 'Decision date: is in the future' }],
    });
    expect(u.records.get('r-object')).toMatchObject({
      ok: false,
      errors: [{ field: 'effectiveDate', key: 'date.future' }],
    });
    expect(u.flags.get('f1')).toMatchObject({ ok: false, errors: [{ field: 'date', key: 'date.future' }] });
    const dossier = dossierOf(u, { type: 'cadre', id: 'c1' });
    expect(dossier.records.map((r) => r.id)).toEqual(['r-ok']);
    expect(dossier.invalid.map((i) => i.entry.id).sort()).toEqual(['f1', 'r-object', 'r-text']);
  });

  it('become valid on the day they are dated, and a correction cannot move a date past today', () => {
    let today = '2024-06-30';
    const u = unitDossiers(new Y.Doc(), { now: fixedClock, today: () => today });
    u.doc.getMap('records').set('r1', JSON.stringify({ ...record('r1', 'c1'), decisionDate: '2024-07-01' }));
    expect(u.records.get('r1')?.ok).toBe(false);
    today = '2024-07-01';
    expect(u.records.get('r1')?.ok).toBe(true);
    expect(u.records.edit('r1', 'decisionDate', '2099-01-01', 'li').ok).toBe(false);
  });
});
