import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { annotationSchema } from '../model/schemas.ts';
import { canonicalCheck } from './canonical.ts';
import { annotation, cadre, clue as clueOf, flag, record, reminderCard } from './test/fixtures.ts';
import { UNIT_COLLECTIONS, type UnitCollectionName } from './unit-collections.ts';

/**
 * The fast read path must never accept what valibot would refuse or change: `true` is taken as
 * "valibot's output is this very value", so a wrong `true` would hide an invalid entry.
 */

const revoked = { by: 'li', at: '2024-05-02T09:00:00.000Z', reason: '重复录入' };
const clue = clueOf('k1', 'c1', { due: '2024-03-01' });
const card = reminderCard('card1', 'c1', { items: [{ id: 'i1', text: '一季一提醒', state: 'done', note: '已谈话' }] });

/** Valid entities of every unit collection, as `put` stores them (optional members included). */
const VALID: Record<UnitCollectionName, Record<string, unknown>[]> = {
  cadres: [cadre('c1'), cadre('c2', { aliases: ['张卫', '张三'], birth: '1980-02-29' })],
  records: [
    record('r1', 'c1'),
    record('r2', 'c1', {
      status: 'revoked',
      revoked,
      effectiveDate: '2018-07-01',
      probationMonths: 24,
      kind: 'party-probation',
    }),
    record('r3', 'c1', {
      colour: 'yellow',
      kind: 'admonishment',
      rectificationDue: '2018-09-01',
      rectifiedOn: '2018-08-20',
      importId: 'imp-1',
      docNumber: '',
    }),
    { ...record('r4', 'A01'), subject: { type: 'unit', id: 'A01' } },
  ],
  flags: [flag('f1', 'c1'), flag('f2', 'c1', { status: 'substantiated', statusChangedAt: '2024-01-02' })],
  clues: [clue],
  cards: [card, { ...card, id: 'card2', items: [] }],
};

const parse = (name: UnitCollectionName, x: unknown) => v.safeParse(UNIT_COLLECTIONS[name].schema, x);
const check = (name: UnitCollectionName) => canonicalCheck(UNIT_COLLECTIONS[name].schema);
/** What a document holds: the value after a JSON round trip (no undefined, no holes, no prototypes). */
const stored = (x: unknown): unknown => JSON.parse(JSON.stringify(x) ?? 'null');

