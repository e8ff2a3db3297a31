import * as v from 'valibot';
import { yearOf, type IsoDate } from '../dates.ts';
import type { WorkspaceConfig } from '../model/config.ts';
import { dateSchema } from '../model/schemas.ts';
import type { ClueStage } from '../model/vocabulary.ts';
import { appraisalEffects, type InvestigationReason } from './appraisal.ts';
import { factsOf, type Facts } from './grade.ts';
import { measureFor, type Block } from './measures.ts';
import { countingRecords } from './periods.ts';
import type { Reason, ReviewPurpose, SubjectData } from './reasons.ts';
import { windowStart } from './warnings.ts';

/**
 * Integrity review (廉政审查 / 党风廉政意见回复): for a batch of people and a purpose, one opinion
 * each — no objection, note, postpone or objection — with every reason that led to it. What each
 * purpose looks at is the PURPOSES table; how each reason weighs is opinionOf. A name that fits
 * several cadres, or none, is reported as such and never guessed.
 */

export const OPINIONS = ['no-objection', 'note', 'postpone', 'objection'] as const;
export type Opinion = (typeof OPINIONS)[number];

export type ReviewRequest =
  | { purpose: 'annual-appraisal'; year: number; asOf: IsoDate; people: readonly string[] }
  | { purpose: 'commendation'; year?: number; asOf: IsoDate; people: readonly string[] }
  | { purpose: 'promotion' | 'reserve-cadre'; asOf: IsoDate; people: readonly string[] };

const peopleSchema = v.pipe(
  v.array(v.pipe(v.string('type.string'), v.trim(), v.minLength(1, 'required')), 'required'),
  v.minLength(1, 'required'),
);
const yearSchema = v.pipe(v.number('review.year'), v.integer('review.year'), v.minValue(1949, 'review.year'));
const requestVariants = v.variant(
  'purpose',
  [
    v.object({ purpose: v.literal('annual-appraisal'), year: yearSchema, asOf: dateSchema, people: peopleSchema }),
    v.object({
      purpose: v.literal('commendation'),
      year: v.optional(yearSchema),
      asOf: dateSchema,
      people: peopleSchema,
    }),
    v.object({ purpose: v.picklist(['promotion', 'reserve-cadre']), asOf: dateSchema, people: peopleSchema }),
  ],
  'review.purpose',
);

/** The year asked about cannot lie after the as-of date's year; reported on the year field. */
const yearNotAfterAsOf = v.rawCheck<v.InferOutput<typeof requestVariants>>(({ dataset, addIssue }) => {
  if (!dataset.typed) return;
  const r = dataset.value;
  if (!('year' in r) || r.year === undefined || r.year <= yearOf(r.asOf)) return;
  addIssue({
    message: 'review.year',
    path: [{ type: 'object', origin: 'value', input: r, key: 'year', value: r.year }],
  });
});

/**
 * A review request as it arrives from a form or the CLI; messages are keys that describeIssues
 * turns into sentences naming the field, in both locales.
 */
export const reviewRequestSchema = v.pipe(requestVariants, yearNotAfterAsOf);

interface PurposeRule {
  /** A running period that blocks one of these is an objection. */
  blocks: readonly Block[];
  /** Appraisal effects on this year are objections (undefined: appraisal not in question). */
  appraisalYear: (request: ReviewRequest) => number | undefined;
}

const yearAsked = (r: ReviewRequest) => ('year' in r && r.year !== undefined ? r.year : yearOf(r.asOf));

export const PURPOSES: Record<ReviewPurpose, PurposeRule> = {
  // 考核规定 arts. 28–29: the measures' effects on the year under appraisal.
  'annual-appraisal': { blocks: [], appraisalYear: yearAsked },
  // 选拔任用条例 art. 24: no candidacy while any sanction or organisational period runs.
  promotion: { blocks: ['promotion'], appraisalYear: () => undefined },
  // Reserve cadres are future promotion candidates: the same periods rule them out.
  'reserve-cadre': { blocks: ['promotion'], appraisalYear: () => undefined },
  // 评先评优: not while a period blocks it, nor for a year whose appraisal cannot be 优秀 (the seed).
  commendation: { blocks: ['commendation'], appraisalYear: yearAsked },
};

