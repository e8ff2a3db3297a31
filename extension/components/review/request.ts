import * as v from 'valibot';
import { describeIssues, type FieldError, type Locale } from '../../../core/model/messages.ts';
import type { ReviewPurpose } from '../../../core/rules/reasons.ts';
import { reviewRequestSchema, type ReviewRequest } from '../../../core/rules/review.ts';
import { splitPeople } from '../../../core/workflow/review-input.ts';
import { isIsoDate } from '../../../core/dates.ts';
import { tIn, type MessageKey } from '../../lib/i18n.ts';

/**
 * The review form's data as typed by the officer (the request letter, 来函), and its checks. Kept
 * out of the components so the mapping of schema issues to fields is tested alone. Names are
 * split as the command line splits them (core/workflow/review-input.ts).
 */

export interface RequestDraft {
  /** 来函文号, cited in the reply as it stands. */
  letterNo: string;
  requester: string;
  /** 收文日期. */
  received: string;
  purpose: ReviewPurpose;
  /** Text, as typed: the schema decides whether it is a year. */
  year: string;
  asOf: string;
  people: string;
}

export type DraftErrors = Partial<
  Record<'letterNo' | 'requester' | 'received' | 'purpose' | 'year' | 'asOf' | 'people', string>
>;

export interface CheckedRequest {
  request: ReviewRequest;
  letterNo: string;
  requester: string;
  received: string;
}

export type Checked = ({ ok: true } & CheckedRequest) | { ok: false; errors: DraftErrors };

/** The letter's own fields, by the labels the form shows them with. */
const FIELD = {
  letterNo: 'review_letterNo',
  requester: 'review_requester',
  received: 'review_received',
} as const satisfies Record<string, MessageKey>;

/**
 * Validates the draft with the core schema (purpose, year, as-of date, people) plus the letter's
 * own fields, and returns one message per field in the user's language.
 */
export function checkDraft(draft: RequestDraft, locale: Locale): Checked {
  const errors: DraftErrors = {};
  const sep = tIn(locale, 'city_colon');
  for (const f of ['letterNo', 'requester', 'received'] as const) {
    if (draft[f].trim() === '') errors[f] = `${tIn(locale, FIELD[f])}${sep}${tIn(locale, 'errRequired')}`;
  }
  if (!errors.received && !isIsoDate(draft.received.trim()))
    errors.received = `${tIn(locale, FIELD.received)}${sep}${tIn(locale, 'review_badDate')}`;
  const yearText = draft.year.trim();
  const input: Record<string, unknown> = {
    purpose: draft.purpose,
    asOf: draft.asOf.trim(),
    people: splitPeople(draft.people),
  };
  // Annual appraisal needs a year; for a commendation it is optional; other purposes have none.
  if (draft.purpose === 'annual-appraisal' || (draft.purpose === 'commendation' && yearText !== '')) {
    input.year = /^\d+$/.test(yearText) ? Number(yearText) : yearText === '' ? undefined : NaN;
  }
  const parsed = v.safeParse(reviewRequestSchema, input);
  if (!parsed.success) {
    for (const e of describeIssues(parsed.issues, locale)) {
      const field = fieldOf(e);
      if (field && !errors[field]) errors[field] = e.message;
    }
  }
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    request: parsed.output as ReviewRequest,
    letterNo: draft.letterNo.trim(),
    requester: draft.requester.trim(),
    received: draft.received.trim(),
  };
}

function fieldOf(e: FieldError): keyof DraftErrors | undefined {
  const top = e.path.split('.')[0];
  if (top === 'purpose' || top === 'year' || top === 'asOf' || top === 'people') return top;
  // A variant that failed on its discriminator has no path: it is the purpose that is wrong.
  return e.path === '' ? 'purpose' : undefined;
}

/** The year a reply's opinion text speaks of (the appraisal or commendation year, if any). */
export const yearOfRequest = (r: ReviewRequest): number | undefined => ('year' in r ? r.year : undefined);
