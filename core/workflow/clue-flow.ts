import type { IsoDate } from '../dates.ts';
import type { Clue, DotRecord } from '../model/schemas.ts';
import type { ClueStage, Label } from '../model/vocabulary.ts';
import { STAGE_LABELS } from '../rules/labels.ts';
import type { ClueStep, HandlerKind } from '../model/workflow-schemas.ts';

/**
 * The path of a problem clue (问题线索), after 《中国共产党纪律检查机关监督执纪工作规则》 (2019) and
 * 《监察法》 art. 45 (docs/workflows.md, "Problem clues"): which stage may follow which, where a clue
 * stands given its steps, which deadline runs, and what each step puts on the dossier. Pure: the
 * accessors (core/doc/clue-work.ts) write what these functions decide.
 */

export type CluePhase = 'intake' | 'assignment' | 'disposal' | 'outcome' | 'rectification' | 'closed';

export const CLUE_PHASE: Record<ClueStage, CluePhase> = {
  received: 'intake',
  assigned: 'assignment',
  inquiry: 'disposal',
  preliminary: 'disposal',
  pending: 'disposal',
  case: 'outcome',
  handling: 'outcome',
  recommendation: 'outcome',
  rectified: 'rectification',
  closed: 'closed',
};

/**
 * Which stage may follow which. 分办 comes before any disposal (规则 art. 21); a disposal by one of
 * the four ways (art. 21: 谈话函询、初步核实、暂存待查、予以了结 — the last is the move to closed);
 * 初核 may lead to a case or to organisational handling (arts. 34–35), talks and inquiries to
 * handling or closure; a 监察建议书 (监察法 art. 45) waits for the unit's 整改报告 before the clue
 * is closed. A clue kept pending may be taken up again.
 */
export const CLUE_TRANSITIONS: Record<ClueStage, readonly ClueStage[]> = {
  received: ['assigned'],
  assigned: ['inquiry', 'preliminary', 'pending', 'closed', 'assigned'],
  inquiry: ['preliminary', 'handling', 'recommendation', 'closed'],
  preliminary: ['case', 'handling', 'recommendation', 'closed'],
  pending: ['inquiry', 'preliminary', 'closed'],
  case: ['handling', 'recommendation', 'closed'],
  handling: ['recommendation', 'closed'],
  recommendation: ['rectified'],
  rectified: ['closed'],
  closed: [],
};

/** How a clue was closed, by the stage it was closed from: 予以了结, 了结 or 办结. */
export type ClosedAs = 'dismissed' | 'concluded' | 'completed';
const CLOSED_AS: Partial<Record<ClueStage, ClosedAs>> = {
  received: 'dismissed',
  assigned: 'dismissed',
  inquiry: 'concluded',
  preliminary: 'concluded',
  pending: 'concluded',
  case: 'completed',
  handling: 'completed',
  rectified: 'completed',
};

export const CLOSED_AS_LABELS: Record<ClosedAs, { zh: string; en: string }> = {
  dismissed: { zh: '予以了结', en: 'closed without action' },
  concluded: { zh: '了结', en: 'concluded' },
  completed: { zh: '办结', en: 'completed' },
};

/** The document each step usually produces, as a default for the form (the officer may change it). */
export const STEP_DOCUMENTS: Record<ClueStage, { zh: string; en: string }> = {
  received: { zh: '问题线索登记表', en: 'clue registration form' },
  assigned: { zh: '问题线索交办单', en: 'assignment note' },
  inquiry: { zh: '谈话函询通知', en: 'inquiry notice' },
  preliminary: { zh: '初步核实情况报告', en: 'preliminary verification report' },
  pending: { zh: '暂存待查审批表', en: 'approval to keep pending' },
  case: { zh: '立案决定书', en: 'decision to open a case' },
  handling: { zh: '组织处理决定', en: 'organisational handling decision' },
  recommendation: { zh: '监察建议书', en: 'supervision recommendation' },
  rectified: { zh: '整改落实情况报告', en: 'rectification report' },
  closed: { zh: '线索处置办结审批表', en: 'closing approval' },
};

