import { addDays, fromParts, type IsoDate } from '../dates.ts';
import type { ReminderCard } from '../model/schemas.ts';

/**
 * Reminder cards (主体责任提醒卡, seed: 一季一提醒、一季一总结) as the charts and alerts read them:
 * how much of each quarter's duties is done, and which duties are overdue. Every function here
 * reads cards through `CardView` only, so when the card model changes (a card with its own
 * deadline, a summary step, a history of states) only `cardView` needs adapting.
 *
 * Today's model (core/model/schemas.ts `reminderCardSchema`): a card per holder and quarter, items
 * in state pending | done | overdue. A duty is due by the end of its quarter; a pending duty after
 * that is overdue even if nobody has marked it so.
 */

export interface DutyView {
  cardId: string;
  itemId: string;
  text: string;
  holderId: string;
  unitCode: string;
  quarter: string;
  due: IsoDate;
  state: 'done' | 'pending' | 'overdue';
}

/** The last day of a quarter such as "2025Q2" (2025-06-30). */
export function quarterEnd(quarter: string): IsoDate {
  const year = Number(quarter.slice(0, 4));
  const q = Number(quarter.slice(5));
  return addDays(q === 4 ? fromParts(year + 1, 1, 1) : fromParts(year, q * 3 + 1, 1), -1);
}

/** Each duty of a card as of `asOf`: a pending duty whose quarter has ended counts as overdue. */
export function cardView(card: ReminderCard, asOf: IsoDate): DutyView[] {
  const due = quarterEnd(card.quarter);
  return card.items.map((i) => ({
    cardId: card.id,
    itemId: i.id,
    text: i.text,
    holderId: card.holderId,
    unitCode: card.unitCode,
    quarter: card.quarter,
    due,
    state: i.state === 'done' ? 'done' : i.state === 'overdue' || due < asOf ? 'overdue' : 'pending',
  }));
}

export interface QuarterCompletion {
  quarter: string;
  done: number;
  pending: number;
  overdue: number;
  /** Holders with at least one duty in each state, for drilling down. */
  holders: { done: string[]; pending: string[]; overdue: string[] };
}

/** Completion per quarter, oldest first. */
export function cardCompletion(cards: readonly ReminderCard[], asOf: IsoDate): QuarterCompletion[] {
  const by = new Map<string, QuarterCompletion>();
  const sets = new Map<string, { done: Set<string>; pending: Set<string>; overdue: Set<string> }>();
  for (const card of cards) {
    for (const d of cardView(card, asOf)) {
      let q = by.get(d.quarter);
      if (!q) {
        q = { quarter: d.quarter, done: 0, pending: 0, overdue: 0, holders: { done: [], pending: [], overdue: [] } };
        by.set(d.quarter, q);
        sets.set(d.quarter, { done: new Set(), pending: new Set(), overdue: new Set() });
      }
      q[d.state]++;
      sets.get(d.quarter)![d.state].add(d.holderId);
    }
  }
  return [...by.values()]
    .sort((a, b) => (a.quarter < b.quarter ? -1 : 1))
    .map((q) => {
      const s = sets.get(q.quarter)!;
      return { ...q, holders: { done: [...s.done].sort(), pending: [...s.pending].sort(), overdue: [...s.overdue].sort() } };
    });
}

/** Duties overdue on `asOf`. */
export function overdueDuties(cards: readonly ReminderCard[], asOf: IsoDate): DutyView[] {
  return cards.flatMap((c) => cardView(c, asOf)).filter((d) => d.state === 'overdue');
}
