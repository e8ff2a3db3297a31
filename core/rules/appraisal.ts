import { yearOf, type IsoDate } from '../dates.ts';
import type { Clue, DotRecord } from '../model/schemas.ts';
import type { ClueStage } from '../model/vocabulary.ts';
import { APPRAISAL_EFFECTS, measureFor, type AppraisalEffect, type AppraisalRow } from './measures.ts';
import { countingRecords, periodUntil, startOf } from './periods.ts';
import type { Reason } from './reasons.ts';

/**
 * Annual-appraisal effects (《公务员考核规定》 arts. 28–29) for one year: which records rule out
 * 优秀, which leave the year without a grade, which make it 不称职. "That year" is the year the
 * measure's period starts (approval for party and organisational measures, effect for government
 * sanctions).
 */

export type AppraisalReason = Extract<Reason, { code: 'appraisal' }>;
export type InvestigationReason = Extract<Reason, { code: 'investigation' }>;

/** 立案审查调查: no appraisal grade until the case closes (考核规定 art. 28). */
export const INVESTIGATION_STAGES: readonly ClueStage[] = ['case'];

function yearsOf(row: AppraisalRow, record: DotRecord, from: IsoDate): [number, number] {
  const start = yearOf(from);
  if (row.years !== 'probation') return [start + row.years[0], start + row.years[1]];
  return [start, yearOf(periodUntil(from, record.probationMonths ?? 24))];
}

const rank = (e: AppraisalEffect) => APPRAISAL_EFFECTS.indexOf(e);

export interface AppraisalOptions {
  /** Ignore what was not yet decided on this date; default: everything not revoked. */
  asOf?: IsoDate;
}

/** Every effect on `year`, worst first; one reason per record (its worst row for that year). */
export function appraisalEffects(
  records: readonly DotRecord[],
  year: number,
  options: AppraisalOptions = {},
): AppraisalReason[] {
  const known = options.asOf ? countingRecords(records, options.asOf) : records.filter((r) => r.status !== 'revoked');
  const out: AppraisalReason[] = [];
  for (const record of known) {
    const measure = measureFor(record.kind);
    if (!measure) continue;
    const from = startOf(record, measure);
    const hits = measure.appraisal.filter((row) => {
      const [a, b] = yearsOf(row, record, from);
      return a <= year && year <= b;
    });
    if (hits.length === 0) continue;
    const worst = hits.reduce((w, h) => (rank(h.effect) > rank(w.effect) ? h : w));
    out.push({
      code: 'appraisal',
      kind: measure.kind,
      records: [record.id],
      date: from,
      year,
      effect: worst.effect,
      source: measure.appraisalSource,
    });
  }
  return out.sort((a, b) => rank(b.effect) - rank(a.effect) || (a.records[0]! < b.records[0]! ? -1 : 1));
}

/**
 * Open clues at the investigation stage on `asOf`. Whatever year is being appraised, the grade
 * cannot be settled while the case is open, so the year does not narrow this.
 */
export function pendingInvestigations(clues: readonly Clue[], asOf: IsoDate): InvestigationReason[] {
  return clues
    .filter((c) => INVESTIGATION_STAGES.includes(c.stage) && c.received <= asOf)
    .map((c): InvestigationReason => ({
      code: 'investigation',
      clue: c.id,
      stage: c.stage,
      since: c.received,
      source: 'appraisal-28-investigation',
    }))
    .sort((a, b) => (a.clue < b.clue ? -1 : 1));
}

export function worstEffect(reasons: readonly AppraisalReason[]): AppraisalEffect | undefined {
  return reasons.reduce<AppraisalEffect | undefined>(
    (w, r) => (w === undefined || rank(r.effect) > rank(w) ? r.effect : w),
    undefined,
  );
}