/** Open clues at these stages mean the facts are not yet known: postpone. Earlier stages: a note. */
export const POSTPONE_STAGES: readonly ClueStage[] = ['preliminary', 'case'];

/** How much a reason weighs in an opinion. */
export function opinionOf(reason: Reason): Opinion {
  switch (reason.code) {
    case 'period':
      return reason.applies ? 'objection' : 'note';
    case 'appraisal':
      return 'objection';
    case 'investigation':
      return POSTPONE_STAGES.includes(reason.stage) ? 'postpone' : 'note';
    default:
      return 'note';
  }
}

export const opinionRank = (o: Opinion) => OPINIONS.indexOf(o);
const rank = opinionRank;

/** Open clues (not closed) known on `asOf`, as reasons: postpone at 初核/立案, a note before. */
export function openClues(subject: SubjectData, asOf: IsoDate): InvestigationReason[] {
  return subject.clues
    .filter((c) => c.stage !== 'closed' && c.received <= asOf)
    .map((c): InvestigationReason => ({
      code: 'investigation',
      clue: c.id,
      stage: c.stage,
      since: c.received,
      source:
        c.stage === 'case'
          ? 'appraisal-28-investigation'
          : POSTPONE_STAGES.includes(c.stage)
            ? 'review-postpone'
            : 'integrity-review',
    }))
    .sort((a, b) => (a.clue < b.clue ? -1 : 1));
}

/**
 * Yellow dots without an influence period (talks and the like) and kinds the rule tables do not
 * know: notes, so the reader sees them. Window: the appraised year, else the grade scheme's
 * yellow window before the as-of date.
 */
type RecordNote = Extract<Reason, { code: 'note-measure' | 'unknown-kind' }>;

function notes(facts: Facts, year: number | undefined, windowMonths: number): RecordNote[] {
  const start = windowStart(facts.asOf, windowMonths);
  const inWindow = (d: IsoDate) => (year !== undefined ? d.startsWith(`${year}-`) : d >= start);
  return countingRecords(facts.subject.records, facts.asOf)
    .filter((r) => (r.colour === 'yellow' || r.colour === 'black') && inWindow(r.decisionDate))
    .flatMap((r): RecordNote[] => {
      const m = measureFor(r.kind);
      if (!m)
        return [
          { code: 'unknown-kind', kind: r.kind, records: [r.id], date: r.decisionDate, source: 'workspace-vocabulary' },
        ];
      return m.term.type === 'none'
        ? [{ code: 'note-measure', kind: r.kind, records: [r.id], date: r.decisionDate, source: m.source }]
        : [];
    })
    .sort((a, b) => (a.date !== b.date ? (a.date < b.date ? 1 : -1) : a.records[0]! < b.records[0]! ? -1 : 1));
}

export interface PersonOpinion {
  opinion: Opinion;
  /** Heaviest first: the first reason is why the opinion is what it is. */
  reasons: Reason[];
}

