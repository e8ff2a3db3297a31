import { addDays, type IsoDate } from '../dates.ts';
import type { Alert } from '../model/alert.ts';
import type { Subject } from '../model/schemas.ts';
import type { WarningReason } from '../rules/warnings.ts';
import { deadlineOverdue } from '../workflow/clue-flow.ts';
import { cardView, dayAfter } from './cards.ts';
import type { CadreRow, UnitRow } from './rows.ts';

/**
 * What holds now that an officer should be told about (core/model/alert.ts), computed from the
 * rows on a date. Each alert has a key that is the same on every device and every evaluation for
 * the same condition, so "new" means "a key this user has not been told about" (alert-claims.ts).
 *
 * Keys name what the condition rests on:
 * - a warning: the cadre, the trigger and what starts it — the clue, the flag, the overdue record,
 *   or for repeated yellow dots the oldest dot in the window (a third dot within the same window
 *   is the same warning going on, not a new one);
 * - overdue: the clue or record and its due date (a new deadline is a new alert), the card duty
 *   (`card-overdue:<card>:<item>`);
 * - period ending: the records and the end date.
 */

export interface KnownReview {
  /** The day the review looks at (e.g. the annual appraisal at year end). */
  date: IsoDate;
  label: string;
}

export interface AlertOptions {
  asOf: IsoDate;
  /** Reviews ahead (the annual appraisal, reviews being prepared), for `period-ending`. */
  reviews: readonly KnownReview[];
  /** How many days before its end a period is "about to end". Default 30. */
  leadDays?: number;
}

export const DEFAULT_LEAD_DAYS = 30;

function warningStart(row: CadreRow, w: WarningReason): string {
  if (w.trigger !== 'repeated-yellow') return w.refs[0] ?? '';
  const dates = row.records.filter((r) => w.refs.includes(r.id)).map((r) => `${r.decisionDate}/${r.id}`);
  return dates.sort()[0] ?? w.since;
}

function cadreAlerts(row: CadreRow, o: Required<AlertOptions>): Alert[] {
  const subject: Subject = { type: 'cadre', id: row.id };
  const base = { subject, unitCode: row.unitCode, name: row.name };
  const out: Alert[] = [];
  for (const w of row.warnings) {
    out.push({
      ...base,
      key: `warning:${row.id}:${w.trigger}:${warningStart(row, w)}`,
      kind: 'warning',
      since: w.since,
      detail: { what: 'warning', trigger: w.trigger, refs: [...w.refs] },
    });
  }
  // An overdue rectification that is already a warning is told once, as the warning.
  const warned = new Set(row.warnings.filter((w) => w.trigger === 'overdue-rectification').flatMap((w) => w.refs));
  out.push(
    ...overdueOf(
      base,
      row.records.filter((r) => !warned.has(r.id)),
      row,
      o.asOf,
    ),
  );
  // Cards are the holder's duty; the unit row carries the same cards and must not repeat them.
  out.push(...cardAlerts(base, row.cards, o.asOf));
  const horizon = addDays(o.asOf, o.leadDays);
  for (const p of row.periods) {
    if (p.until === null || p.until < o.asOf || p.until > horizon) continue;
    const review = o.reviews.filter((r) => r.date > p.until!).sort((a, b) => (a.date < b.date ? -1 : 1))[0];
    if (!review) continue;
    out.push({
      ...base,
      key: `period-ending:${row.id}:${p.records.join(',')}:${p.until}`,
      kind: 'period-ending',
      since: addDays(p.until, -o.leadDays) > o.asOf ? o.asOf : addDays(p.until, -o.leadDays),
      detail: {
        what: 'period-ending',
        kind: p.kind,
        records: [...p.records],
        until: p.until,
        review: { date: review.date, label: review.label },
      },
    });
  }
  return out;
}

/**
 * Clues past the deadline their steps left (core/workflow/clue-flow.ts: a disposal deadline met by
 * closing, a 监察建议书's met by the 整改报告), and yellow dots past their rectification date. A dot a
 * clue put on its unit carries the clue's rectification deadline: the clue tells it, once.
 */
function overdueOf(
  base: Pick<Alert, 'subject' | 'unitCode' | 'name'>,
  records: CadreRow['records'],
  row: Pick<CadreRow, 'clues' | 'clueProgress'>,
  asOf: IsoDate,
): Alert[] {
  const out: Alert[] = [];
  for (const c of row.clues) {
    const deadline = row.clueProgress.get(c.id)?.deadline;
    if (!deadline || !deadlineOverdue(deadline, asOf)) continue;
    const rectification = deadline.setAt === 'recommendation';
    out.push({
      ...base,
      key: `clue-overdue:${c.id}:${deadline.due}`,
      kind: 'overdue',
      since: addDays(deadline.due, 1),
      detail: { what: 'clue-overdue', clue: c.id, due: deadline.due, ...(rectification ? { rectification } : {}) },
    });
  }
  for (const r of records) {
    if (r.origin?.type === 'clue' && row.clueProgress.has(r.origin.id)) continue;
    if (r.colour !== 'yellow' || !r.rectificationDue || r.rectificationDue >= asOf) continue;
    if (r.rectifiedOn !== undefined && r.rectifiedOn <= asOf) continue;
    out.push({
      ...base,
      key: `rectification-overdue:${r.id}:${r.rectificationDue}`,
      kind: 'overdue',
      since: addDays(r.rectificationDue, 1),
      detail: { what: 'rectification-overdue', record: r.id, due: r.rectificationDue },
    });
  }
  return out;
}

/**
 * Card duties overdue as the workflow says (core/workflow/card-flow.ts: not reported on the card by
 * the quarter's end, or marked overdue in a department's file). A card's late acknowledgement or
 * summary is flagged on the cards page and counted in the analysis, not announced: a department's
 * file carries neither, so every imported card of a past quarter would be "late" (BENCHMARKS.md).
 */
function cardAlerts(
  base: Pick<Alert, 'subject' | 'unitCode' | 'name'>,
  cards: CadreRow['cards'],
  asOf: IsoDate,
): Alert[] {
  return cards.flatMap((card) =>
    cardView(card, asOf)
      .duties.filter((d) => d.state === 'overdue')
      .map((d): Alert => ({
        ...base,
        key: `card-overdue:${d.cardId}:${d.itemId}`,
        kind: 'overdue',
        since: dayAfter(d.due, asOf),
        detail: { what: 'card-overdue', card: d.cardId, item: d.itemId, quarter: d.quarter, text: d.text },
      })),
  );
}

function unitAlerts(unit: UnitRow, asOf: IsoDate): Alert[] {
  const base = { subject: { type: 'unit' as const, id: unit.code }, unitCode: unit.code, name: unit.name };
  return overdueOf(base, unit.records, unit, asOf);
}

/** Every alert that holds on `asOf` for these cadres and units, in a stable order. */
export function currentAlerts(cadres: readonly CadreRow[], units: readonly UnitRow[], opts: AlertOptions): Alert[] {
  const o = { leadDays: DEFAULT_LEAD_DAYS, ...opts };
  const out = [...cadres.flatMap((c) => cadreAlerts(c, o)), ...units.flatMap((u) => unitAlerts(u, o.asOf))];
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The annual appraisal (年度考核) looks at the calendar year: its review date is the year's last day. */
export function annualAppraisal(asOf: IsoDate, label: string): KnownReview {
  return { date: `${asOf.slice(0, 4)}-12-31`, label };
}
