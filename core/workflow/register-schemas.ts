import * as v from 'valibot';
import { dateSchema, fieldCheck, idSchema } from '../model/schemas.ts';
import { optText, seqSchema, text } from '../model/workflow-schemas.ts';
import { PURPOSES, OPINIONS } from '../rules/review.ts';
import type { ReviewPurpose } from '../rules/reasons.ts';

/**
 * The integrity-review register (党风廉政意见回复登记): the `register` document, org-wide, with its
 * own grants on the server. A batch is a request as it arrived (来函); its approval steps
 * (拟稿 → 审核 → 签发 → 登记, core/workflow/approval.ts) are entries of their own, attributed by the
 * server. A draft freezes what the reply says about each person — the opinion, any override with
 * its reason, and the reasons' sentences in both languages — so a letter signed today reads the
 * same next year, whatever the dossiers say by then.
 */

const label = v.object({ zh: v.string('type.string'), en: v.string('type.string') });
const purposeSchema = v.picklist(Object.keys(PURPOSES) as ReviewPurpose[], 'review.purpose');
const opinionSchema = v.picklist(OPINIONS, 'review.opinion');

export const batchSchema = v.object({
  id: idSchema,
  /** 来函文号, cited as it stands (not in 《》). */
  requestNo: text,
  requester: text,
  /** 收文日期. */
  received: dateSchema,
  purpose: purposeSchema,
  year: v.optional(v.pipe(v.number('review.year'), v.integer('review.year'))),
  asOf: dateSchema,
  /** The names (or ids) as the request lists them. */
  people: v.pipe(v.array(text), v.minLength(1, 'required')),
});
export type ReviewBatch = v.InferOutput<typeof batchSchema>;

export const draftPersonSchema = v.object({
  /** What the request said for this row. */
  query: v.string('type.string'),
  cadreId: idSchema,
  name: text,
  unitCode: idSchema,
  unitName: text,
  post: text,
  /** What the rules said on the draft's day. */
  computed: opinionSchema,
  /** What the reply says: the computed opinion, or an officer's override. */
  opinion: opinionSchema,
  /** The reasons as the letter cites them (record by kind, date and 文号), in both languages. */
  reasons: v.array(label),
  /** Set when the opinion differs from the computed one: why (the drafter is the step's author). */
  override: v.optional(v.object({ reason: text })),
});
export type DraftPerson = v.InferOutput<typeof draftPersonSchema>;

export const draftSchema = v.object({
  people: v.pipe(v.array(draftPersonSchema), v.minLength(1, 'required')),
  /** Names the dossiers do not hold: mentioned after the answers, not counted among them. */
  unknown: v.array(v.string('type.string')),
});
export type Draft = v.InferOutput<typeof draftSchema>;

export const APPROVAL_ACTIONS = ['draft', 'return', 'review', 'sign', 'register'] as const;
export type ApprovalAction = (typeof APPROVAL_ACTIONS)[number];

const stepShape = {
  id: idSchema,
  batchId: idSchema,
  action: v.picklist(APPROVAL_ACTIONS, 'approval.action'),
  on: dateSchema,
  /** Steps of this batch the writer knew of (orders steps of one day). */
  seq: seqSchema,
  /** 审核意见, or why a draft was returned. */
  comment: optText,
  draft: v.optional(draftSchema),
  /** 发文字号, given at signing. */
  replyNo: optText,
};

export const batchStepSchema = v.pipe(
  v.object(stepShape),
  fieldCheck('draft', (s) => s.action !== 'draft' || s.draft !== undefined, 'required'),
  fieldCheck('replyNo', (s) => s.action !== 'sign' || (typeof s.replyNo === 'string' && s.replyNo !== ''), 'required'),
  fieldCheck(
    'comment',
    (s) => s.action !== 'return' || (typeof s.comment === 'string' && s.comment !== ''),
    'required',
  ),
);
export type BatchStep = v.InferOutput<v.ObjectSchema<typeof stepShape, undefined>>;
