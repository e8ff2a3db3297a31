import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { defaultConfig } from '../model/config.ts';
import { unitDossiers } from '../doc/unit-doc.ts';
import { summariseUnitDoc, type Rules } from './summaries.ts';
import { cadre, record } from '../doc/test/fixtures.ts';

const unit = { code: 'A01', name: '市财政局', aliases: ['财政局'], kind: 'government' as const };

function seededUnit() {
  const u = unitDossiers(new Y.Doc());
  u.cadres.put(cadre('c1', { aliases: ['张卫'] }));
  u.cadres.put(cadre('c2', { name: '李娜', gender: 'female' }));
  // The seed's case: a party warning approved in June 2018.
  u.records.put(record('r1', 'c1'));
  u.records.put(record('r2', 'c2', { colour: 'red', kind: 'commendation' }));
  return u;
}

describe('index entries of a unit document', () => {
  it('summarises each cadre and the unit with the real rules, in the user’s language', () => {
    const entries = summariseUnitDoc(seededUnit(), {
      config: defaultConfig(),
      unit: (c) => (c === 'A01' ? unit : undefined),
      unitCode: 'A01',
      asOf: '2018-08-01',
      locale: 'zh-CN',
    });
    const c1 = entries.find((e) => e.id === 'c1');
    expect(c1).toMatchObject({
      type: 'cadre',
      name: '张伟',
      aliases: ['张卫'],
      unitCode: 'A01',
      unitName: '市财政局',
      post: '局长',
      dots: { black: 1, red: 0 },
      grade: 'D',
      invalid: 0,
    });
    expect(c1?.periods.join()).toContain('2019');
    expect(entries.find((e) => e.id === 'c2')).toMatchObject({ dots: { red: 1 }, warnings: [] });
    const u = entries.find((e) => e.type === 'unit');
    expect(u).toMatchObject({ id: 'A01', name: '市财政局', aliases: ['财政局'], unitName: '市财政局' });
    // After the influence period the same dossier no longer grades c1 lowest.
    const later = summariseUnitDoc(seededUnit(), {
      config: defaultConfig(),
      unit: () => unit,
      unitCode: 'A01',
      asOf: '2019-07-01',
      locale: 'en',
    });
    expect(later.find((e) => e.id === 'c1')?.grade).not.toBe('D');
  });

  it('lists a cadre whose own entry is invalid, by the name it claims, and counts the invalid entries', () => {
    const u = seededUnit();
    u.doc.getMap('cadres').set('c3', { id: 'c3', name: '王强', gender: 'unknown' });
    u.doc.getMap('records').set('bad', { id: 'bad', subject: { type: 'cadre', id: 'c3' } });
    const entries = summariseUnitDoc(u, {
      config: defaultConfig(),
      unit: () => unit,
      unitCode: 'A01',
      asOf: '2019-01-01',
      locale: 'en',
    });
    expect(entries.find((e) => e.id === 'c3')).toMatchObject({ name: '王强', invalid: 2 });
  });

  it('counts stored texts that are malformed or fail the schema as invalid, and keeps them from the rules', () => {
    const u = seededUnit();
    const records = u.doc.getMap('records');
    // Written by a buggy peer, not through `put`: a truncated text, a date that does not exist,
    // a revoked status without the revocation, and a black dot whose colour is unknown.
    records.set('truncated', '{"id":"truncated","subject":{"type":"cadre","id":"c2"},"colour":"black",');
    records.set('bad-date', JSON.stringify(record('bad-date', 'c2', { decisionDate: '2018-02-30' })));
    records.set('bad-status', JSON.stringify(record('bad-status', 'c2', { status: 'revoked' })));
    records.set('bad-colour', JSON.stringify(record('bad-colour', 'c2', { colour: 'purple' as 'black' })));
    const entries = summariseUnitDoc(u, {
      config: defaultConfig(),
      unit: () => unit,
      unitCode: 'A01',
      asOf: '2018-08-01',
      locale: 'en',
    });
    // The three that name c2 count in its entry; the truncated one names nobody readable: the unit's.
    expect(entries.find((e) => e.id === 'c2')).toMatchObject({
      invalid: 3,
      dots: { red: 1, black: 0 },
      grade: expect.not.stringMatching(/^D$/),
    });
    expect(entries.find((e) => e.type === 'unit')).toMatchObject({ invalid: 1 });
    expect(entries.find((e) => e.id === 'c1')).toMatchObject({ invalid: 0, dots: { black: 1 } });
  });

  it('takes the rules as one dependency', () => {
    const calls: string[] = [];
    const rules: Rules = {
      summarise: (s) => {
        calls.push(s.cadre?.id ?? s.unit?.code ?? '?');
        return {
          dots: { red: 0, blue: 0, yellow: 0, black: 0 },
          grade: 'X',
          gradeReason: 'stub',
          warnings: [],
          flags: 0,
          periods: [],
        };
      },
      assessCadre: () => ({ level: 0, warnings: 0 }) as ReturnType<Rules['assessCadre']>,
    };
    const entries = summariseUnitDoc(seededUnit(), {
      config: defaultConfig(),
      unit: () => unit,
      unitCode: 'A01',
      asOf: '2019-01-01',
      locale: 'en',
      rules,
    });
    expect(entries.every((e) => e.grade === 'X')).toBe(true);
    expect(calls.sort()).toEqual(['A01', 'c1', 'c2']);
  });
});
