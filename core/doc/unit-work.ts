import { clueStepSchema, cardEventSchema, type ClueStep } from '../model/workflow-schemas.ts';
import type { Clue } from '../model/schemas.ts';
import { clueProgress, currentClue } from '../workflow/clue-flow.ts';
import type { Collection } from './collection.ts';
import type { Entry } from './entry.ts';

/**
 * The workflow steps kept in a `unit:<code>` document beside the dossiers they concern: a clue's
 * steps (交办, disposal, outcome, 整改报告, 办结) and a reminder card's events (received, reports,
 * summary, follow-ups). One entry per step, written once: the entry's Yjs item says who wrote it
 * (core/doc/writers.ts). Not dossier collections: imports neither write nor export them.
 */
export const UNIT_WORK_COLLECTIONS = {
  clueSteps: { name: 'clueSteps', schema: clueStepSchema, idField: 'id' },
  cardEvents: { name: 'cardEvents', schema: cardEventSchema, idField: 'id' },
} as const;

/** The valid steps of each clue, by clue id. */
export function stepsByClue(steps: Collection<ClueStep>): Map<string, ClueStep[]> {
  const out = new Map<string, ClueStep[]>();
  for (const e of steps.list()) {
    if (!e.ok) continue;
    const list = out.get(e.value.clueId);
    if (list) list.push(e.value);
    else out.set(e.value.clueId, [e.value]);
  }
  return out;
}

/**
 * The clues as the rules and views read them: a clue with steps stands where its steps took it
 * (stage, assignee, deadline); one without stands as stored. What every dossier shows.
 */
export function currentClueEntries(clues: Collection<Clue>, steps: Collection<ClueStep>): Entry<Clue>[] {
  const byClue = stepsByClue(steps);
  const entries = clues.list();
  if (byClue.size === 0) return entries;
  return entries.map((e) => {
    const mine = e.ok ? byClue.get(e.id) : undefined;
    // The stage does not depend on the date; the date only decides "overdue", unused here.
    return mine && e.ok ? { ...e, value: currentClue(e.value, clueProgress(e.value, mine, e.value.received)) } : e;
  });
}
