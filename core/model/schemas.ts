import * as v from 'valibot';
import { isIsoDate, type IsoDate } from '../dates.ts';
import { kindById, type WorkspaceConfig } from './config.ts';
import { unitCodeSchema } from './unit-code.ts';
import {
  CARD_ITEM_STATES,
  CLUE_STAGES,
  COLOURS,
  FLAG_STATUSES,
  RANKS,
  RECORD_STATUSES,
  UNIT_KINDS,
} from './vocabulary.ts';

/**
 * One schema per concept; types are inferred, never written twice. Messages are keys
 * (e.g. 'date.future'), turned into sentences naming the field in the user's language by
 * `describeIssues` (messages.ts), so the same schema serves the extension, the CLI and the server.
 *
 * Some checks need context the shape alone lacks: today's date ("dates in the future") and the
 * workspace's vocabularies ("unknown kinds", "a black dot with a yellow-only kind"). Those come
 * from `entitySchemas(ctx)`; the context-free shapes are exported for reading documents, where a
 * record made last year is not invalid because the vocabulary changed since.
 */

export interface SchemaContext {
  /** Today's date: nothing recorded may be dated after it. */
  today: IsoDate;
  config: Pick<WorkspaceConfig, 'kinds' | 'negativeList' | 'channels'>;
}

const text = v.pipe(v.string('type.string'), v.trim(), v.minLength(1, 'required'));
const optText = v.optional(v.pipe(v.string('type.string'), v.trim()));
export const idSchema = v.pipe(
  v.string('type.string'),
  v.trim(),
  v.minLength(1, 'required'),
  v.maxLength(64, 'id.length'),
  v.regex(/^[\p{L}\p{N}_.:-]+$/u, 'id.format'),
);
export const dateSchema = v.pipe(v.string('type.string'), v.check(isIsoDate, 'date.format'));
const userSchema = v.pipe(v.string('type.string'), v.minLength(1, 'required'), v.maxLength(128, 'id.length'));
/** Time stamps are full ISO date-times (UTC) set by the writer. */
const timestampSchema = v.pipe(v.string('type.string'), v.isoTimestamp('date.format'));

export const subjectSchema = v.object({
  type: v.picklist(['cadre', 'unit'], 'subject.type'),
  id: idSchema,
});
export type Subject = v.InferOutput<typeof subjectSchema>;

export const unitSchema = v.object({
  code: unitCodeSchema,
  name: text,
  aliases: v.optional(v.array(text), []),
  parentCode: v.optional(unitCodeSchema),
  region: optText,
  kind: v.picklist(UNIT_KINDS, 'unit.kind'),
});
export type Unit = v.InferOutput<typeof unitSchema>;

export const cadreSchema = v.object({
  id: idSchema,
  name: v.pipe(text, v.maxLength(32, 'name.length')),
  aliases: v.optional(v.array(v.pipe(text, v.maxLength(32, 'name.length'))), []),
  gender: v.picklist(['male', 'female'], 'cadre.gender'),
  birth: v.pipe(v.string('type.string'), v.regex(/^\d{4}-\d{2}(-\d{2})?$/, 'date.format')),
  unitCode: unitCodeSchema,
  post: text,
  rank: v.picklist(RANKS, 'cadre.rank'),
});
export type Cadre = v.InferOutput<typeof cadreSchema>;

/** Revocation is never deletion: the record stays, struck through, with who and when. */
export const revocationSchema = v.object({ by: userSchema, at: timestampSchema, reason: text });

const recordShape = {
  id: idSchema,
  subject: subjectSchema,
  colour: v.picklist(COLOURS, 'colour.unknown'),
  kind: idSchema,
  /** 决定日期: approval date of the decision; party-sanction periods run from it. */
  decisionDate: dateSchema,
  /** 生效日期: government-sanction periods run from it (政务处分法 art. 8). Defaults to decision. */
  effectiveDate: v.optional(dateSchema),
  sourceDept: text,
  /** 文号, e.g. 张纪发〔2018〕12号. Part of the import key, so it is kept verbatim. */
  docNumber: optText,
  summary: text,
  status: v.picklist(RECORD_STATUSES, 'record.status'),
  /** 留党察看: 12 or 24 months of probation (纪律处分条例 art. 12). */
  probationMonths: v.optional(v.picklist([12, 24], 'record.probation')),
  /** For yellow dots with a rectification demand (监察建议书 → 整改报告). */
  rectificationDue: v.optional(dateSchema),
  rectifiedOn: v.optional(dateSchema),
  revoked: v.optional(revocationSchema),
  importId: v.optional(idSchema),
  /** The reminder card or clue whose follow-up put this record here (docs/workflows.md). */
  origin: v.optional(v.object({ type: v.picklist(['card', 'clue'], 'record.origin'), id: idSchema })),
};

