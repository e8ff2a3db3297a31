import type { IsoDate } from '../dates.ts';
import type { Locale } from '../model/messages.ts';
import { clueSchema, recordSchema, type Clue, type DotRecord } from '../model/schemas.ts';
import { clueStepSchema, type ClueStep } from '../model/workflow-schemas.ts';
import { checkStep, clueProgress, dotChanges, unitClueDot, type ClueProgress } from '../workflow/clue-flow.ts';
import { refusal, validate, type Entry, type WriteResult } from './entry.ts';
import type { UnitDossiers } from './unit-doc.ts';
import { stepsByClue } from './unit-work.ts';

/**
 * Writing a clue's steps, each with what it puts on the dossier, in one transaction (one update,
 * attributed by the server to whoever wrote it): 受理 registers the clue and, for a unit, its yellow
 * dot; a 监察建议书 sets the dot's rectification deadline; the 整改报告 its rectification date; a step
 * may carry the record of an organisational measure it decided. Rules: core/workflow/clue-flow.ts.
 */

export type StepInput = Omit<ClueStep, 'clueId' | 'seq'>;

export interface ClueWorkOptions {
  /** Who corrects the dot's fields (the corrections log's `by`; the step's author is the server's). */
  by: string;
  /** Source department of the dots a clue puts on a unit: the commission. */
  sourceDept: string;
  locale?: Locale;
}

export interface ClueView {
  clue: Clue;
  progress: ClueProgress;
}

/** Every clue of the document with its progress on `asOf`, and the entries that are invalid. */
export function cluesOf(
  dossiers: UnitDossiers,
  asOf: IsoDate,
): { clues: ClueView[]; invalid: Extract<Entry<unknown>, { ok: false }>[] } {
  const byClue = stepsByClue(dossiers.clueSteps);
  const clues: ClueView[] = [];
  const invalid: Extract<Entry<unknown>, { ok: false }>[] = [];
  for (const e of dossiers.clues.list()) {
    if (e.ok) clues.push({ clue: e.value, progress: clueProgress(e.value, byClue.get(e.id) ?? [], asOf) });
    else invalid.push(e);
  }
  for (const e of dossiers.clueSteps.list()) if (!e.ok) invalid.push(e);
  return { clues, invalid };
}

/** Registers a clue (受理): the clue, its 受理 step and, for a unit, the unit's yellow dot. */
export function registerClue(
  dossiers: UnitDossiers,
  clue: Clue,
  step: Pick<StepInput, 'id' | 'docTitle' | 'docNumber' | 'note'>,
  opts: ClueWorkOptions,
): WriteResult {
  const locale = opts.locale ?? 'zh-CN';
  if (dossiers.clues.get(clue.id)) return refusal('id', 'id.duplicate', locale);
  const registered: Clue = { ...clue, stage: 'received' };
  const first: ClueStep = { ...step, clueId: clue.id, stage: 'received', on: clue.received, seq: 0 };
  const dot = unitClueDot(registered, opts.sourceDept);
  const bad = firstInvalid(
    locale,
    [clueSchema, registered],
    [clueStepSchema, first],
    ...(dot ? [[recordSchema, dot] as const] : []),
  );
  if (bad) return bad;
  let result: WriteResult = { ok: true, changed: true };
  dossiers.doc.transact(() => {
    // Only a refusal of the whole document (a newer schema) can fail here, and it fails first.
    const r = dossiers.clues.put(registered);
    if (!r.ok) return void (result = r);
    dossiers.clueSteps.put(first);
    if (dot && !dossiers.records.get(dot.id)) dossiers.records.put(dot);
  });
  return result;
}

/** Checks everything a write will store before any of it is stored: all or nothing. */
function firstInvalid(
  locale: Locale,
  ...pairs: (readonly [Parameters<typeof validate>[0], unknown])[]
): WriteResult | undefined {
  for (const [schema, value] of pairs) {
    const r = validate(schema, '', value, locale);
    if (!r.ok) return { ok: false, errors: r.errors };
  }
  return undefined;
}

/**
 * Takes the next step on a clue, if it may follow the current stage (an error on the field
 * otherwise, nothing written). `record`: an organisational measure the step decided, put on the
 * dossier and linked from the step.
 */
export function advanceClue(
  dossiers: UnitDossiers,
  clueId: string,
  step: StepInput,
  opts: ClueWorkOptions & { asOf: IsoDate; record?: DotRecord },
): WriteResult {
  const locale = opts.locale ?? 'zh-CN';
  const entry = dossiers.clues.get(clueId);
  if (!entry?.ok) return refusal('clueId', 'entity.notFound', locale);
  const clue = entry.value;
  const known = stepsByClue(dossiers.clueSteps).get(clueId) ?? [];
  const progress = clueProgress(clue, known, opts.asOf);
  const problems = checkStep(clue, progress, step);
  if (problems.length) return { ok: false, errors: problems.flatMap((p) => refusal(p.field, p.key, locale).errors) };
  const written: ClueStep = {
    ...step,
    clueId,
    seq: known.length,
    ...(opts.record ? { recordId: opts.record.id } : {}),
  };
  const record = opts.record ? { ...opts.record, origin: { type: 'clue' as const, id: clueId } } : undefined;
  const changes = dotChanges(step);
  // A unit clue imported before clues had steps has no dot yet: it gets one when a step dates it.
  const dot = Object.keys(changes).length ? unitClueDot(clue, opts.sourceDept) : undefined;
  const bad = firstInvalid(
    locale,
    [clueStepSchema, written],
    ...(record ? [[recordSchema, record] as const] : []),
    ...(dot ? [[recordSchema, { ...dot, ...changes }] as const] : []),
  );
  if (bad) return bad;
  let result: WriteResult = { ok: true, changed: true };
  dossiers.doc.transact(() => {
    // Only a refusal of the whole document (a newer schema) can fail here, and it fails first.
    const s = dossiers.clueSteps.put(written);
    if (!s.ok) return void (result = s);
    if (record) dossiers.records.put(record);
    if (!dot) return;
    if (!dossiers.records.get(dot.id)) dossiers.records.put(dot);
    dossiers.records.editFields(dot.id, changes, opts.by);
  });
  return result;
}
