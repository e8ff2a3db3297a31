import type { IsoDate } from '../dates.ts';
import type { Unit } from '../model/schemas.ts';
import type { ReviewPurpose, Reason, SubjectData } from './reasons.ts';
import { openClues, opinionOf, opinionRank, type Opinion } from './review.ts';
import { assessCadre, assessUnit, type RulesConfig } from './summarise.ts';

/**
 * Integrity review of units (the seed: 239 units reviewed in 2019, 15 with a differing opinion),
 * e.g. before a unit is commended as a 先进集体. No national rule sets periods for units, so the
 * opinion follows the unit's grade (core/README.md "Grades"): lowest → objection, attention → a
 * note; an open clue against the unit at 初核/立案 → postpone, as for people. Units are named by
 * code, name or alias; a name that fits several units is reported, never guessed.
 */

export interface UnitReviewRequest {
  purpose: ReviewPurpose;
  year?: number;
  asOf: IsoDate;
  units: readonly string[];
}

export interface UnitDossier {
  /** The unit's own dossier (its dots, clues); `unit` must be set. */
  subject: SubjectData & { unit: Unit };
  /** The dossiers of the cadres it manages. */
  cadres: readonly SubjectData[];
}

/** How a unit's grade level weighs: lowest objects, attention is noted. */
const GRADE_OPINION: Record<0 | 1 | 2 | 3, Opinion> = {
  0: 'no-objection',
  1: 'no-objection',
  2: 'note',
  3: 'objection',
};

export interface UnitOpinion {
  opinion: Opinion;
  reasons: Reason[];
}

export function reviewUnit(dossier: UnitDossier, request: UnitReviewRequest, config: RulesConfig): UnitOpinion {
  const outcomes = dossier.cadres.map((c) => assessCadre(c, request.asOf, config));
  const a = assessUnit(dossier.subject, outcomes, request.asOf, config);
  const gradeOpinion = GRADE_OPINION[a.level];
  const weighed: { r: Reason; o: Opinion }[] = [
    // A grade lowered by warnings is explained by the warnings themselves, listed below in full.
    ...(gradeOpinion === 'no-objection'
      ? []
      : a.graded.reasons.filter((r) => r.basis !== 'warning').map((r) => ({ r, o: gradeOpinion }))),
    ...openClues(dossier.subject, request.asOf).map((r) => ({ r, o: opinionOf(r) })),
    // Open-clue warnings are already the clue reasons above; the others are notes.
    ...a.facts.warnings.filter((w) => w.trigger !== 'open-clue').map((r) => ({ r, o: opinionOf(r) })),
  ];
  const sorted = weighed.map((x, i) => ({ ...x, i })).sort((x, y) => opinionRank(y.o) - opinionRank(x.o) || x.i - y.i);
  const opinion = sorted[0]?.o ?? 'no-objection';
  const reasons = sorted.map((x) => x.r);
  if (opinion === 'no-objection') {
    reasons.push({
      code: 'clear',
      purpose: request.purpose,
      ...(request.year !== undefined ? { year: request.year } : {}),
      source: 'integrity-review',
    });
  }
  return { opinion, reasons };
}

export interface UnitRef {
  code: string;
  name: string;
}

export type ReviewedUnit =
  | ({ query: string; match: 'found' } & UnitRef & UnitOpinion)
  | { query: string; match: 'ambiguous'; candidates: UnitRef[] }
  | { query: string; match: 'not-found' };

export function reviewUnitBatch(
  request: UnitReviewRequest,
  dossiers: readonly UnitDossier[],
  config: RulesConfig,
): { request: UnitReviewRequest; units: ReviewedUnit[] } {
  const byCode = new Map(dossiers.map((d) => [d.subject.unit.code, d]));
  const byName = new Map<string, UnitDossier[]>();
  for (const d of dossiers) {
    for (const n of new Set([d.subject.unit.name, ...(d.subject.unit.aliases ?? [])]))
      byName.set(n, [...(byName.get(n) ?? []), d]);
  }
  const ref = (d: UnitDossier): UnitRef => ({ code: d.subject.unit.code, name: d.subject.unit.name });
  const units = request.units.map((raw): ReviewedUnit => {
    const query = raw.trim();
    const exact = byCode.get(query);
    const matches = exact ? [exact] : (byName.get(query) ?? []);
    if (matches.length === 0) return { query: raw, match: 'not-found' };
    if (matches.length > 1)
      return {
        query: raw,
        match: 'ambiguous',
        candidates: matches.map(ref).sort((a, b) => (a.code < b.code ? -1 : 1)),
      };
    return { query: raw, match: 'found', ...ref(matches[0]!), ...reviewUnit(matches[0]!, request, config) };
  });
  return { request, units };
}