/**
 * A cross-field check reported on one field. Runs even when other fields failed (valibot keeps
 * running validations after an issue), so a row with three defects reports all three; the
 * predicates therefore guard their own types.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- the action slots into pipes of several object types; the predicate guards types */
export function fieldCheck(field: string, ok: (input: Record<string, any>) => boolean, message: string) {
  return v.rawCheck<any>(({ dataset, addIssue }) => {
    const input: unknown = dataset.value;
    if (typeof input !== 'object' || input === null) return;
    const obj = input as Record<string, any>;
    if (ok(obj)) return;
    addIssue({ message, path: [{ type: 'object', origin: 'value', input: obj, key: field, value: obj[field] }] });
  });
}
/* eslint-enable @typescript-eslint/no-explicit-any */

const isStr = (x: unknown): x is string => typeof x === 'string';

/** Cross-field rules that need no context. */
const recordChecks = [
  fieldCheck(
    'effectiveDate',
    (r) => !isStr(r.effectiveDate) || !isStr(r.decisionDate) || r.effectiveDate >= r.decisionDate,
    'record.effectiveBeforeDecision',
  ),
  fieldCheck('revoked', (r) => (r.status === 'revoked') === (r.revoked !== undefined), 'record.revocation'),
] as const;

export const recordSchema = v.pipe(v.object(recordShape), ...recordChecks);
// Typed from the object shape: the rawCheck pipes are typed `any` and would erase the type.
export type DotRecord = v.InferOutput<v.ObjectSchema<typeof recordShape, undefined>>;

export const flagSchema = v.object({
  id: idSchema,
  cadreId: idSchema,
  /** An item id from the workspace's negative list. */
  item: idSchema,
  channel: idSchema,
  date: dateSchema,
  status: v.picklist(FLAG_STATUSES, 'flag.status'),
  summary: text,
  statusChangedAt: v.optional(dateSchema),
  importId: v.optional(idSchema),
});
export type Flag = v.InferOutput<typeof flagSchema>;

export const clueSchema = v.object({
  id: idSchema,
  subject: subjectSchema,
  summary: text,
  received: dateSchema,
  source: text,
  stage: v.picklist(CLUE_STAGES, 'clue.stage'),
  assignee: optText,
  due: v.optional(dateSchema),
  outcome: optText,
  importId: v.optional(idSchema),
});
export type Clue = v.InferOutput<typeof clueSchema>;

export const anchorSchema = v.variant('kind', [
  v.object({ kind: v.literal('dossier') }),
  v.object({ kind: v.literal('record'), id: idSchema }),
  v.object({ kind: v.literal('flag'), id: idSchema }),
  v.object({ kind: v.literal('clue'), id: idSchema }),
  v.object({ kind: v.literal('field'), entity: idSchema, field: text }),
]);
export type Anchor = v.InferOutput<typeof anchorSchema>;

export const annotationSchema = v.object({
  id: idSchema,
  subject: subjectSchema,
  anchor: anchorSchema,
  text: v.pipe(text, v.maxLength(4000, 'text.length')),
  author: userSchema,
  at: timestampSchema,
  /** Threads: a reply names the annotation it answers. */
  replyTo: v.optional(idSchema),
  resolved: v.optional(v.boolean()),
});
export type Annotation = v.InferOutput<typeof annotationSchema>;

export const quarterSchema = v.pipe(v.string('type.string'), v.regex(/^\d{4}Q[1-4]$/, 'quarter.format'));

