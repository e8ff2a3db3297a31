import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysInMonth, fromParts } from '../dates.ts';
import { defaultConfig } from '../model/config.ts';
import { CLUE_STAGES, DEFAULT_KINDS, FLAG_STATUSES } from '../model/vocabulary.ts';
import { clue, flag, rec, subject } from './fixtures.ts';
import { factsOf, gradeCadre } from './grade.ts';
import { reviewSubject, type ReviewRequest } from './review.ts';
import type { SubjectData } from './reasons.ts';
import { summarise } from './summarise.ts';

/**
 * Grades and opinions must not depend on the order records, clues and flags were stored in:
 * two officers' replicas merge the same entries in different orders.
 */

const config = defaultConfig();
// A small date domain, so ties (same day, same end) happen often: ties are where order leaks in.
const date = fc
  .record({
    y: fc.integer({ min: 2017, max: 2019 }),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.constantFrom(1, 15, 31),
  })
  .map(({ y, m, d }) => fromParts(y, m, Math.min(d, daysInMonth(y, m))));
// Every kind appears, but a few are drawn often so that equal kinds on equal dates occur.
const common = ['party-warning', 'gov-warning', 'admonishment', 'reminder-talk', 'commendation', 'party-probation'];
const kind = fc.oneof(
  { arbitrary: fc.constantFrom(...common), weight: 3 },
  { arbitrary: fc.constantFrom(...DEFAULT_KINDS.map((k) => k.id), 'custom-kind'), weight: 1 },
);

const recordArb = fc.record({
  kind,
  decision: date,
  lag: fc.constantFrom(0, 0, 14, 30),
  revoked: fc.boolean(),
  probation: fc.constantFrom(12 as const, 24 as const),
  due: fc.option(date, { nil: undefined }),
  fixed: fc.option(date, { nil: undefined }),
});

const dossier = fc
  .record({
    records: fc.array(recordArb, { maxLength: 14 }),
    clues: fc.array(fc.record({ stage: fc.constantFrom(...CLUE_STAGES), received: date }), { maxLength: 3 }),
    flags: fc.array(fc.record({ status: fc.constantFrom(...FLAG_STATUSES), date }), { maxLength: 3 }),
  })
  .map(({ records, clues, flags }) =>
    subject(
      records.map((r, i) =>
        rec(`r${i}`, r.kind, r.decision, {
          ...(r.kind === 'custom-kind' ? { colour: 'black' as const } : {}),
          effectiveDate: addDays(r.decision, r.lag),
          ...(r.kind === 'party-probation' ? { probationMonths: r.probation } : {}),
          ...(r.due ? { rectificationDue: r.due } : {}),
          ...(r.fixed ? { rectifiedOn: r.fixed } : {}),
          ...(r.revoked
            ? { status: 'revoked' as const, revoked: { by: 'u', at: '2020-01-01T00:00:00Z', reason: '撤销' } }
            : {}),
        }),
      ),
      {
        clues: clues.map((c, i) => clue(`k${i}`, c.stage, c.received)),
        flags: flags.map((f, i) => flag(`f${i}`, f.status, f.date)),
      },
    ),
  );

const shuffled = <T>(xs: readonly T[]) => fc.shuffledSubarray([...xs], { minLength: xs.length, maxLength: xs.length });

const reshuffled = dossier.chain((s) =>
  fc.tuple(
    fc.constant(s),
    fc
      .record({ records: shuffled(s.records), clues: shuffled(s.clues), flags: shuffled(s.flags) })
      .map((p): SubjectData => ({ ...s, ...p })),
  ),
);

const requests = (asOf: string): ReviewRequest[] => [
  { purpose: 'annual-appraisal', year: Number(asOf.slice(0, 4)) - 1, asOf, people: [] },
  { purpose: 'promotion', asOf, people: [] },
  { purpose: 'commendation', asOf, people: [] },
  { purpose: 'reserve-cadre', asOf, people: [] },
];

describe('order independence', () => {
  it('grades, review opinions with their reasons, and index summaries are the same in any storage order', () => {
    fc.assert(
      fc.property(reshuffled, date, ([a, b], asOf) => {
        expect(gradeCadre(factsOf(b, asOf, config), config.gradeScheme)).toEqual(
          gradeCadre(factsOf(a, asOf, config), config.gradeScheme),
        );
        for (const req of requests(asOf)) expect(reviewSubject(b, req, config)).toEqual(reviewSubject(a, req, config));
        // What the local index stores (and two replicas must agree on) is the same text.
        expect(summarise(b, asOf, config, 'zh-CN')).toEqual(summarise(a, asOf, config, 'zh-CN'));
      }),
      { numRuns: 300 },
    );
  });
});
