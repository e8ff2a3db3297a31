import type { IsoDate } from '../dates.ts';
import { eventsOf, type CardView } from '../doc/card-work.ts';
import { allDossiers, type Dossier, type UnitDossiers } from '../doc/unit-doc.ts';
import { stepsByClue } from '../doc/unit-work.ts';
import type { WorkspaceConfig } from '../model/config.ts';
import type { Cadre, Clue, DotRecord, Flag, Unit } from '../model/schemas.ts';
import type { CardEvent } from '../model/workflow-schemas.ts';
import type { Colour, Rank, UnitKind } from '../model/vocabulary.ts';
import type { GradeReason, Level } from '../rules/grade.ts';
import { countingRecords, type PeriodReason } from '../rules/periods.ts';
import { assessCadre, assessUnit, dotCounts, type Assessment, type RulesConfig } from '../rules/summarise.ts';
import type { WarningReason } from '../rules/warnings.ts';
import { cardProgress } from '../workflow/card-flow.ts';
import { clueProgress, type ClueProgress } from '../workflow/clue-flow.ts';

/**
 * The rows the city-wide views read (干部查询, 分析研判, 预警提醒, the printable dossier): one per
 * cadre and one per unit, with the rules already applied on a date, so that a filter or a chart is
 * a pass over plain data and never runs the rules again. Built per unit document (a unit of the
 * seed city is about eleven cadres), so an edit re-builds one unit's rows only (row-store.ts).
 */

export interface CadreRow {
  id: string;
  name: string;
  aliases: readonly string[];
  gender?: Cadre['gender'];
  birth?: string;
  post: string;
  rank?: Rank;
  unitCode: string;
  unitName: string;
  unitKind: UnitKind;
  /** The unit's region (a county and its townships); '' for city-level bodies. */
  region: string;
  grade: string;
  level: Level;
  reasons: readonly GradeReason[];
  dots: Record<Colour, number>;
  /** Dots that count (not revoked, decided by the as-of date), newest first. */
  records: readonly DotRecord[];
  /** Every record, revoked ones included (the printable dossier lists them struck through). */
  allRecords: readonly DotRecord[];
  warnings: readonly WarningReason[];
  /** Influence periods running on the as-of date, heaviest first. */
  periods: readonly PeriodReason[];
  /** The last day of the latest running period; null when one is permanent; undefined when none runs. */
  periodUntil: IsoDate | null | undefined;
  flags: readonly Flag[];
  /** The clues where their steps left them (stage, assignee, deadline): what the rules read. */
  clues: readonly Clue[];
  /** Each clue's course by clue id (core/workflow/clue-flow.ts): steps, deadline, how it closed. */
  clueProgress: ReadonlyMap<string, ClueProgress>;
  /** The holder's reminder cards with their progress (core/workflow/card-flow.ts). */
  cards: readonly CardView[];
  /** Entries of this dossier that failed validation (shown as such, never hidden). */
  invalid: number;
}

export interface UnitRow {
  code: string;
  name: string;
  aliases: readonly string[];
  kind: UnitKind;
  region: string;
  /** The unit's own dossier: records, clues and cards about the unit itself. */
  records: readonly DotRecord[];
  allRecords: readonly DotRecord[];
  clues: readonly Clue[];
  clueProgress: ReadonlyMap<string, ClueProgress>;
  /** The cards of the unit's holders, each once. */
  cards: readonly CardView[];
  dots: Record<Colour, number>;
  /** The unit's own standing (its own dots and warnings only), then its grade with its cadres'. */
  own: Assessment;
  grade: Assessment;
  cadreIds: readonly string[];
  invalid: number;
}

export interface UnitRows {
  unit: UnitRow;
  cadres: CadreRow[];
}

export interface RowContext {
  asOf: IsoDate;
  /** The rules' sections and the reminder cards' deadlines. */
  config: RulesConfig & Pick<WorkspaceConfig, 'reminderCards'>;
  /** The directory entry of the document's unit (undefined when the directory lacks it). */
  unit: Unit | undefined;
  unitCode: string;
}

const NONE: ReadonlyMap<string, ClueProgress> = new Map();

const byDateDesc = (a: DotRecord, b: DotRecord) =>
  a.decisionDate < b.decisionDate ? 1 : a.decisionDate > b.decisionDate ? -1 : a.id < b.id ? -1 : 1;

function latestUntil(periods: readonly PeriodReason[]): IsoDate | null | undefined {
  let out: IsoDate | undefined;
  for (const p of periods) {
    if (p.until === null) return null;
    if (out === undefined || p.until > out) out = p.until;
  }
  return out;
}

