import type * as Y from 'yjs';
import type { Locale } from '../model/messages.ts';
import type { Commission } from '../model/workflow-config.ts';
import { approvalOf, NEXT_ACTIONS, type RegisterEntry } from '../workflow/approval.ts';
import {
  batchSchema,
  batchStepSchema,
  type BatchStep,
  type Draft,
  type ReviewBatch,
} from '../workflow/register-schemas.ts';
import { collection, type Collection } from './collection.ts';
import { docContext, type AccessorOptions } from './context.ts';
import { refusal, validate, type Entry, type WriteResult } from './entry.ts';
import { writerOf, type Attribute, type Author } from './writers.ts';

/**
 * The `register` document (党风廉政意见回复登记): every integrity-review request and its approval
 * steps, shared by the commission — not device storage, so the yearly counts are org-wide and
 * survive wiping a device. Its own grants on the server (sync-server/access.ts): editors and
 * admins write, any role reads. Rules: core/workflow/approval.ts.
 */

export const REGISTER_COLLECTIONS = {
  batches: { name: 'batches', schema: batchSchema, idField: 'id' },
  steps: { name: 'steps', schema: batchStepSchema, idField: 'id' },
} as const;

export interface RegisterDoc {
  readonly doc: Y.Doc;
  batches: Collection<ReviewBatch>;
  steps: Collection<BatchStep>;
  /** Who wrote a step: the server's attribution of the clientID that wrote it (writers.ts). */
  authorOf(stepId: string, attribute: Attribute): Author;
  /** Every batch with its approval, newest request first; invalid entries beside them. */
  entries(
    attribute: Attribute,
    approvers: Commission['approvers'],
  ): { entries: RegisterEntry[]; invalid: Extract<Entry<unknown>, { ok: false }>[] };
  /** 拟稿: records the request (if new) and the draft, in one transaction. */
  draft(batch: ReviewBatch, step: { id: string; on: string; draft: Draft }): WriteResult;
  /** 审核, 退回, 签发, 登记: the next step on a batch, if it follows the current state. */
  act(batchId: string, step: Pick<BatchStep, 'id' | 'on' | 'action' | 'comment' | 'replyNo'>): WriteResult;
}

export function registerDoc(doc: Y.Doc, opts: AccessorOptions = {}): RegisterDoc {
  const ctx = docContext(doc, opts);
  const locale: Locale = ctx.locale;
  const batches = collection<ReviewBatch>(doc, REGISTER_COLLECTIONS.batches, ctx);
  const steps = collection<BatchStep>(doc, REGISTER_COLLECTIONS.steps, ctx);
  const validSteps = () => steps.list().flatMap((e) => (e.ok ? [e.value] : []));
  // A step is written once and never rewritten; had someone overwritten one, the entry (and so the
  // author shown) would be theirs, which is the truth about who wrote it.
  const author = (stepId: string, attribute: Attribute) =>
    attribute(writerOf(doc, REGISTER_COLLECTIONS.steps.name, stepId));
  /** Where a batch stands, ignoring roles (those are checked against the server's attribution). */
  const stateOf = (batchId: string) =>
    approvalOf(batchId, validSteps(), () => ({ status: 'unknown' }), { draft: [], review: [], sign: [] });

  const put = (step: BatchStep): WriteResult => {
    const r = steps.put(step);
    return r.ok ? { ok: true, changed: true } : r;
  };

  return {
    doc,
    batches,
    steps,
    authorOf: author,
    entries(attribute, approvers) {
      const all = validSteps();
      const entries: RegisterEntry[] = [];
      const invalid: Extract<Entry<unknown>, { ok: false }>[] = [];
      for (const e of batches.list()) {
        if (!e.ok) invalid.push(e);
        else
          entries.push({ batch: e.value, approval: approvalOf(e.id, all, (s) => author(s.id, attribute), approvers) });
      }
      for (const e of steps.list()) if (!e.ok) invalid.push(e);
      entries.sort((a, b) =>
        a.batch.received !== b.batch.received
          ? a.batch.received < b.batch.received
            ? 1
            : -1
          : a.batch.id < b.batch.id
            ? 1
            : -1,
      );
      return { entries, invalid };
    },
    draft(batch, step) {
      const existing = batches.get(batch.id);
      if (existing && !existing.ok) return { ok: false, errors: existing.errors };
      if (!NEXT_ACTIONS[stateOf(batch.id).state].includes('draft')) return refusal('action', 'approval.order', locale);
      const checked = validate(batchSchema, batch.id, batch, locale);
      if (!checked.ok) return { ok: false, errors: checked.errors };
      const written: BatchStep = {
        id: step.id,
        batchId: batch.id,
        action: 'draft',
        on: step.on,
        seq: validSteps().filter((s) => s.batchId === batch.id).length,
        draft: step.draft,
      };
      const s = validate(batchStepSchema, written.id, written, locale);
      if (!s.ok) return { ok: false, errors: s.errors };
      let result: WriteResult = { ok: true, changed: true };
      doc.transact(() => {
        // The request as first drafted stays as it arrived; a redraft after a return keeps it.
        if (!existing) {
          const b = batches.put(batch);
          if (!b.ok) return void (result = b);
        }
        result = put(written);
      });
      return result;
    },
    act(batchId, step) {
      if (!batches.get(batchId)?.ok) return refusal('batchId', 'entity.notFound', locale);
      if (step.action === 'draft' || !NEXT_ACTIONS[stateOf(batchId).state].includes(step.action))
        return refusal('action', 'approval.order', locale);
      const written: BatchStep = { ...step, batchId, seq: validSteps().filter((s) => s.batchId === batchId).length };
      const s = validate(batchStepSchema, written.id, written, locale);
      if (!s.ok) return { ok: false, errors: s.errors };
      return put(written);
    },
  };
}