/** One person's opinion for a purpose. */
export function reviewSubject(
  subject: SubjectData,
  request: ReviewRequest,
  config: Pick<WorkspaceConfig, 'warningRules' | 'gradeScheme'>,
  facts: Facts = factsOf(subject, request.asOf, config),
): PersonOpinion {
  const rule = PURPOSES[request.purpose];
  const year = rule.appraisalYear(request);
  const periods: Reason[] = rule.blocks.length
    ? facts.periods.map((p) => {
        const applies = rule.blocks.find((b) => p.blocks.includes(b));
        return applies ? { ...p, applies } : p;
      })
    : [];
  const appraisal = year === undefined ? [] : appraisalEffects(subject.records, year, { asOf: request.asOf });
  const clues = openClues(subject, request.asOf);
  const clueIds = new Set(clues.map((c) => c.clue));
  const warnings = facts.warnings.filter((w) => !(w.trigger === 'open-clue' && w.refs.some((id) => clueIds.has(id))));
  const all = [
    ...periods,
    ...appraisal,
    ...clues,
    ...warnings,
    ...notes(facts, year, config.gradeScheme.yellowWindowMonths),
  ];
  // Stable sort: within an opinion level the sub-lists keep their own deterministic order.
  const reasons = all
    .map((r, i) => ({ r, i, o: rank(opinionOf(r)) }))
    .sort((a, b) => b.o - a.o || a.i - b.i)
    .map((x) => x.r);
  const opinion = reasons.length ? opinionOf(reasons[0]!) : 'no-objection';
  if (opinion === 'no-objection') {
    reasons.push({
      code: 'clear',
      purpose: request.purpose,
      ...(year !== undefined ? { year } : {}),
      source: 'integrity-review',
    });
  }
  return { opinion, reasons };
}

export interface CadreRef {
  cadreId: string;
  name: string;
  unitCode: string;
  post: string;
}

export type ReviewedPerson =
  | ({ query: string; match: 'found' } & CadreRef & PersonOpinion)
  | { query: string; match: 'ambiguous'; candidates: CadreRef[] }
  | { query: string; match: 'not-found' };

export interface ReviewResult {
  request: ReviewRequest;
  people: ReviewedPerson[];
  counts: Record<Opinion | 'ambiguous' | 'not-found', number>;
}

export interface ReviewData {
  /** Cadre dossiers; subjects without a cadre are ignored. */
  subjects: readonly SubjectData[];
}

/** Index by id, name and alias, so a batch of 10,000 resolves in one pass. */
function directory(subjects: readonly SubjectData[]) {
  const byId = new Map<string, SubjectData>();
  const byName = new Map<string, SubjectData[]>();
  for (const s of subjects) {
    if (!s.cadre) continue;
    byId.set(s.cadre.id, s);
    for (const n of new Set([s.cadre.name, ...(s.cadre.aliases ?? [])])) {
      const list = byName.get(n.trim());
      if (list) list.push(s);
      else byName.set(n.trim(), [s]);
    }
  }
  return { byId, byName };
}

const refOf = (s: SubjectData): CadreRef => ({
  cadreId: s.cadre!.id,
  name: s.cadre!.name,
  unitCode: s.cadre!.unitCode,
  post: s.cadre!.post,
});

export function reviewBatch(
  request: ReviewRequest,
  data: ReviewData,
  config: Pick<WorkspaceConfig, 'warningRules' | 'gradeScheme'>,
): ReviewResult {
  const { byId, byName } = directory(data.subjects);
  const counts: ReviewResult['counts'] = {
    'no-objection': 0,
    note: 0,
    postpone: 0,
    objection: 0,
    ambiguous: 0,
    'not-found': 0,
  };
  const people = request.people.map((raw): ReviewedPerson => {
    const query = raw.trim();
    const exact = byId.get(query);
    const matches = exact ? [exact] : (byName.get(query) ?? []);
    if (matches.length === 0) {
      counts['not-found']++;
      return { query: raw, match: 'not-found' };
    }
    if (matches.length > 1) {
      counts.ambiguous++;
      return {
        query: raw,
        match: 'ambiguous',
        candidates: matches.map(refOf).sort((a, b) => (a.cadreId < b.cadreId ? -1 : 1)),
      };
    }
    const subject = matches[0]!;
    const result = reviewSubject(subject, request, config);
    counts[result.opinion]++;
    return { query: raw, match: 'found', ...refOf(subject), ...result };
  });
  return { request, people, counts };
}
