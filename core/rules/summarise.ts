import type { IsoDate } from '../dates.ts';
import type { WorkspaceConfig } from '../model/config.ts';
import type { Locale } from '../model/messages.ts';
import type { SubjectSummary } from '../model/summary.ts';
import { COLOURS, type Colour } from '../model/vocabulary.ts';
import { explain, explainEnded } from './explain.ts';
import type { Vocabulary } from './labels.ts';
import { refsOf } from './ref-names.ts';
import { factsOf, gradeCadre, gradeUnit, type CadreOutcome, type Facts, type Graded } from './grade.ts';
import { allPeriods, countingRecords, isRunning } from './periods.ts';
import type { SubjectData } from './reasons.ts';

/**
 * One subject's standing on a date: its facts (running periods, warnings) and its grade. The local
 * index stores the strings summarise() makes from it, so the overlay never runs the rules.
 */

export type RulesConfig = Pick<WorkspaceConfig, 'gradeScheme' | 'warningRules'>;

export interface Assessment extends CadreOutcome {
  facts: Facts;
  graded: Graded;
}

export function assessCadre(subject: SubjectData, asOf: IsoDate, config: RulesConfig): Assessment {
  const facts = factsOf(subject, asOf, config);
  const graded = gradeCadre(facts, config.gradeScheme);
  return { facts, graded, level: graded.level, warnings: facts.warnings.length };
}

/** A unit's standing reads its cadres' outcomes (from assessCadre) as well as its own dots. */
export function assessUnit(
  unit: SubjectData,
  cadres: readonly CadreOutcome[],
  asOf: IsoDate,
  config: RulesConfig,
): Assessment {
  const facts = factsOf(unit, asOf, config);
  const graded = gradeUnit(facts, cadres, config.gradeScheme);
  return { facts, graded, level: graded.level, warnings: facts.warnings.length };
}

/** Dots that count on `asOf` (not revoked, already decided), by colour. */
export function dotCounts(subject: SubjectData, asOf: IsoDate): Record<Colour, number> {
  const out = Object.fromEntries(COLOURS.map((c) => [c, 0])) as Record<Colour, number>;
  for (const r of countingRecords(subject.records, asOf)) out[r.colour]++;
  return out;
}

export type RulesSummary = Pick<
  SubjectSummary,
  'dots' | 'grade' | 'gradeReason' | 'warnings' | 'flags' | 'periods' | 'endedPeriods'
>;

/**
 * The rules' part of a SubjectSummary, in the user's language. For a unit pass its cadres'
 * outcomes (assessCadre of each); without them a unit is graded on its own dots only.
 */
export function summarise(
  subject: SubjectData,
  asOf: IsoDate,
  config: RulesConfig,
  locale: Locale,
  options: { cadres?: readonly CadreOutcome[]; vocab?: Vocabulary; assessed?: Assessment } = {},
): RulesSummary {
  // A caller that already assessed the subject (the local index keeps cadre outcomes for the
  // unit's grade) passes it in, so the rules run once per subject.
  const a =
    options.assessed ??
    (subject.cadre || !subject.unit
      ? assessCadre(subject, asOf, config)
      : assessUnit(subject, options.cadres ?? [], asOf, config));
  // The index is read by people (overlay card, side panel): records by 文号, clues by summary, no ids.
  const vocab: Vocabulary = { ...options.vocab, refs: refsOf(subject) };
  // Periods over by `asOf` (not those still to start): the overlay's card says they are over.
  const ended = allPeriods(subject.records, asOf).filter(
    (p) => !isRunning(p, asOf) && p.until !== null && p.until < asOf,
  );
  return {
    dots: dotCounts(subject, asOf),
    grade: a.graded.grade,
    gradeReason: explain(a.graded.reasons[0]!, locale, vocab),
    warnings: a.facts.warnings.map((w) => explain(w, locale, vocab)),
    flags: subject.flags.filter((f) => f.status !== 'unfounded' && f.date <= asOf).length,
    periods: a.facts.periods.map((p) => explain(p, locale, vocab)),
    ...(ended.length > 0 ? { endedPeriods: ended.map((p) => explainEnded(p, locale, vocab)) } : {}),
  };
}