describe('canonical check', () => {
  it('accepts what put stores, in every unit collection, and valibot returns it unchanged', () => {
    for (const [name, values] of Object.entries(VALID) as [UnitCollectionName, Record<string, unknown>[]][]) {
      for (const value of values) {
        expect(check(name)(stored(value)), `${name} ${String(value.id)}`).toBe(true);
        const r = parse(name, stored(value));
        expect(r.success && r.output).toStrictEqual(stored(value));
      }
    }
  });

  it('declines what valibot would refuse', () => {
    const r = record('r1', 'c1');
    const refused: [string, unknown][] = [
      ['not an object', 'r1'],
      ['null', null],
      ['an array', [r]],
      ['a date that does not exist', { ...r, decisionDate: '2023-02-29' }],
      ['a month 13', { ...r, decisionDate: '2018-13-01' }],
      ['a date without padding', { ...r, decisionDate: '2018-6-15' }],
      ['an unknown colour', { ...r, colour: 'purple' }],
      ['an empty summary', { ...r, summary: '' }],
      ['a blank summary', { ...r, summary: '   ' }],
      ['a missing member', (({ sourceDept: _, ...rest }) => rest)(r)],
      ['a number for a string', { ...r, summary: 7 }],
      ['an id with a space', { ...r, id: 'r 1' }],
      ['a subject of another type', { ...r, subject: { type: 'person', id: 'c1' } }],
      ['a probation of 18 months', { ...r, probationMonths: 18 }],
      ['revoked without a revocation (cross-field check)', { ...r, status: 'revoked' }],
      ['a revocation on an active record', { ...r, revoked }],
      ['an effective date before the decision', { ...r, effectiveDate: '2018-01-01' }],
      ['a bad revocation time', { ...r, status: 'revoked', revoked: { ...revoked, at: 'yesterday' } }],
    ];
    for (const [what, value] of refused) {
      expect(parse('records', value).success, what).toBe(false);
      expect(check('records')(value), what).toBe(false);
    }
  });

  it('declines what valibot would accept but change, so the reader gets valibot’s output', () => {
    const r = record('r1', 'c1');
    const changed: [string, UnitCollectionName, unknown][] = [
      ['a summary to trim', 'records', { ...r, summary: ' 违反廉洁纪律 ' }],
      ['a member the schema does not know', 'records', { ...r, note: 'x' }],
      ['aliases left to their default', 'cadres', (({ aliases: _, ...rest }) => rest)(cadre('c1'))],
      ['an alias to trim', 'cadres', cadre('c1', { aliases: ['张卫 '] })],
      ['a card item to trim', 'cards', { ...card, items: [{ ...card.items[0], text: ' 一季一提醒' }] }],
    ];
    for (const [what, name, value] of changed) {
      const result = parse(name, value);
      expect(result.success, what).toBe(true);
      expect(result.output, what).not.toStrictEqual(value);
      expect(check(name)(value), what).toBe(false);
    }
    // Not a change, but never stored either (JSON has no undefined): declined, valibot decides.
    expect(check('records')({ ...r, effectiveDate: undefined })).toBe(false);
  });

  it('accepts leap days, and only those', () => {
    expect(check('records')(record('r1', 'c1', { decisionDate: '2024-02-29' }))).toBe(true);
    expect(check('records')(record('r1', 'c1', { decisionDate: '2000-02-29' }))).toBe(true);
    expect(check('records')(record('r1', 'c1', { decisionDate: '1900-02-29' }))).toBe(false);
  });

  it('declines every value of a schema it does not understand (here a variant)', () => {
    const note = annotation('a1', 'c1', { author: 'li', at: '2024-05-02T09:00:00.000Z' });
    expect(v.safeParse(annotationSchema, note).success).toBe(true);
    expect(canonicalCheck(annotationSchema)(note)).toBe(false);
    expect(canonicalCheck(v.pipe(v.string(), v.toUpperCase()))('ABC')).toBe(false);
  });

  it('agrees with valibot on random variations of stored entities', () => {
    // Values a buggy or hostile peer might put in a member, and some that are almost right.
    const member = fc.oneof(
      fc.constantFrom(
        '',
        ' ',
        'x',
        ' x',
        'x ',
        '\u3000x',
        '2018-06-15',
        '2018-02-30',
        '2019-06-12',
        '2024Q1',
        'C000001',
        'a b',
        'active',
        'revoked',
        'black',
        'cadre',
        'unit',
        'male',
        '正处级',
        'done',
        'reported',
      ),
      fc.string({ maxLength: 6 }),
      fc.constantFrom(0, 12, 24, 18, -1, 1.5, true, false, null),
      fc.constantFrom(
        [],
        ['张卫'],
        [' 张卫'],
        [1],
        {},
        { type: 'cadre', id: 'c1' },
        { type: 'unit', id: '' },
        revoked,
        { ...revoked, reason: '' },
      ),
      fc
        .constantFrom({ id: 'i1', text: 't', state: 'done' }, { id: 'i1', text: 't', state: 'lost' })
        .map((item) => [item]),
    );
    const variation = fc.record({
      name: fc.constantFrom(...(Object.keys(VALID) as UnitCollectionName[])),
      pick: fc.nat(),
      changes: fc.array(
        fc.tuple(
          fc.constantFrom(
            'id',
            'name',
            'aliases',
            'birth',
            'subject',
            'colour',
            'kind',
            'decisionDate',
            'effectiveDate',
            'summary',
            'status',
            'probationMonths',
            'revoked',
            'rectifiedOn',
            'items',
            'quarter',
            'stage',
            'due',
            'extra',
          ),
          fc.option(member, { nil: undefined }), // undefined: the member is removed
        ),
        { maxLength: 3 },
      ),
    });
    fc.assert(
      fc.property(variation, ({ name, pick, changes }) => {
        const base = VALID[name][pick % VALID[name].length]!;
        const value: Record<string, unknown> = { ...base };
        for (const [key, x] of changes) {
          if (x === undefined) delete value[key];
          else value[key] = x;
        }
        const input = stored(value);
        const result = parse(name, input);
        // Canonical exactly when valibot accepts the value and returns it unchanged.
        expect(check(name)(input)).toBe(result.success && isDeepStrictEqual(result.output, input));
      }),
      { numRuns: 3000 },
    );
  });
});