/** How a clue closed from `stage` would be called. */
export const closedAsFrom = (stage: ClueStage): ClosedAs => CLOSED_AS[stage] ?? 'completed';

export const canMove = (from: ClueStage, to: ClueStage): boolean => CLUE_TRANSITIONS[from].includes(to);

/** Steps in the order they were taken: by how many steps their writer knew of, then date, then id. */
export function orderSteps<S extends Pick<ClueStep, 'seq' | 'on' | 'id'>>(steps: readonly S[]): S[] {
  return [...steps].sort(
    (a, b) => a.seq - b.seq || (a.on < b.on ? -1 : a.on > b.on ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

export interface Deadline {
  due: IsoDate;
  /** The stage that set it: `recommendation` is met by the 整改报告, anything else by closing. */
  setAt: ClueStage;
}

export interface ClueProgress {
  stage: ClueStage;
  /** The steps that took effect, in order. */
  steps: ClueStep[];
  /**
   * Steps that could not follow the one before (two officers moved the clue offline at once): kept
   * and shown, but not counted, the same way on every peer.
   */
  conflicts: ClueStep[];
  assignee?: string;
  assigneeKind?: HandlerKind;
  /** The way of disposal (谈话函询, 初步核实, 暂存待查; 予以了结 shows as closedAs 'dismissed'). */
  disposal?: ClueStage;
  /** The outcome stage reached (立案审查, 组织处理, 监察建议书). */
  outcome?: ClueStage;
  closedAs?: ClosedAs;
  /** The deadline still running, or the last one if the clue is closed. */
  deadline?: Deadline & { met: boolean };
  /** On the date asked: past its deadline and not met. */
  overdue: boolean;
}

/**
 * Where a clue stands on `asOf`. A clue with no steps (imported, or from before the steps existed)
 * stands where its own fields say; steps, once there, decide.
 */
export function clueProgress(clue: Clue, steps: readonly ClueStep[], asOf: IsoDate): ClueProgress {
  const ordered = orderSteps(steps.filter((s) => s.clueId === clue.id));
  const taken: ClueStep[] = [];
  const conflicts: ClueStep[] = [];
  // An imported clue starts where its own fields put it; one registered here starts at 受理.
  let stage: ClueStage = clue.stage;
  const out: ClueProgress = { stage, steps: taken, conflicts, overdue: false };
  if (clue.assignee) out.assignee = clue.assignee;
  if (clue.due) out.deadline = { due: clue.due, setAt: clue.stage, met: clue.stage === 'closed' };
  for (const step of ordered) {
    // A 受理 step records the registration itself; any other must follow the stage before it.
    const fits = step.stage === 'received' ? taken.length === 0 && stage === 'received' : canMove(stage, step.stage);
    if (!fits) {
      conflicts.push(step);
      continue;
    }
    if (step.stage === 'closed') out.closedAs = closedAsFrom(stage);
    stage = step.stage;
    taken.push(step);
    if (step.assignee) {
      out.assignee = step.assignee;
      if (step.assigneeKind) out.assigneeKind = step.assigneeKind;
    }
    const phase = CLUE_PHASE[stage];
    if (phase === 'disposal') out.disposal = stage;
    if (phase === 'outcome') out.outcome = stage;
    if (step.due) out.deadline = { due: step.due, setAt: stage, met: false };
    else if (out.deadline && !out.deadline.met) {
      if (stage === 'closed' || (out.deadline.setAt === 'recommendation' && stage === 'rectified'))
        out.deadline.met = true;
    }
  }
  out.stage = stage;
  out.overdue = deadlineOverdue(out.deadline, asOf);
  return out;
}

/**
 * Whether the deadline a clue's steps left (`ClueProgress.deadline`) is overdue on `asOf`: not met
 * and past, overdue from the day after. The views that count or announce overdue clues on another
 * day than the progress was computed for ask this.
 */
export const deadlineOverdue = (deadline: ClueProgress['deadline'], asOf: IsoDate): boolean =>
  !!deadline && !deadline.met && deadline.due < asOf;

/** A clue's stage in words: a closed clue says how it was closed (予以了结 / 了结 / 办结). */
export const clueStageLabel = (p: Pick<ClueProgress, 'stage' | 'closedAs'>): Label =>
  p.stage === 'closed' && p.closedAs ? CLOSED_AS_LABELS[p.closedAs] : STAGE_LABELS[p.stage];

/** The clue as the rules and views read it: stage, assignee and deadline as its steps left them. */
export function currentClue(
  clue: Clue,
  progress: Pick<ClueProgress, 'stage' | 'assignee' | 'deadline' | 'steps'>,
): Clue {
  if (!progress.steps.length) return clue;
  const out: Clue = { ...clue, stage: progress.stage };
  if (progress.assignee) out.assignee = progress.assignee;
  if (progress.deadline) out.due = progress.deadline.due;
  return out;
}

export type StepProblem =
  | 'clue.transition' // this stage cannot follow the current one
  | 'clue.stepBeforePrevious' // dated before the previous step (or the receipt)
  | 'clue.assigneeRequired' // 交办 without whom
  | 'clue.dueRequired' // 监察建议书 without its rectification deadline
  | 'clue.dueBeforeStep'; // a deadline before the step itself

/** What is wrong with taking `step` next (empty: it may be taken). Field names for the form. */
export function checkStep(
  clue: Clue,
  progress: ClueProgress,
  step: Pick<ClueStep, 'stage' | 'on' | 'assignee' | 'due'>,
): { field: string; key: StepProblem }[] {
  const problems: { field: string; key: StepProblem }[] = [];
  if (!canMove(progress.stage, step.stage)) problems.push({ field: 'stage', key: 'clue.transition' });
  const last = progress.steps.at(-1)?.on ?? clue.received;
  if (step.on < last) problems.push({ field: 'on', key: 'clue.stepBeforePrevious' });
  if (step.stage === 'assigned' && !step.assignee?.trim())
    problems.push({ field: 'assignee', key: 'clue.assigneeRequired' });
  if (step.stage === 'recommendation' && !step.due) problems.push({ field: 'due', key: 'clue.dueRequired' });
  if (step.due && step.due < step.on) problems.push({ field: 'due', key: 'clue.dueBeforeStep' });
  return problems;
}

/** The id of the yellow dot a unit's clue puts on the unit (one per clue, the same on every peer). */
export const clueDotId = (clueId: string): string => `dot-${clueId}`.slice(0, 64);

/**
 * The unit's yellow dot for a clue against it (domain rule: "a unit's problem clue is a yellow dot
 * on the unit"; seed 看点3, the canteen). Dated the day the clue was received; the supervision
 * recommendation's deadline and the rectification report's date land on it, so the overdue-
 * rectification warning follows the clue.
 */
export function unitClueDot(clue: Clue, sourceDept: string): DotRecord | undefined {
  if (clue.subject.type !== 'unit') return undefined;
  return {
    id: clueDotId(clue.id),
    subject: clue.subject,
    colour: 'yellow',
    kind: 'unit-problem-clue',
    decisionDate: clue.received,
    sourceDept,
    summary: clue.summary,
    status: 'active',
    origin: { type: 'clue', id: clue.id },
  };
}

/** Fields a step sets on the clue's dot: the recommendation's deadline, the report's date. */
export function dotChanges(
  step: Pick<ClueStep, 'stage' | 'on' | 'due'>,
): Partial<Pick<DotRecord, 'rectificationDue' | 'rectifiedOn'>> {
  if (step.stage === 'recommendation' && step.due) return { rectificationDue: step.due };
  if (step.stage === 'rectified') return { rectifiedOn: step.on };
  return {};
}
