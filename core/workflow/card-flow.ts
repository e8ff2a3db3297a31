import { addDays, daysInMonth, fromParts, parts, type IsoDate } from '../dates.ts';
import type { Cadre, DotRecord, ReminderCard, Unit } from '../model/schemas.ts';
import type { HolderType, ReminderCardsConfig } from '../model/workflow-config.ts';
import type { CardEvent, CardTemplate, FollowupLevel } from '../model/workflow-schemas.ts';
import { cardKey } from '../import/keys.ts';

/**
 * Reminder cards (党风廉政建设主体责任提醒卡, seed 看点1): each quarter a card with the quarter's duty
 * list goes, in the name of the same-level party committee, to the holders a rule selects; the
 * holder acknowledges it, reports on each duty (落实情况), and sums up the quarter (一季一提醒、
 * 一季一总结); duties not carried out lead to 提醒谈话 → 诫勉谈话 → 问责/纪律处分, each a record on
 * the holder's dossier. Pure: core/doc/card-work.ts writes what these decide. docs/workflows.md.
 */

export type Quarter = string; // '2019Q3'

export function quarterOf(date: IsoDate): Quarter {
  const [y, m] = parts(date);
  return `${y}Q${Math.floor((m - 1) / 3) + 1}`;
}

function quarterParts(q: Quarter): [number, number] {
  const m = /^(\d{4})Q([1-4])$/.exec(q);
  if (!m) throw new RangeError(`not a quarter: ${q}`);
  return [Number(m[1]), Number(m[2])];
}

export function quarterStart(q: Quarter): IsoDate {
  const [y, n] = quarterParts(q);
  return fromParts(y, (n - 1) * 3 + 1, 1);
}

export function quarterEnd(q: Quarter): IsoDate {
  const [y, n] = quarterParts(q);
  return fromParts(y, n * 3, daysInMonth(y, n * 3));
}

export function previousQuarter(q: Quarter): Quarter {
  const [y, n] = quarterParts(q);
  return n === 1 ? `${y - 1}Q4` : `${y}Q${n - 1}`;
}

/** The four quarters of a year. */
export const quartersOf = (year: number): Quarter[] => [1, 2, 3, 4].map((n) => `${year}Q${n}`);

/** The first holder type whose rule selects this cadre (post words and unit kind), if any. */
export function holderTypeOf(
  cadre: Pick<Cadre, 'post'>,
  unit: Pick<Unit, 'kind'> | undefined,
  types: readonly HolderType[],
): HolderType | undefined {
  return types.find(
    (t) =>
      t.posts.some((p) => cadre.post.includes(p)) &&
      !t.excludePosts.some((p) => cadre.post.includes(p)) &&
      (t.unitKinds.length === 0 || (unit !== undefined && t.unitKinds.includes(unit.kind))),
  );
}

export interface PlannedCard {
  cadre: Cadre;
  unit?: Unit;
  holderType: HolderType;
  template?: CardTemplate;
  cardId: string;
  /** new: will be issued; issued: already has this quarter's card; no-template: nothing to send. */
  status: 'new' | 'issued' | 'no-template';
}

/**
 * Who gets what this quarter: every cadre a holder type selects, with that type's template for the
 * quarter. A holder who already has the quarter's card (issued before, or imported) is listed as
 * such and not sent a second one: the card id is the quarter and the holder.
 */
export function planIssue(input: {
  quarter: Quarter;
  cadres: readonly Cadre[];
  unit: (code: string) => Unit | undefined;
  config: Pick<ReminderCardsConfig, 'holderTypes'>;
  templates: readonly CardTemplate[];
  issued: ReadonlySet<string>;
}): PlannedCard[] {
  const out: PlannedCard[] = [];
  for (const cadre of input.cadres) {
    const unit = input.unit(cadre.unitCode);
    const holderType = holderTypeOf(cadre, unit, input.config.holderTypes);
    if (!holderType) continue;
    const template = input.templates.find((t) => t.quarter === input.quarter && t.holderType === holderType.id);
    const cardId = cardKey(input.quarter, cadre.id);
    const status = input.issued.has(cardId) ? 'issued' : template ? 'new' : 'no-template';
    out.push({ cadre, ...(unit ? { unit } : {}), holderType, ...(template ? { template } : {}), cardId, status });
  }
  return out.sort((a, b) =>
    a.cadre.unitCode < b.cadre.unitCode
      ? -1
      : a.cadre.unitCode > b.cadre.unitCode
        ? 1
        : a.cadre.id < b.cadre.id
          ? -1
          : 1,
  );
}

/** The card a plan row sends. */
export function cardFor(
  plan: PlannedCard & { template: CardTemplate },
  quarter: Quarter,
  issuedOn: IsoDate,
): ReminderCard {
  return {
    id: plan.cardId,
    quarter,
    holderId: plan.cadre.id,
    unitCode: plan.cadre.unitCode,
    issuedOn,
    holderType: plan.holderType.id,
    templateId: plan.template.id,
    items: plan.template.items.map((i) => ({
      id: i.id,
      text: i.text,
      state: 'pending' as const,
      ...(i.area ? { area: i.area } : {}),
    })),
  };
}

export type CardStage = 'issued' | 'received' | 'reporting' | 'reported' | 'summarised';

export interface CardItemProgress {
  id: string;
  text: string;
  area?: string;
  /** The latest report on this duty (a later report supersedes an earlier one). */
  report?: CardEvent;
  /** Reported here, or marked done in a department's file. */
  done: boolean;
  /** Marked overdue in a department's file: overdue before the quarter ends, until reported. */
  markedOverdue: boolean;
}

