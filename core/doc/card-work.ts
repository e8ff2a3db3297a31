import type { IsoDate } from '../dates.ts';
import type { Locale } from '../model/messages.ts';
import { recordSchema, reminderCardSchema, type DotRecord, type ReminderCard } from '../model/schemas.ts';
import { cardEventSchema, type CardEvent } from '../model/workflow-schemas.ts';
import type { ReminderCardsConfig } from '../model/workflow-config.ts';
import { cardProgress, type CardProgress } from '../workflow/card-flow.ts';
import { refusal, validate, type Entry, type WriteResult } from './entry.ts';
import type { UnitDossiers } from './unit-doc.ts';

/**
 * Writing reminder cards and their events (core/workflow/card-flow.ts): issuing a quarter's cards,
 * the holder's acknowledgement, reports per duty, the quarter's summary, and follow-ups, each of
 * which puts its record on the holder's dossier in the same transaction (one update, attributed by
 * the server to its writer).
 */

export type EventInput = Omit<CardEvent, 'cardId' | 'seq'>;

export interface CardView {
  card: ReminderCard;
  progress: CardProgress;
}

export function eventsOf(dossiers: UnitDossiers): CardEvent[] {
  return dossiers.cardEvents.list().flatMap((e) => (e.ok ? [e.value] : []));
}

/** Every card of the document with its progress on `asOf`, and the entries that are invalid. */
export function cardsOf(
  dossiers: UnitDossiers,
  asOf: IsoDate,
  config: Pick<ReminderCardsConfig, 'receiptDays' | 'summaryDays'>,
): { cards: CardView[]; invalid: Extract<Entry<unknown>, { ok: false }>[] } {
  const events = eventsOf(dossiers);
  const cards: CardView[] = [];
  const invalid: Extract<Entry<unknown>, { ok: false }>[] = [];
  for (const e of dossiers.cards.list()) {
    if (e.ok) cards.push({ card: e.value, progress: cardProgress(e.value, events, asOf, config) });
    else invalid.push(e);
  }
  for (const e of dossiers.cardEvents.list()) if (!e.ok) invalid.push(e);
  return { cards, invalid };
}

/** Issues cards; one the document already has (same quarter and holder) is left as it is. */
export function issueCards(
  dossiers: UnitDossiers,
  cards: readonly ReminderCard[],
  locale: Locale = 'zh-CN',
): WriteResult & { issued?: number } {
  for (const c of cards) {
    const r = validate(reminderCardSchema, c.id, c, locale);
    if (!r.ok) return { ok: false, errors: r.errors };
  }
  const fresh = cards.filter((c) => !dossiers.cards.get(c.id));
  let result: WriteResult & { issued?: number } = { ok: true, changed: fresh.length > 0, issued: fresh.length };
  dossiers.doc.transact(() => {
    for (const c of fresh) {
      const r = dossiers.cards.put(c);
      if (!r.ok) return void (result = r);
    }
  });
  return result;
}

/**
 * Records an event on a card: received, a report on one duty, the summary, or a follow-up with the
 * record it puts on the holder's dossier (`record`, required for a follow-up).
 */
export function recordCardEvent(
  dossiers: UnitDossiers,
  cardId: string,
  event: EventInput,
  opts: { locale?: Locale; record?: DotRecord } = {},
): WriteResult {
  const locale = opts.locale ?? 'zh-CN';
  const card = dossiers.cards.get(cardId);
  if (!card?.ok) return refusal('cardId', 'entity.notFound', locale);
  if (event.type === 'report' && !card.value.items.some((i) => i.id === event.itemId))
    return refusal('itemId', 'entity.notFound', locale);
  if (event.on < card.value.issuedOn) return refusal('on', 'card.beforeIssue', locale);
  if (event.type === 'followup' && !opts.record) return refusal('recordId', 'required', locale);
  const known = eventsOf(dossiers).filter((e) => e.cardId === cardId).length;
  const record = opts.record ? { ...opts.record, origin: { type: 'card' as const, id: cardId } } : undefined;
  const written: CardEvent = { ...event, cardId, seq: known, ...(record ? { recordId: record.id } : {}) };
  const checked = validate(cardEventSchema, written.id, written, locale);
  if (!checked.ok) return { ok: false, errors: checked.errors };
  if (record) {
    const r = validate(recordSchema, record.id, record, locale);
    if (!r.ok) return { ok: false, errors: r.errors };
  }
  let result: WriteResult = { ok: true, changed: true };
  dossiers.doc.transact(() => {
    // Only a refusal of the whole document (a newer schema) can fail here, and it fails first.
    const e = dossiers.cardEvents.put(written);
    if (!e.ok) return void (result = e);
    if (record) dossiers.records.put(record);
  });
  return result;
}