export const reminderCardSchema = v.object({
  id: idSchema,
  quarter: quarterSchema,
  holderId: idSchema,
  unitCode: unitCodeSchema,
  issuedOn: dateSchema,
  items: v.array(
    v.object({
      id: idSchema,
      text,
      state: v.picklist(CARD_ITEM_STATES, 'card.state'),
      note: optText,
      /** The field of work (巡察整改、作风建设、扶贫领域 …), from the template. */
      area: optText,
    }),
  ),
  /** Set when issued from a template (cards imported from a department's file have neither). */
  holderType: v.optional(idSchema),
  templateId: v.optional(idSchema),
});
export type ReminderCard = v.InferOutput<typeof reminderCardSchema>;

/**
 * Dates that may not lie after today, per collection. New input with one is refused
 * (`entitySchemas`); a stored entry with one reads as invalid (core/doc/collection.ts), like any
 * other invalid entry, instead of counting as valid while the rules leave it out. A month-only
 * date (a cadre's birth, `YYYY-MM`) is compared by month.
 */
export const DATES_UP_TO_TODAY = {
  cadres: ['birth'],
  records: ['decisionDate', 'effectiveDate'],
  flags: ['date'],
  clues: ['received'],
} as const satisfies Record<string, readonly string[]>;

/** Whether a date (`YYYY-MM-DD` or `YYYY-MM`) lies after `today`. */
export const isAfterToday = (date: unknown, today: IsoDate): boolean =>
  isStr(date) && date > today.slice(0, date.length);

/**
 * Schemas for new input (forms, imports, CLI): the shapes above plus the checks that need today's
 * date and the workspace vocabularies.
 */
export function entitySchemas(ctx: SchemaContext) {
  const upToToday = (fields: readonly string[]) =>
    fields.map((f) => fieldCheck(f, (x) => !isAfterToday(x[f], ctx.today), 'date.future'));
  const kindOf = (r: Record<string, unknown>) => (isStr(r.kind) ? kindById(ctx.config, r.kind) : undefined);
  const record = v.pipe(
    v.object(recordShape),
    ...recordChecks,
    ...upToToday(DATES_UP_TO_TODAY.records),
    fieldCheck('kind', (r) => !isStr(r.kind) || kindOf(r) !== undefined, 'kind.unknown'),
    fieldCheck(
      'kind',
      (r) => {
        const k = kindOf(r);
        return !k || k.colour === r.colour;
      },
      'kind.colourMismatch',
    ),
    fieldCheck(
      'kind',
      (r) => {
        const k = kindOf(r);
        const type = r.subject?.type;
        return !k || !isStr(type) || (k.subjects ?? ['cadre']).includes(type as 'cadre' | 'unit');
      },
      'kind.subjectMismatch',
    ),
    fieldCheck(
      'probationMonths',
      (r) => r.kind !== 'party-probation' || r.probationMonths !== undefined,
      'record.probationRequired',
    ),
  );
  const flag = v.pipe(
    flagSchema,
    ...upToToday(DATES_UP_TO_TODAY.flags),
    fieldCheck(
      'item',
      (f) => !isStr(f.item) || ctx.config.negativeList.some((i) => i.id === f.item),
      'flag.unknownItem',
    ),
    fieldCheck(
      'channel',
      (f) => !isStr(f.channel) || ctx.config.channels.some((c) => c.id === f.channel),
      'flag.unknownChannel',
    ),
  );
  const clue = v.pipe(clueSchema, ...upToToday(DATES_UP_TO_TODAY.clues));
  const cadre = v.pipe(cadreSchema, ...upToToday(DATES_UP_TO_TODAY.cadres));
  return {
    unit: unitSchema,
    cadre,
    record,
    flag,
    clue,
    annotation: annotationSchema,
    reminderCard: reminderCardSchema,
  };
}

export type EntitySchemas = ReturnType<typeof entitySchemas>;

/** A collection-level rule no single-entity schema can see: ids must be unique. */
export function duplicateIds<T>(
  items: readonly T[],
  idOf: (t: T) => string,
): { index: number; id: string; firstIndex: number }[] {
  const seen = new Map<string, number>();
  const out: { index: number; id: string; firstIndex: number }[] = [];
  items.forEach((item, index) => {
    const id = idOf(item);
    const first = seen.get(id);
    if (first === undefined) seen.set(id, index);
    else out.push({ index, id, firstIndex: first });
  });
  return out;
}
