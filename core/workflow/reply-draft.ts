import type { Clue, DotRecord } from '../model/schemas.ts';
import { inBoth, labelled, pick, type Label } from '../model/i18n.ts';
import type { Vocabulary } from '../rules/labels.ts';
import type { SubjectData } from '../rules/reasons.ts';
import type { Opinion, ReviewedPerson, ReviewResult } from '../rules/review.ts';
import { citeBoth, type CitationContext } from './citations.ts';
import type { Draft, DraftPerson } from './register-schemas.ts';

/**
 * From a review's result to the draft the register keeps: each person answered for, with the
 * opinion the rules computed, the officer's override if any (with its reason), and the reasons as
 * the letter cites them. Names that fit several cadres must be settled first — a reply never
 * guesses whom it speaks of; names nobody has are listed apart and not counted.
 */

/** Every record and clue of the subjects, by id, for citing them. */
export function citationContext(subjects: readonly SubjectData[], vocab: Vocabulary): CitationContext {
  const records = new Map<string, DotRecord>();
  const clues = new Map<string, Clue>();
  for (const s of subjects) {
    for (const r of s.records) records.set(r.id, r);
    for (const c of s.clues) clues.set(c.id, c);
  }
  return { records, clues, vocab };
}

export interface Override {
  opinion: Opinion;
  reason: string;
}

/** How an officer's override is introduced: "经研究：…". */
const CONSIDERED: Label = { zh: '经研究', en: 'On consideration' };

/** The reasons a reply gives for one person: none for a plain "no objection". */
export function reasonLines(
  person: Extract<ReviewedPerson, { match: 'found' }>,
  ctx: CitationContext,
  override?: Override,
): Label[] {
  const opinion = override?.opinion ?? person.opinion;
  const facts = person.reasons.filter((r) => r.code !== 'clear').map((r) => citeBoth(r, ctx));
  const lines = opinion === 'no-objection' && !override ? [] : facts;
  return override ? [...lines, inBoth((locale) => labelled(pick(CONSIDERED, locale), override.reason, locale))] : lines;
}

export type DraftOutcome =
  { ok: true; draft: Draft } | { ok: false; ambiguous: { row: number; query: string }[]; empty: boolean };

/**
 * The draft for a result. `asked[i]` is what the request said for row i (a pick replaces the query
 * with an id); `overrides` by row; an override equal to the computed opinion is no override.
 */
export function draftFrom(
  result: ReviewResult,
  input: {
    asked: readonly string[];
    ctx: CitationContext;
    unitName: (code: string) => string;
    overrides?: ReadonlyMap<number, Override>;
  },
): DraftOutcome {
  const ambiguous = result.people.flatMap((p, row) =>
    p.match === 'ambiguous' ? [{ row, query: input.asked[row] ?? p.query }] : [],
  );
  const people: DraftPerson[] = [];
  const unknown: string[] = [];
  result.people.forEach((p, row) => {
    if (p.match === 'not-found') unknown.push(input.asked[row] ?? p.query);
    if (p.match !== 'found') return;
    const o = input.overrides?.get(row);
    const override =
      o && o.opinion !== p.opinion && o.reason.trim() ? { opinion: o.opinion, reason: o.reason.trim() } : undefined;
    people.push({
      query: input.asked[row] ?? p.query,
      cadreId: p.cadreId,
      name: p.name,
      unitCode: p.unitCode,
      unitName: input.unitName(p.unitCode),
      post: p.post,
      computed: p.opinion,
      opinion: override?.opinion ?? p.opinion,
      reasons: reasonLines(p, input.ctx, override),
      ...(override ? { override: { reason: override.reason } } : {}),
    });
  });
  if (ambiguous.length || people.length === 0) return { ok: false, ambiguous, empty: people.length === 0 };
  return { ok: true, draft: { people, unknown } };
}
