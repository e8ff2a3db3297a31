import { addDays, addMonths, parts, type IsoDate } from '../dates.ts';
import type { DotRecord } from '../model/schemas.ts';
import { measureFor, type Measure } from './measures.ts';
import type { Reason } from './reasons.ts';

/**
 * Influence periods (影响期).
 *
 * Boundary convention: a period of N months counts its first day (the approval or effective date)
 * and ends the day before the same day N months later: 12 months from 2018-06-15 run through
 * 2019-06-14 and are over on 2019-06-15. When that day does not exist in the last month
 * (31 August + 6 months), the period runs through that month's last day: we never end a period
 * earlier than the calendar says, because lifting a block a day early is the error an officer
 * cannot undo. Expiry needs nobody's action (政务处分法 art. 26): a period is running exactly when
 * from ≤ asOf ≤ until, whatever status a clerk set on the record; only revocation removes it.
 */

export type PeriodReason = Extract<Reason, { code: 'period' }>;

/** Government sanctions combine up to this many months (政务处分法 art. 15). */
export const COMBINED_CAP_MONTHS = 48;

/**
 * A memo for date arithmetic: a review of 10,000 cadres asks for the same few thousand
 * (date, months) pairs over and over, and calendar maths was most of its time. Bounded, pure.
 */
function memo(fn: (date: IsoDate, months: number) => IsoDate): (date: IsoDate, months: number) => IsoDate {
  const cache = new Map<string, IsoDate>();
  return (date, months) => {
    const key = date + months;
    let out = cache.get(key);
    if (out === undefined) {
      if (cache.size > 200_000) cache.clear();
      out = fn(date, months);
      cache.set(key, out);
    }
    return out;
  };
}

/** The last day of a period of `months` starting on `from` (inclusive). */
export const periodUntil = memo((from, months) => {
  const day = parts(from)[2];
  const same = addMonths(from, months);
  const clamped = parts(same)[2] < day;
  return clamped ? same : addDays(same, -1);
});

/** The first day of the window of `months` ending on `asOf` (the same convention, backwards). */
export const windowStart = memo((asOf, months) => addDays(addMonths(asOf, -months), 1));

/** The date a record's period counts from: approval for party and organisational, effect for government. */
export function startOf(record: DotRecord, measure: Measure | undefined): IsoDate {
  return measure?.from === 'effective' ? (record.effectiveDate ?? record.decisionDate) : record.decisionDate;
}

/** Records that count as of a date: not revoked, and already decided. */
export function countingRecords(records: readonly DotRecord[], asOf: IsoDate): DotRecord[] {
  return records.filter((r) => r.status !== 'revoked' && r.decisionDate <= asOf);
}

function monthsOf(record: DotRecord, measure: Measure): number | null | undefined {
  switch (measure.term.type) {
    case 'months':
      return measure.term.months;
    case 'probation-then':
      // A record without probationMonths fails the input schema; read the lenient 24 (the longer).
      return (record.probationMonths ?? 24) + measure.term.months;
    case 'permanent':
      return null;
    case 'none':
      return undefined;
  }
}

interface Single {
  record: DotRecord;
  measure: Measure;
  from: IsoDate;
  /** undefined: no period at all; null: permanent. */
  months: number | null;
  until: IsoDate | null;
  probationUntil?: IsoDate;
}

function single(record: DotRecord): Single | undefined {
  const measure = measureFor(record.kind);
  if (!measure) return undefined;
  const months = monthsOf(record, measure);
  if (months === undefined) return undefined;
  const from = startOf(record, measure);
  const until = months === null ? null : periodUntil(from, months);
  if (measure.term.type !== 'probation-then') return { record, measure, from, months, until };
  return { record, measure, from, months, until, probationUntil: periodUntil(from, record.probationMonths ?? 24) };
}

const byStart = (a: Single, b: Single) =>
  a.from < b.from ? -1 : a.from > b.from ? 1 : a.record.id < b.record.id ? -1 : a.record.id > b.record.id ? 1 : 0;

