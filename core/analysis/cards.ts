import { addDays, type IsoDate } from '../dates.ts';
import type { CardView } from '../doc/card-work.ts';
import { cardOverdueOn, dutyOverdueOn } from '../workflow/card-flow.ts';

/**
 * Reminder cards (主体责任提醒卡, seed: 一季一提醒、一季一总结) as the charts and alerts read them.
 * Where a card stands is the workflow's to say (core/workflow/card-flow.ts, docs/workflows.md): a
 * duty is done when reported (a `cardEvents` report, or done in a department's file), overdue when
 * not done by the quarter's last day or marked overdue in a file; the card's acknowledgement and
 * quarter's summary have their own deadlines (the workspace's `reminderCards`). This module only
 * reads that progress on the day a view asks about, and counts.
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

export interface CardStanding {
  cardId: string;
  holderId: string;
  unitCode: string;
  quarter: string;
  duties: DutyView[];
  /** The card's own steps past their deadline on the day asked, with that deadline. */
  late: { receipt?: IsoDate; summary?: IsoDate };
  summarised: boolean;
  /** Follow-ups taken on it (提醒谈话, 诫勉谈话, 问责/纪律处分). */
  followups: number;
}

/**
 * A card on `asOf`: each duty's state, and whether its acknowledgement or summary is late. Objects
 * are built literally, not spread: the city's picture reads every card (4,000 at 10,000 cadres) on
 * each change, and spread copies cost twenty times as much (BENCHMARKS.md, "City-wide analysis").
 */
export function cardView({ card, progress }: CardView, asOf: IsoDate): CardStanding {
  const overdue = cardOverdueOn(progress, asOf);
  const { deadlines } = progress;
  const late: CardStanding['late'] = {};
  if (overdue.receipt) late.receipt = deadlines.receipt;
  if (overdue.summary) late.summary = deadlines.summary;
  return {
    cardId: card.id,
    holderId: card.holderId,
    unitCode: card.unitCode,
    quarter: card.quarter,
    duties: progress.items.map((i) => ({
      cardId: card.id,
      itemId: i.id,
      text: i.text,
      holderId: card.holderId,
      unitCode: card.unitCode,
      quarter: card.quarter,
      due: deadlines.reports,
      state: i.done ? 'done' : dutyOverdueOn(i, deadlines, asOf) ? 'overdue' : 'pending',
    })),
    late,
    summarised: progress.summary !== undefined,
    followups: progress.followups.length,
  };
}

/** The day a condition that starts after `due` began to hold, as seen on `asOf`. */
export const dayAfter = (due: IsoDate, asOf: IsoDate): IsoDate => (due < asOf ? addDays(due, 1) : asOf);

type HolderSets = {
  done: Set<string>;
  pending: Set<string>;
  overdue: Set<string>;
  summarised: Set<string>;
  lateReceipt: Set<string>;
  lateSummary: Set<string>;
  followedUp: Set<string>;
};
const CARD_FIGURES = ['summarised', 'lateReceipt', 'lateSummary', 'followedUp'] as const;

export interface QuarterCompletion {
  quarter: string;
  /** Duties (提醒事项) by state. */
  done: number;
  pending: number;
  overdue: number;
  /** Cards sent (人次). */
  cards: number;
  /** Holders behind each figure, for drilling down: duties in each state, and cards summed up,
   * late for acknowledgement or summary, or followed up. */
  holders: {
    done: string[];
    pending: string[];
    overdue: string[];
    summarised: string[];
    lateReceipt: string[];
    lateSummary: string[];
    followedUp: string[];
  };
}

/** Completion per quarter, oldest first. */
export function cardCompletion(cards: readonly CardView[], asOf: IsoDate): QuarterCompletion[] {
  const by = new Map<string, { q: Omit<QuarterCompletion, 'holders'>; sets: HolderSets }>();
  for (const view of cards) {
    const s = cardView(view, asOf);
    let e = by.get(s.quarter);
    if (!e) {
      const sets = Object.fromEntries(
        ['done', 'pending', 'overdue', ...CARD_FIGURES].map((k) => [k, new Set<string>()]),
      ) as HolderSets;
      by.set(s.quarter, (e = { q: { quarter: s.quarter, done: 0, pending: 0, overdue: 0, cards: 0 }, sets }));
    }
    e.q.cards++;
    for (const d of s.duties) {
      e.q[d.state]++;
      e.sets[d.state].add(s.holderId);
    }
    if (s.summarised) e.sets.summarised.add(s.holderId);
    if (s.late.receipt) e.sets.lateReceipt.add(s.holderId);
    if (s.late.summary) e.sets.lateSummary.add(s.holderId);
    if (s.followups > 0) e.sets.followedUp.add(s.holderId);
  }
  return [...by.values()]
    .sort((a, b) => (a.q.quarter < b.q.quarter ? -1 : 1))
    .map(({ q, sets }) => ({
      ...q,
      holders: Object.fromEntries(
        Object.entries(sets).map(([k, v]) => [k, [...v].sort()]),
      ) as QuarterCompletion['holders'],
    }));
}
