import { cardsOf, eventsOf, type CardView } from '../../../core/doc/card-work.ts';
import type { UnitDossiers } from '../../../core/doc/unit-doc.ts';
import type { ReminderCardsConfig } from '../../../core/model/workflow-config.ts';
import type { Cadre, ReminderCard, Unit } from '../../../core/model/schemas.ts';
import type { CardEvent } from '../../../core/model/workflow-schemas.ts';

/**
 * The reminder-card page's reads across the unit documents in scope: every card with where it
 * stands and whose it is, every cadre (for choosing holders), and the routes of the page.
 */

export interface CardRow extends CardView {
  unitCode: string;
  unitName: string;
  holder?: Cadre;
}

export function cardRows(
  units: ReadonlyMap<string, UnitDossiers>,
  unitOf: (code: string) => Unit | undefined,
  asOf: string,
  config: Pick<ReminderCardsConfig, 'receiptDays' | 'summaryDays'>,
): { rows: CardRow[]; invalid: number } {
  const rows: CardRow[] = [];
  let invalid = 0;
  for (const [code, dossiers] of units) {
    const { cards, invalid: bad } = cardsOf(dossiers, asOf, config);
    invalid += bad.length;
    for (const view of cards) {
      const holder = dossiers.cadres.get(view.card.holderId);
      rows.push({
        ...view,
        unitCode: code,
        unitName: unitOf(code)?.name ?? code,
        ...(holder?.ok ? { holder: holder.value } : {}),
      });
    }
  }
  return {
    rows: rows.sort((a, b) =>
      a.unitCode < b.unitCode ? -1 : a.unitCode > b.unitCode ? 1 : a.card.holderId < b.card.holderId ? -1 : 1,
    ),
    invalid,
  };
}

export function allCadres(units: ReadonlyMap<string, UnitDossiers>): Cadre[] {
  return [...units.values()].flatMap((d) => d.cadres.list().flatMap((e) => (e.ok ? [e.value] : [])));
}

/** Every card and event in scope, for the quarterly report. */
export function allCardsAndEvents(units: ReadonlyMap<string, UnitDossiers>): {
  cards: ReminderCard[];
  events: CardEvent[];
} {
  const cards: ReminderCard[] = [];
  const events: CardEvent[] = [];
  for (const d of units.values()) {
    for (const e of d.cards.list()) if (e.ok) cards.push(e.value);
    events.push(...eventsOf(d));
  }
  return { cards, events };
}

export type CardsRoute = { page: 'cards' } | { page: 'card'; unitCode: string; cardId: string } | { page: 'report' };

/** `#card/<unit>/<id>` (the QR code's target), `#report`, anything else the card list. */
export function routeOf(hash: string): CardsRoute {
  const card = /^#card\/([^/]+)\/(.+)$/.exec(hash);
  if (card) return { page: 'card', unitCode: decodeURIComponent(card[1]!), cardId: decodeURIComponent(card[2]!) };
  return hash === '#report' ? { page: 'report' } : { page: 'cards' };
}

export const cardHash = (unitCode: string, cardId: string): string =>
  `#card/${encodeURIComponent(unitCode)}/${encodeURIComponent(cardId)}`;
