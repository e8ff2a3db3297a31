import * as v from 'valibot';
import { describeIssues, type FieldError, type Locale } from '../../../core/model/messages.ts';
import type { Unit } from '../../../core/model/schemas.ts';
import type { SubjectData } from '../../../core/rules/reasons.ts';
import { reviewRequestSchema, type ReviewRequest } from '../../../core/rules/review.ts';
import type { ReviewPurpose } from '../../../core/rules/reasons.ts';
import { allDossiers, type UnitDossiers } from '../../../core/doc/index.ts';

/**
 * The review form's data as typed by the officer, and its checks. Kept out of the components so
 * the parsing of a pasted list and the mapping of schema issues to fields are tested alone.
 */

export interface RequestDraft {
  letterNo: string;
  requester: string;
  purpose: ReviewPurpose;
  /** Text, as typed: the schema decides whether it is a year. */
  year: string;
  asOf: string;
  people: string;
}

/**
 * One person per line, or separated by 、，, ; (full- or half-width), as lists arrive in a
 * request letter or a spreadsheet column. Blank pieces are dropped; duplicates are kept, since a
 * letter naming someone twice is something the officer should see, not something we fix.
 */
export function splitPeople(text: string): string[] {
  return text
    .split(/[\n\r、，,；;]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export type DraftErrors = Partial<Record<'letterNo' | 'requester' | 'purpose' | 'year' | 'asOf' | 'people', string>>;

export type Checked = { ok: true; request: ReviewRequest } | { ok: false; errors: DraftErrors };

const REQUIRED = { 'zh-CN': '不能为空', en: 'is required' } as const;
const FIELD = {
  letterNo: { 'zh-CN': '函号', en: 'Letter number' },
  requester: { 'zh-CN': '来函单位', en: 'Requesting unit' },
} as const;

/**
 * Validates the draft with the core schema (purpose, year, as-of date, people) plus the letter's
 * own fields, and returns one message per field in the user's language.
 */
export function checkDraft(draft: RequestDraft, locale: Locale): Checked {
  const errors: DraftErrors = {};
  for (const f of ['letterNo', 'requester'] as const) {
    if (draft[f].trim() === '') errors[f] = `${FIELD[f][locale]}${locale === 'zh-CN' ? '：' : ': '}${REQUIRED[locale]}`;
  }
  const yearText = draft.year.trim();
  const input: Record<string, unknown> = { purpose: draft.purpose, asOf: draft.asOf.trim(), people: splitPeople(draft.people) };
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
  return { ok: true, request: parsed.output as ReviewRequest };
}

function fieldOf(e: FieldError): keyof DraftErrors | undefined {
  const top = e.path.split('.')[0];
  if (top === 'purpose' || top === 'year' || top === 'asOf' || top === 'people') return top;
  // A variant that failed on its discriminator has no path: it is the purpose that is wrong.
  return e.path === '' ? 'purpose' : undefined;
}

/** Every cadre dossier in the open unit documents, as the rules engine reads them. */
export function subjectsOf(units: readonly UnitDossiers[], unitOf: (code: string) => Unit | undefined): SubjectData[] {
  const out: SubjectData[] = [];
  for (const dossiers of units) {
    for (const d of allDossiers(dossiers, { unit: unitOf }).values()) {
      if (d.cadre) out.push({ cadre: d.cadre, records: d.records, flags: d.flags, clues: d.clues });
    }
  }
  return out;
}

/** The year a reply's opinion text speaks of (the appraisal or commendation year, if any). */
export const yearOfRequest = (r: ReviewRequest): number | undefined => ('year' in r ? r.year : undefined);
