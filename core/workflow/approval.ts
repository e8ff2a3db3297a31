import { yearOf, type IsoDate } from '../dates.ts';
import type { Author, Person } from '../doc/writers.ts';
import type { Commission } from '../model/workflow-config.ts';
import type { ApprovalAction, BatchStep, Draft, ReviewBatch } from './register-schemas.ts';

/**
 * Approval of a reply before it is sent (拟稿 → 审核 → 签发, then 登记 when it goes out), each step by
 * a person holding that role (workspace configuration `commission.approvers`; an empty list lets
 * anyone who may write the register take it). The reviewer and the signer must not be the drafter:
 * a reply is checked by a second person. A reviewer or signer may return the draft with a comment,
 * and the drafter drafts again.
 *
 * Who took a step is the server's attribution of its entry (core/doc/writers.ts, core/sync/authors.ts). A step whose
 * server-attributed author lacks the role, or which does not follow the state it was taken in, is
 * shown and not counted; a step the server has not yet attributed (just written, or on its way) is
 * counted provisionally and marked so. docs/workflows.md.
 */

export type ApprovalRole = 'draft' | 'review' | 'sign';
export type ApprovalState = 'new' | 'drafted' | 'reviewed' | 'signed' | 'registered' | 'returned';

/** The role an action needs. Registering is clerical: whoever drafts may register. Returning: reviewers and signers. */
export const ACTION_ROLES: Record<ApprovalAction, readonly ApprovalRole[]> = {
  draft: ['draft'],
  return: ['review', 'sign'],
  review: ['review'],
  sign: ['sign'],
  register: ['draft', 'review', 'sign'],
};

export const NEXT_ACTIONS: Record<ApprovalState, readonly ApprovalAction[]> = {
  new: ['draft'],
  returned: ['draft'],
  drafted: ['review', 'return'],
  reviewed: ['sign', 'return'],
  signed: ['register'],
  registered: [],
};

const AFTER: Record<ApprovalAction, ApprovalState> = {
  draft: 'drafted',
  return: 'returned',
  review: 'reviewed',
  sign: 'signed',
  register: 'registered',
};

export type ApprovalProblem = 'approval.order' | 'approval.role' | 'approval.samePerson';

export interface StepView {
  step: BatchStep;
  author: Author;
  /** Counted, but the server has not attributed it yet. */
  provisional: boolean;
  problem?: ApprovalProblem;
}

export interface Approval {
  state: ApprovalState;
  steps: StepView[];
  /** The draft in force (the latest accepted one). */
  draft?: Draft;
  drafter?: Author;
  reviewer?: Author;
  signer?: Author;
  replyNo?: string;
  signedOn?: IsoDate;
  registeredOn?: IsoDate;
}

/** Whether a person may take steps of this role under the configured approvers. */
export function holdsRole(user: string, role: ApprovalRole, approvers: Commission['approvers']): boolean {
  const list = approvers[role];
  return list.length === 0 || list.includes(user);
}

export const mayTake = (user: string, action: ApprovalAction, approvers: Commission['approvers']): boolean =>
  ACTION_ROLES[action].some((r) => holdsRole(user, r, approvers));

const order = (a: BatchStep, b: BatchStep) =>
  a.seq - b.seq || (a.on < b.on ? -1 : a.on > b.on ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const userOf = (a: Author | undefined): string | undefined => (a && a.status !== 'unknown' ? a.user : undefined);

export function approvalOf(
  batchId: string,
  steps: readonly BatchStep[],
  authorOf: (step: BatchStep) => Author,
  approvers: Commission['approvers'],
): Approval {
  const out: Approval = { state: 'new', steps: [] };
  for (const step of steps.filter((s) => s.batchId === batchId).sort(order)) {
    const author = authorOf(step);
    const view: StepView = { step, author, provisional: author.status !== 'server' };
    out.steps.push(view);
    if (!NEXT_ACTIONS[out.state].includes(step.action)) {
      view.problem = 'approval.order';
      continue;
    }
    const user = userOf(author);
    if (author.status === 'server' && !mayTake(author.user, step.action, approvers)) {
      view.problem = 'approval.role';
      continue;
    }
    if ((step.action === 'review' || step.action === 'sign') && user !== undefined && user === userOf(out.drafter)) {
      view.problem = 'approval.samePerson';
      continue;
    }
    out.state = AFTER[step.action];
    if (step.action === 'draft') {
      out.draft = step.draft;
      out.drafter = author;
      delete out.reviewer;
    }
    if (step.action === 'review') out.reviewer = author;
    if (step.action === 'sign') {
      out.signer = author;
      out.replyNo = step.replyNo;
      out.signedOn = step.on;
    }
    if (step.action === 'register') out.registeredOn = step.on;
  }
  return out;
}

/** What stops `me` from taking `action` now (none: it may be taken). */
export function actionBlocked(
  approval: Approval,
  action: ApprovalAction,
  me: Person,
  approvers: Commission['approvers'],
): ApprovalProblem | undefined {
  if (!NEXT_ACTIONS[approval.state].includes(action)) return 'approval.order';
  if (!mayTake(me.user, action, approvers)) return 'approval.role';
  if ((action === 'review' || action === 'sign') && me.user === userOf(approval.drafter)) return 'approval.samePerson';
  return undefined;
}

/** 发文字号 from the pattern: 澜纪函〔{year}〕{n}号 → 澜纪函〔2019〕12号. */
export function replyNumber(pattern: string, year: number, n: number | undefined): string {
  // Unsigned, the number is left blank for the 文书 to fill in: 澜纪函〔2019〕  号.
  return pattern.replaceAll('{year}', String(year)).replaceAll('{n}', n === undefined ? '\u3000\u3000' : String(n));
}

/** The next free sequence number of the year: one past the highest already given under the pattern. */
export function nextReplyNumber(pattern: string, year: number, given: readonly string[]): number {
  const escaped = pattern
    .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
    .replaceAll('{year}', String(year))
    .replace('{n}', '(\\d+)');
  const re = new RegExp(`^${escaped.replace(/\{n\}/g, '\\d+')}$`);
  let max = 0;
  for (const g of given) {
    const m = re.exec(g.trim());
    if (m) max = Math.max(max, Number(m[1]));
  }
  return max + 1;
}

export interface RegisterEntry {
  batch: ReviewBatch;
  approval: Approval;
}

export interface YearCounts {
  /** Replies registered (sent) that year (批次). */
  batches: number;
  /** People answered for (人). */
  people: number;
  /** People with an opinion other than no objection or a note: objection or postpone (不同意见). */
  differing: number;
}

/** The commission's yearly figures, as the seed reports them ("63批次1128人 … 31人提出了不同意见"). */
export function registerCounts(entries: readonly RegisterEntry[], year: number): YearCounts {
  const out: YearCounts = { batches: 0, people: 0, differing: 0 };
  for (const { approval } of entries) {
    if (
      approval.state !== 'registered' ||
      !approval.registeredOn ||
      yearOf(approval.registeredOn) !== year ||
      !approval.draft
    )
      continue;
    out.batches++;
    out.people += approval.draft.people.length;
    out.differing += approval.draft.people.filter((p) => p.opinion === 'objection' || p.opinion === 'postpone').length;
  }
  return out;
}

/** Reply numbers given more than once (two signers at once): the register flags them. */
export function duplicateReplyNumbers(entries: readonly RegisterEntry[]): Set<string> {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const { approval } of entries) {
    if (!approval.replyNo) continue;
    if (seen.has(approval.replyNo)) dup.add(approval.replyNo);
    seen.add(approval.replyNo);
  }
  return dup;
}