const nameOfInvalid = (d: Dossier): string | undefined => {
  const raw = d.invalid.find((i) => i.collection === 'cadres')?.entry.raw as { name?: unknown } | undefined;
  return typeof raw?.name === 'string' ? raw.name : undefined;
};

/** Every cadre row and the unit row of one unit document, as of `ctx.asOf`. */
export function unitRows(dossiers: UnitDossiers, ctx: RowContext): UnitRows {
  const all = allDossiers(dossiers, {
    unit: (c) => (c === ctx.unitCode ? ctx.unit : undefined),
    unitCode: ctx.unitCode,
  });
  const unit: Unit = ctx.unit ?? { code: ctx.unitCode, name: ctx.unitCode, aliases: [], kind: 'other' };
  const place = { unitCode: unit.code, unitName: unit.name, unitKind: unit.kind, region: unit.region ?? '' };
  // The workflows' own reading of the document: each clue's course (clueSteps) and each card's
  // progress (cardEvents, the workspace's deadlines), by the workflows' functions.
  const steps = stepsByClue(dossiers.clueSteps);
  const events = new Map<string, CardEvent[]>();
  for (const e of eventsOf(dossiers)) {
    const list = events.get(e.cardId);
    if (list) list.push(e);
    else events.set(e.cardId, [e]);
  }
  const progressOf = (clues: readonly Clue[]): ReadonlyMap<string, ClueProgress> => {
    if (clues.length === 0) return NONE;
    return new Map(
      clues.map((c) => {
        const mine = steps.get(c.id);
        // A clue with steps is read from where it was stored; without, it is as stored.
        const stored = mine ? dossiers.clues.get(c.id) : undefined;
        return [c.id, clueProgress(stored?.ok ? stored.value : c, mine ?? [], ctx.asOf)];
      }),
    );
  };
  const cardViews = new Map<string, CardView>();
  const viewsOf = (cards: Dossier['cards']): CardView[] =>
    cards.map((card) => {
      let view = cardViews.get(card.id);
      if (!view)
        cardViews.set(
          card.id,
          (view = {
            card,
            progress: cardProgress(card, events.get(card.id) ?? [], ctx.asOf, ctx.config.reminderCards),
          }),
        );
      return view;
    });
  const cadres: CadreRow[] = [];
  const outcomes: Assessment[] = [];
  let ownDossier: Dossier | undefined;
  for (const d of all.values()) {
    if (d.subject.type === 'unit') {
      if (d.subject.id === unit.code) ownDossier = d;
      continue;
    }
    const data = { ...(d.cadre ? { cadre: d.cadre } : {}), records: d.records, flags: d.flags, clues: d.clues };
    const a = assessCadre(data, ctx.asOf, ctx.config);
    if (d.cadre) outcomes.push(a);
    const c = d.cadre;
    cadres.push({
      id: d.subject.id,
      name: c?.name ?? nameOfInvalid(d) ?? d.subject.id,
      aliases: c?.aliases ?? [],
      ...(c ? { gender: c.gender, birth: c.birth, rank: c.rank } : {}),
      post: c?.post ?? '',
      ...place,
      grade: a.graded.grade,
      level: a.graded.level,
      reasons: a.graded.reasons,
      dots: dotCounts(data, ctx.asOf),
      records: countingRecords(d.records, ctx.asOf).sort(byDateDesc),
      allRecords: [...d.records].sort(byDateDesc),
      warnings: a.facts.warnings,
      periods: a.facts.periods,
      periodUntil: latestUntil(a.facts.periods),
      flags: d.flags,
      clues: d.clues,
      clueProgress: progressOf(d.clues),
      cards: viewsOf(d.cards),
      invalid: d.invalid.length,
    });
  }
  const ownData = { unit, records: ownDossier?.records ?? [], flags: [], clues: ownDossier?.clues ?? [] };
  const own = assessUnit(ownData, [], ctx.asOf, ctx.config);
  const grade = assessUnit(ownData, outcomes, ctx.asOf, ctx.config);
  return {
    unit: {
      code: unit.code,
      name: unit.name,
      aliases: unit.aliases ?? [],
      kind: unit.kind,
      region: unit.region ?? '',
      records: countingRecords(ownData.records, ctx.asOf).sort(byDateDesc),
      allRecords: [...ownData.records].sort(byDateDesc),
      clues: ownData.clues,
      clueProgress: progressOf(ownData.clues),
      cards: viewsOf(ownDossier?.cards ?? []),
      dots: dotCounts(ownData, ctx.asOf),
      own,
      grade,
      cadreIds: cadres.map((c) => c.id),
      invalid: ownDossier?.invalid.length ?? 0,
    },
    cadres,
  };
}