function reasonOf(group: Single[], asOf: IsoDate): PeriodReason {
  const first = group[0]!;
  const inProbation = first.probationUntil !== undefined && asOf <= first.probationUntil;
  const base: PeriodReason = {
    code: 'period',
    kind: first.measure.kind,
    records: group.map((s) => s.record.id),
    from: first.from,
    until: first.until,
    blocks: [...first.measure.blocks, ...(inProbation ? (first.measure.probationBlocks ?? []) : [])],
    source: first.measure.source,
    ...(first.probationUntil ? { probationUntil: first.probationUntil } : {}),
  };
  if (group.length === 1) return base;
  // 政务处分法 art. 15: between one period and the sum, at most 48 months. The dossier holds
  // separate decisions, none of which states a combined period, so we take the upper bound (the
  // sum, capped): a review must not clear someone the decision body may still be restricting.
  // A later decision never ends earlier than its own period, whatever the cap says.
  const sum = group.reduce((n, s) => n + (s.months ?? 0), 0);
  const combinedMonths = Math.min(sum, COMBINED_CAP_MONTHS);
  const capped = periodUntil(first.from, combinedMonths);
  const latestOwn = group.reduce((d, s) => (s.until !== null && s.until > d ? s.until : d), capped);
  return { ...base, until: latestOwn, combinedMonths, source: 'gov-15-combination' };
}

/** Chains identical combinable sanctions whose periods overlap into one group each. */
function combine(singles: Single[]): Single[][] {
  const groups: Single[][] = [];
  const open = new Map<string, { group: Single[]; until: IsoDate }>();
  for (const s of [...singles].sort(byStart)) {
    const current = s.measure.combinable ? open.get(s.measure.kind) : undefined;
    if (current && s.from <= current.until && s.until !== null) {
      current.group.push(s);
      if (s.until > current.until) current.until = s.until;
      continue;
    }
    const group = [s];
    groups.push(group);
    if (s.measure.combinable && s.until !== null) open.set(s.measure.kind, { group, until: s.until });
  }
  return groups;
}

/**
 * Every influence period in the records known as of `asOf`, running or not, combined per art. 15.
 * Blocks are those in force on `asOf` (a probation's suspended rights end before its period does).
 */
export function allPeriods(records: readonly DotRecord[], asOf: IsoDate): PeriodReason[] {
  const singles = countingRecords(records, asOf)
    .map(single)
    .filter((s): s is Single => s !== undefined && s.from <= asOf);
  return combine(singles).map((g) => reasonOf(g, asOf));
}

export function isRunning(p: { from: IsoDate; until: IsoDate | null }, asOf: IsoDate): boolean {
  return p.from <= asOf && (p.until === null || asOf <= p.until);
}

function severityOf(p: PeriodReason): number {
  return measureFor(p.kind)?.severity ?? 0;
}

/**
 * The periods running on `asOf`, heaviest first (several sanctions: the heaviest applies, so the
 * first entry is the one a grade or a one-line summary names). Ties: the later end first, then
 * the record id, so the answer never depends on the order records were stored in. All running
 * periods are returned because a lighter measure can end later, and a block holds until the last
 * one ends (组织处理规定: the longer influence period governs).
 */
export function influencePeriods(records: readonly DotRecord[], asOf: IsoDate): PeriodReason[] {
  return allPeriods(records, asOf)
    .filter((p) => isRunning(p, asOf))
    .sort((a, b) => {
      const bySeverity = severityOf(b) - severityOf(a);
      if (bySeverity !== 0) return bySeverity;
      const ua = a.until ?? '9999-12-31';
      const ub = b.until ?? '9999-12-31';
      if (ua !== ub) return ua < ub ? 1 : -1;
      return a.records[0]! < b.records[0]! ? -1 : 1;
    });
}

/** The last day any running period blocks `block` (null = permanently), or undefined if none does. */
export function blockedUntil(
  periods: readonly PeriodReason[],
  block: PeriodReason['blocks'][number],
): IsoDate | null | undefined {
  let out: IsoDate | undefined;
  for (const p of periods) {
    if (!p.blocks.includes(block)) continue;
    if (p.until === null) return null;
    if (out === undefined || p.until > out) out = p.until;
  }
  return out;
}
