import type { ApprovalProblem, ApprovalState } from '../../../core/workflow/approval.ts';
import type { ApprovalAction } from '../../../core/workflow/register-schemas.ts';

/** The approval's states, steps and refusals in the interface's words (keys of _locales). */
export const ACTION_KEYS = {
  draft: 'review_actionDraft',
  return: 'review_actionReturn',
  review: 'review_actionReview',
  sign: 'review_actionSign',
  register: 'review_actionRegister',
} as const satisfies Record<ApprovalAction, string>;

export const STATE_KEYS = {
  new: 'review_stateNew',
  drafted: 'review_stateDrafted',
  returned: 'review_stateReturned',
  reviewed: 'review_stateReviewed',
  signed: 'review_stateSigned',
  registered: 'review_stateRegistered',
} as const satisfies Record<ApprovalState, string>;

export const PROBLEM_KEYS = {
  'approval.order': 'review_problemOrder',
  'approval.role': 'review_problemRole',
  'approval.samePerson': 'review_problemSamePerson',
} as const satisfies Record<ApprovalProblem, string>;
