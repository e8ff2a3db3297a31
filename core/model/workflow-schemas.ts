import * as v from 'valibot';
import { CLUE_STAGES, HANDLER_KINDS } from './vocabulary.ts';
export { HANDLER_KINDS, type HandlerKind } from './vocabulary.ts';
import { dateSchema, fieldCheck, idSchema, quarterSchema } from './schemas.ts';

/**
 * The steps of the commission's three workflows (docs/workflows.md): problem-clue steps, reminder
 * card events and card templates, and the integrity-review register's batches and approval steps.
 *
 * A step is its own entry (one Yjs item), written once and never edited, and carries no `by`: who
 * wrote it is what the server attributed the write to (the item's Yjs clientID, bound to the
 * authenticated user, read back through GET /authors — core/doc/writers.ts, core/sync/authors.ts). A field a client
 * fills in could name anybody. The date on a step is the date of the act it records (the day the
 * 监察建议书 was issued), which is domain data the officer enters.
 */

/** A step's free text (a note, a comment, a name), trimmed: required, or optional. */
export const text = v.pipe(
  v.string('type.string'),
  v.trim(),
  v.minLength(1, 'required'),
  v.maxLength(4000, 'text.length'),
);
export const optText = v.optional(v.pipe(v.string('type.string'), v.trim(), v.maxLength(4000, 'text.length')));
/**
 * How many steps of the same thing the writer knew of: orders steps entered on the same day (two
 * written offline at once share a number and fall back to their ids, the same on every peer).
 */
export const seqSchema = v.pipe(v.number('type.string'), v.integer('type.string'), v.minValue(0, 'type.string'));

export const clueStepSchema = v.object({
  id: idSchema,
  clueId: idSchema,
  /** The stage the clue entered with this step. */
  stage: v.picklist(CLUE_STAGES, 'clue.stage'),
  on: dateSchema,
  seq: seqSchema,
  /** 交办/分办: to whom. */
  assignee: optText,
  assigneeKind: v.optional(v.picklist(HANDLER_KINDS, 'clue.assigneeKind')),
  /** 办理期限 (assigned) or 整改期限 (recommendation): the last day allowed. */
  due: v.optional(dateSchema),
  /** The step's document: 交办单, 谈话函询 letter, 初核报告, 监察建议书, 整改报告 … */
  docTitle: optText,
  docNumber: optText,
  note: optText,
  /** A record this step put on a dossier (the unit's yellow dot, an organisational measure). */
  recordId: v.optional(idSchema),
});
export type ClueStep = v.InferOutput<typeof clueStepSchema>;

/** 提醒谈话 → 诫勉谈话 → 问责/纪律处分 (seed, 看点1): how far a card's follow-up has gone. */
export const FOLLOWUP_LEVELS = ['reminder-talk', 'admonishment', 'accountability'] as const;
export type FollowupLevel = (typeof FOLLOWUP_LEVELS)[number];

export const CARD_EVENT_TYPES = ['received', 'report', 'summary', 'followup'] as const;
export type CardEventType = (typeof CARD_EVENT_TYPES)[number];

const cardEventShape = {
  id: idSchema,
  cardId: idSchema,
  type: v.picklist(CARD_EVENT_TYPES, 'card.eventType'),
  on: dateSchema,
  seq: seqSchema,
  /** report: the duty reported on. */
  itemId: v.optional(idSchema),
  /** report: 落实情况; summary: the quarter's 总结; received: how it was received; followup: what was found. */
  text: optText,
  level: v.optional(v.picklist(FOLLOWUP_LEVELS, 'card.level')),
  /** followup: the record it put on the holder's dossier. */
  recordId: v.optional(idSchema),
};

const given = (x: unknown) => x !== undefined && x !== '';
const needs = (field: keyof typeof cardEventShape, when: (e: Record<string, unknown>) => boolean) =>
  fieldCheck(field, (e) => !when(e) || given(e[field]), 'required');

export const cardEventSchema = v.pipe(
  v.object(cardEventShape),
  needs('itemId', (e) => e.type === 'report'),
  needs('text', (e) => e.type === 'report' || e.type === 'summary'),
  needs('level', (e) => e.type === 'followup'),
  needs('recordId', (e) => e.type === 'followup'),
);
export type CardEvent = v.InferOutput<v.ObjectSchema<typeof cardEventShape, undefined>>;

/** A quarter's duty list for one kind of holder, kept in the workspace (admins write). */
export const cardTemplateSchema = v.object({
  id: idSchema,
  holderType: idSchema,
  quarter: quarterSchema,
  items: v.pipe(
    v.array(v.object({ id: idSchema, text: v.pipe(text, v.maxLength(200, 'text.length')), area: optText })),
    v.minLength(1, 'required'),
  ),
});
export type CardTemplate = v.InferOutput<typeof cardTemplateSchema>;
