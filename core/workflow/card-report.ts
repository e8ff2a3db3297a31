import type { ReminderCard } from '../model/schemas.ts';
import type { CardEvent } from '../model/workflow-schemas.ts';
import type { Quarter } from './card-flow.ts';

/**
 * The quarterly report to the standing committee (市委常委会每季度专题听取主体责任清单落实情况报告,
 * seed 看点1), counted as the article counts: cards sent (人次), duty items (提醒事项), 提醒谈话,
 * 诫勉谈话 and 问责/纪律处分 (人次), by unit and by quarter. A follow-up counts in its card's quarter:
 * the report answers "what came of this quarter's cards".
 */

export interface CardCounts {
  /** Cards sent (人次). */
  cards: number;
  /** Duty items on them (提醒事项). */
  items: number;
  /** Cards whose holder summed up the quarter (一季一总结). */
  summarised: number;
  reminderTalks: number;
  admonishments: number;
  /** 问责/纪律处分. */
  accountability: number;
}

export const COUNT_FIELDS = [
  'cards',
  'items',
  'summarised',
  'reminderTalks',
  'admonishments',
  'accountability',
] as const satisfies readonly (keyof CardCounts)[];

const zero = (): CardCounts => ({
  cards: 0,
  items: 0,
  summarised: 0,
  reminderTalks: 0,
  admonishments: 0,
  accountability: 0,
});

function add(to: CardCounts, card: ReminderCard, events: readonly CardEvent[]): void {
  to.cards++;
  to.items += card.items.length;
  if (events.some((e) => e.type === 'summary')) to.summarised++;
  for (const e of events) {
    if (e.type !== 'followup') continue;
    if (e.level === 'reminder-talk') to.reminderTalks++;
    else if (e.level === 'admonishment') to.admonishments++;
    else if (e.level === 'accountability') to.accountability++;
  }
}

export interface CardReport {
  quarters: Quarter[];
  /** unit code → quarter → counts; only units with a card in one of the quarters. */
  byUnit: Map<string, Map<Quarter, CardCounts>>;
  byQuarter: Map<Quarter, CardCounts>;
  total: CardCounts;
}

export function cardReport(
  cards: readonly ReminderCard[],
  events: readonly CardEvent[],
  quarters: readonly Quarter[],
): CardReport {
  const wanted = new Set(quarters);
  const eventsOf = new Map<string, CardEvent[]>();
  for (const e of events) {
    const list = eventsOf.get(e.cardId);
    if (list) list.push(e);
    else eventsOf.set(e.cardId, [e]);
  }
  const byUnit = new Map<string, Map<Quarter, CardCounts>>();
  const byQuarter = new Map<Quarter, CardCounts>(quarters.map((q) => [q, zero()]));
  const total = zero();
  for (const card of [...cards].sort((a, b) => (a.unitCode < b.unitCode ? -1 : a.unitCode > b.unitCode ? 1 : 0))) {
    if (!wanted.has(card.quarter)) continue;
    const mine = eventsOf.get(card.id) ?? [];
    let unit = byUnit.get(card.unitCode);
    if (!unit) byUnit.set(card.unitCode, (unit = new Map()));
    let cell = unit.get(card.quarter);
    if (!cell) unit.set(card.quarter, (cell = zero()));
    add(cell, card, mine);
    add(byQuarter.get(card.quarter)!, card, mine);
    add(total, card, mine);
  }
  return { quarters: [...quarters], byUnit, byQuarter, total };
}
