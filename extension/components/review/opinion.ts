import type { Opinion } from '../../../core/rules/review.ts';

/**
 * Each outcome has its own glyph besides its colour and its words, so the table reads the same in
 * greyscale, in print and to a screen reader (which gets the words; the glyph is aria-hidden).
 */
export type Outcome = Opinion | 'ambiguous' | 'not-found';

export const OUTCOMES: readonly Outcome[] = ['objection', 'postpone', 'note', 'no-objection', 'ambiguous', 'not-found'];

export const GLYPH: Record<Outcome, string> = {
  'no-objection': '○',
  note: '△',
  postpone: '◇',
  objection: '✕',
  ambiguous: '?',
  'not-found': '—',
};

export const OUTCOME_KEY = {
  'no-objection': 'review_opinionNoObjection',
  note: 'review_opinionNote',
  postpone: 'review_opinionPostpone',
  objection: 'review_opinionObjection',
  ambiguous: 'review_outcomeAmbiguous',
  'not-found': 'review_outcomeNotFound',
} as const satisfies Record<Outcome, string>;