export interface CardProgress {
  stage: CardStage;
  received?: CardEvent;
  items: CardItemProgress[];
  summary?: CardEvent;
  followups: CardEvent[];
  deadlines: { receipt: IsoDate; reports: IsoDate; summary: IsoDate };
  overdue: { receipt: boolean; reports: boolean; summary: boolean };
  /** Every event, in order. */
  events: CardEvent[];
}

const byOrder = (a: CardEvent, b: CardEvent) =>
  a.seq - b.seq || (a.on < b.on ? -1 : a.on > b.on ? 1 : a.id < b.id ? -1 : 1);

/**
 * Where a card stands on `asOf`. Deadlines: receipt within `receiptDays` of issue, reports by the
 * quarter's last day, the summary within `summaryDays` after it. Each is overdue from the day
 * after, until done.
 */
export function cardProgress(
  card: ReminderCard,
  events: readonly CardEvent[],
  asOf: IsoDate,
  config: Pick<ReminderCardsConfig, 'receiptDays' | 'summaryDays'>,
): CardProgress {
  const mine = events.filter((e) => e.cardId === card.id).sort(byOrder);
  const received = mine.find((e) => e.type === 'received');
  const summary = mine.findLast((e) => e.type === 'summary');
  const items = card.items.map((i): CardItemProgress => {
    const report = mine.findLast((e) => e.type === 'report' && e.itemId === i.id);
    const done = !!report || i.state === 'done';
    return {
      id: i.id,
      text: i.text,
      ...(i.area ? { area: i.area } : {}),
      ...(report ? { report } : {}),
      done,
      markedOverdue: !done && i.state === 'overdue',
    };
  });
  // A duty done in a department's file counts as reported (docs/workflows.md), so a card imported
  // with its duties done stands as reported, not as issued and never acknowledged.
  const reportedAll = items.every((i) => i.done);
  const reportedSome = items.some((i) => i.done);
  const stage: CardStage = summary
    ? 'summarised'
    : reportedAll && (received || reportedSome)
      ? 'reported'
      : reportedSome
        ? 'reporting'
        : received
          ? 'received'
          : 'issued';
  const end = quarterEnd(card.quarter);
  const deadlines = {
    receipt: addDays(card.issuedOn, config.receiptDays),
    reports: end,
    summary: addDays(end, config.summaryDays),
  };
  const course = { ...(received ? { received } : {}), items, ...(summary ? { summary } : {}), deadlines };
  return {
    stage,
    ...course,
    followups: mine.filter((e) => e.type === 'followup'),
    overdue: cardOverdueOn(course, asOf),
    events: mine,
  };
}

/**
 * Whether a duty is overdue on `asOf`: not reported by the quarter's last day (overdue from the day
 * after), or marked overdue in a department's file and not reported since.
 */
export const dutyOverdueOn = (
  item: Pick<CardItemProgress, 'done' | 'markedOverdue'>,
  deadlines: Pick<CardProgress['deadlines'], 'reports'>,
  asOf: IsoDate,
): boolean => !item.done && (item.markedOverdue || asOf > deadlines.reports);

/**
 * What of a card is overdue on `asOf`, from where its events left it (`cardProgress`): the views
 * that look at another day than the progress was computed for (a period's end, the day an alert is
 * evaluated) ask this rather than keep a rule of their own.
 */
export function cardOverdueOn(
  p: Pick<CardProgress, 'received' | 'items' | 'summary' | 'deadlines'>,
  asOf: IsoDate,
): CardProgress['overdue'] {
  return {
    receipt: !p.received && !p.items.some((i) => i.done) && asOf > p.deadlines.receipt,
    reports: p.items.some((i) => dutyOverdueOn(i, p.deadlines, asOf)),
    summary: !p.summary && asOf > p.deadlines.summary,
  };
}

export const isOverdue = (p: Pick<CardProgress, 'overdue'>): boolean =>
  p.overdue.receipt || p.overdue.reports || p.overdue.summary;

/** The next follow-up after those already taken: 提醒谈话, then 诫勉谈话, then 问责/纪律处分. */
export function nextFollowup(taken: readonly Pick<CardEvent, 'level'>[]): FollowupLevel {
  const levels: FollowupLevel[] = ['reminder-talk', 'admonishment', 'accountability'];
  const highest = Math.max(-1, ...taken.map((e) => (e.level ? levels.indexOf(e.level) : -1)));
  return levels[Math.min(highest + 1, levels.length - 1)]!;
}

/** The record kind a follow-up level puts on the dossier; accountability takes the kind decided. */
export const FOLLOWUP_KINDS: Record<Exclude<FollowupLevel, 'accountability'>, string> = {
  'reminder-talk': 'reminder-talk',
  admonishment: 'admonishment',
};

/**
 * The dossier record of a follow-up: the talk or the measure, on the holder, dated the day it
 * happened, citing its document, linked to the card so the dossier says why.
 */
export function followupRecord(
  card: ReminderCard,
  input: {
    id: string;
    level: FollowupLevel;
    kind: string;
    colour: DotRecord['colour'];
    on: IsoDate;
    sourceDept: string;
    summary: string;
    docNumber?: string;
  },
): DotRecord {
  return {
    id: input.id,
    subject: { type: 'cadre', id: card.holderId },
    colour: input.colour,
    kind: input.kind,
    decisionDate: input.on,
    sourceDept: input.sourceDept,
    ...(input.docNumber ? { docNumber: input.docNumber } : {}),
    summary: input.summary,
    status: 'active',
    origin: { type: 'card', id: card.id },
  };
}
