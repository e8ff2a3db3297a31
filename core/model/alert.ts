import * as v from 'valibot';
import { dateSchema, idSchema, subjectSchema } from './schemas.ts';

/**
 * Alerts (预警提醒): what an officer is told about, once, when it newly holds for someone in their
 * scope. Computed on each device from the synced dossiers (core/analysis/alerts.ts); the record of
 * having told the user lives in the user's own document (core/doc/user-doc.ts), so a second device
 * of the same user does not tell again.
 *
 * - `warning`: a cadre newly under an early warning (the seed's "即将生成黑点");
 * - `overdue`: a clue past its deadline (the disposal's, or a 监察建议书's rectification), a yellow
 *   dot's rectification past its due date, a reminder-card duty not done when its quarter ended
 *   (or marked overdue in a department's file);
 * - `period-ending`: an influence period ends within the lead time, before a known review (the
 *   annual appraisal, or a review the officer is preparing), so the review will find it over.
 */

export const ALERT_KINDS = ['warning', 'overdue', 'period-ending'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

const ref = v.pipe(v.string(), v.minLength(1), v.maxLength(128));

export const alertDetailSchema = v.variant('what', [
  v.object({
    what: v.literal('warning'),
    trigger: v.picklist(['open-clue', 'repeated-yellow', 'substantiated-flag', 'overdue-rectification']),
    refs: v.array(ref),
  }),
  /** `rectification`: the deadline is a 监察建议书's, met by the unit's 整改报告. */
  v.object({ what: v.literal('clue-overdue'), clue: ref, due: dateSchema, rectification: v.optional(v.literal(true)) }),
  v.object({ what: v.literal('rectification-overdue'), record: ref, due: dateSchema }),
  v.object({ what: v.literal('card-overdue'), card: ref, item: ref, quarter: v.string(), text: v.string() }),
  v.object({
    what: v.literal('period-ending'),
    kind: v.string(),
    records: v.array(ref),
    until: dateSchema,
    review: v.object({ date: dateSchema, label: v.pipe(v.string(), v.maxLength(100)) }),
  }),
]);
export type AlertDetail = v.InferOutput<typeof alertDetailSchema>;

export const alertSchema = v.object({
  /** Stable across devices and evaluations: the same condition always has the same key. */
  key: v.pipe(v.string(), v.minLength(1), v.maxLength(400)),
  kind: v.picklist(ALERT_KINDS),
  subject: subjectSchema,
  unitCode: idSchema,
  /** The subject's name when raised (the inbox still says whom it was about if they leave scope). */
  name: v.pipe(v.string(), v.maxLength(64)),
  /** The day the condition began to hold. */
  since: dateSchema,
  detail: alertDetailSchema,
});
export type Alert = v.InferOutput<typeof alertSchema>;

/** An alert as kept in the user's document: when it was first raised, and whether it predates the user's first look. */
export const alertRecordSchema = v.object({
  ...alertSchema.entries,
  raisedAt: v.pipe(v.string(), v.isoTimestamp('date.format')),
  /** Present when the user first enrolled: already true then, so never announced. */
  baseline: v.optional(v.boolean()),
});
export type AlertRecord = v.InferOutput<typeof alertRecordSchema>;
