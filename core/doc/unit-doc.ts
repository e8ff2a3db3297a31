import * as Y from 'yjs';
import * as v from 'valibot';
import {
  revocationSchema,
  type Cadre,
  type Clue,
  type DotRecord,
  type Flag,
  type ReminderCard,
  type Subject,
  type Unit,
} from '../model/schemas.ts';
import { describeIssues } from '../model/messages.ts';
import type { FlagStatus } from '../model/vocabulary.ts';
import { collection, type Collection } from './collection.ts';
import { UNIT_COLLECTIONS, type UnitCollectionName } from './unit-collections.ts';
import { docContext, type AccessorOptions } from './context.ts';
import { refusal, type Entry, type WriteResult } from './entry.ts';
import { importLog, type ImportLog } from './imports.ts';
import { META } from './migrations.ts';
import type { CardEvent, ClueStep } from '../model/workflow-schemas.ts';
import { currentClueEntries, UNIT_WORK_COLLECTIONS } from './unit-work.ts';

/**
 * The official dossiers of one unit: the `unit:<code>` document. Editors and admins write it; the
 * server refuses everyone else, so nothing here checks roles.
 */

/**
 * Which way a negative-list flag may move: reported → verifying → substantiated | unfounded, plus
 * dismissing a report outright and reopening a closed one when new evidence arrives.
 */
export const FLAG_TRANSITIONS: Record<FlagStatus, readonly FlagStatus[]> = {
  reported: ['verifying', 'unfounded'],
  verifying: ['substantiated', 'unfounded'],
  substantiated: ['verifying'],
  unfounded: ['verifying'],
};

export interface Revocation {
  by: string;
  at: string;
  reason: string;
}

export interface UnitDossiers {
  readonly doc: Y.Doc;
  unitCode(): string | undefined;
  cadres: Collection<Cadre>;
  records: Collection<DotRecord> & {
    /** Never deletes: the record stays, marked revoked with who, when and why. */
    revoke(id: string, revocation: Revocation): WriteResult;
  };
  flags: Collection<Flag> & {
    /** Moves a flag along FLAG_TRANSITIONS, stamping the date of the change. */
    moveStatus(id: string, status: FlagStatus, change: { by: string; on: string; at?: string }): WriteResult;
  };
  /** The clues as stored; `currentClues()` is what they say after their steps. */
  clues: Collection<Clue>;
  cards: Collection<ReminderCard>;
  /** Workflow steps (core/doc/unit-work.ts): write them through core/doc/clue-work.ts and card-work.ts. */
  clueSteps: Collection<ClueStep>;
  cardEvents: Collection<CardEvent>;
  /** Each clue where its steps left it (stage, assignee, deadline): what dossiers and rules read. */
  currentClues(): Entry<Clue>[];
  imports: ImportLog;
}

export function unitDossiers(doc: Y.Doc, opts: AccessorOptions = {}): UnitDossiers {
  const ctx = docContext(doc, opts);
  const records = collection<DotRecord>(doc, UNIT_COLLECTIONS.records, ctx);
  const flags = collection<Flag>(doc, UNIT_COLLECTIONS.flags, ctx);
  const dossiers: UnitDossiers = {
    doc,
    unitCode() {
      const c = doc.getMap<unknown>(META).get('unitCode');
      return typeof c === 'string' ? c : undefined;
    },
    cadres: collection<Cadre>(doc, UNIT_COLLECTIONS.cadres, ctx),
    records: {
      ...records,
      revoke(id, revocation) {
        const parsed = v.safeParse(revocationSchema, revocation);
        if (!parsed.success) return { ok: false, errors: describeIssues(parsed.issues, ctx.locale) };
        const current = records.get(id);
        if (current?.ok && current.value.status === 'revoked') return { ok: true, changed: false };
        return records.editFields(
          id,
          { status: 'revoked', revoked: parsed.output },
          parsed.output.by,
          parsed.output.at,
        );
      },
    },
    flags: {
      ...flags,
      moveStatus(id, status, change) {
        const current = flags.get(id);
        if (current?.ok) {
          const from = current.value.status;
          if (from === status) return { ok: true, changed: false };
          if (!FLAG_TRANSITIONS[from].includes(status)) {
            return refusal('status', 'flag.transition', ctx.locale);
          }
        }
        // An invalid or missing flag falls through to editFields, which reports why.
        return flags.editFields(id, { status, statusChangedAt: change.on }, change.by, change.at);
      },
    },
    clues: collection<Clue>(doc, UNIT_COLLECTIONS.clues, ctx),
    cards: collection<ReminderCard>(doc, UNIT_COLLECTIONS.cards, ctx),
    clueSteps: collection<ClueStep>(doc, UNIT_WORK_COLLECTIONS.clueSteps, ctx),
    cardEvents: collection<CardEvent>(doc, UNIT_WORK_COLLECTIONS.cardEvents, ctx),
    currentClues: () => currentClueEntries(dossiers.clues, dossiers.clueSteps),
    imports: undefined as unknown as ImportLog,
  };
  dossiers.imports = importLog(doc, dossiers, ctx);
  return dossiers;
}

/** Records the unit a fresh document belongs to (idempotent). */
export function initUnitDoc(doc: Y.Doc, unitCode: string): void {
  const meta = doc.getMap<unknown>(META);
  if (meta.get('unitCode') !== unitCode) meta.set('unitCode', unitCode);
}

/**
 * Everything about one subject, shaped for the rules engine: valid entries as plain values, and the
 * invalid ones alongside so a view can show them (and the summary can count them) without the rules
 * ever seeing malformed data.
 */
export interface Dossier {
  subject: Subject;
  cadre?: Cadre;
  unit?: Unit;
  records: DotRecord[];
  flags: Flag[];
  clues: Clue[];
  cards: ReminderCard[];
  invalid: { collection: UnitCollectionName; entry: Extract<Entry<unknown>, { ok: false }> }[];
}

function isAbout(subject: Subject, s: unknown): boolean {
  return (
    typeof s === 'object' && s !== null && (s as Subject).type === subject.type && (s as Subject).id === subject.id
  );
}

/**
 * Whether an entry's raw content names this subject (an invalid one is shown in the right dossier;
 * the history reads past values).
 */
export function rawConcerns(subject: Subject, collectionName: UnitCollectionName, id: string, raw: unknown): boolean {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  switch (collectionName) {
    case 'cadres':
      return subject.type === 'cadre' && id === subject.id;
    case 'flags':
      return subject.type === 'cadre' && r.cadreId === subject.id;
    case 'cards':
      return subject.type === 'cadre' ? r.holderId === subject.id : r.unitCode === subject.id;
    default:
      return isAbout(subject, r.subject);
  }
}

export function dossierOf(dossiers: UnitDossiers, subject: Subject, lookup: { unit?: Unit } = {}): Dossier {
  const out: Dossier = { subject, records: [], flags: [], clues: [], cards: [], invalid: [] };
  if (subject.type === 'unit' && lookup.unit) out.unit = lookup.unit;
  const take = <T>(
    name: UnitCollectionName,
    entries: Entry<T>[],
    concerns: (t: T) => boolean,
    push: (t: T) => void,
  ) => {
    for (const e of entries) {
      if (e.ok) {
        if (concerns(e.value)) push(e.value);
      } else if (rawConcerns(subject, name, e.id, e.raw)) out.invalid.push({ collection: name, entry: e });
    }
  };
  if (subject.type === 'cadre') {
    const c = dossiers.cadres.get(subject.id);
    if (c?.ok) out.cadre = c.value;
    else if (c) out.invalid.push({ collection: 'cadres', entry: c });
  }
  take(
    'records',
    dossiers.records.list(),
    (r) => isAbout(subject, r.subject),
    (r) => out.records.push(r),
  );
  take(
    'flags',
    dossiers.flags.list(),
    (f) => subject.type === 'cadre' && f.cadreId === subject.id,
    (f) => out.flags.push(f),
  );
  take(
    'clues',
    dossiers.currentClues(),
    (c) => isAbout(subject, c.subject),
    (c) => out.clues.push(c),
  );
  take(
    'cards',
    dossiers.cards.list(),
    (c) => (subject.type === 'cadre' ? c.holderId === subject.id : c.unitCode === subject.id),
    (c) => out.cards.push(c),
  );
  return out;
}

export const subjectKey = (s: Subject): string => `${s.type}:${s.id}`;

/**
 * Every dossier in a unit document in one pass over its collections: each cadre, the unit itself,
 * and any subject an entry names without a cadre entry (shown, so an orphaned record is not lost).
 * This is what the local index uses; `dossierOf` is the single-subject view.
 */
export function allDossiers(
  dossiers: UnitDossiers,
  lookup: {
    unit?: (code: string) => Unit | undefined;
    /** The unit this document belongs to, when known from its name. */ unitCode?: string;
  } = {},
): Map<string, Dossier> {
  const out = new Map<string, Dossier>();
  // Found by type, then id: building a `cadre:<id>` key for every entry read cost ~5 % of reading a
  // 10,000-cadre workspace. `out` is keyed as before, in first-seen order.
  const byType = { cadre: new Map<string, Dossier>(), unit: new Map<string, Dossier>() };
  const dossierFor = (subject: Subject): Dossier => {
    let d = byType[subject.type].get(subject.id);
    if (!d) {
      d = {
        subject: { type: subject.type, id: subject.id },
        records: [],
        flags: [],
        clues: [],
        cards: [],
        invalid: [],
      };
      if (subject.type === 'unit') {
        const unit = lookup.unit?.(subject.id);
        if (unit) d.unit = unit;
      }
      byType[subject.type].set(subject.id, d);
      out.set(subjectKey(subject), d);
    }
    return d;
  };
  const own = lookup.unitCode ?? dossiers.unitCode();
  if (own) dossierFor({ type: 'unit', id: own });
  for (const e of dossiers.cadres.list()) {
    const d = dossierFor({ type: 'cadre', id: e.id });
    if (e.ok) d.cadre = e.value;
    else d.invalid.push({ collection: 'cadres', entry: e });
  }
  const subjectOfRaw = (name: UnitCollectionName, raw: unknown): Subject | undefined => {
    const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    if (name === 'flags') return typeof r.cadreId === 'string' ? { type: 'cadre', id: r.cadreId } : undefined;
    if (name === 'cards') return typeof r.holderId === 'string' ? { type: 'cadre', id: r.holderId } : undefined;
    const s = r.subject as Subject | undefined;
    return s && (s.type === 'cadre' || s.type === 'unit') && typeof s.id === 'string'
      ? { type: s.type, id: s.id }
      : undefined;
  };
  const spread = <T>(
    name: UnitCollectionName,
    entries: Entry<T>[],
    subjectsOf: (t: T) => Subject[],
    push: (d: Dossier, t: T) => void,
  ) => {
    for (const e of entries) {
      if (e.ok) for (const s of subjectsOf(e.value)) push(dossierFor(s), e.value);
      else {
        // An invalid entry goes to the dossier it names, or to the unit's when it names none.
        const s = subjectOfRaw(name, e.raw) ?? (own ? { type: 'unit' as const, id: own } : undefined);
        if (s) dossierFor(s).invalid.push({ collection: name, entry: e });
      }
    }
  };
  spread(
    'records',
    dossiers.records.list(),
    (r) => [r.subject],
    (d, r) => d.records.push(r),
  );
  spread(
    'flags',
    dossiers.flags.list(),
    (f) => [{ type: 'cadre', id: f.cadreId }],
    (d, f) => d.flags.push(f),
  );
  spread(
    'clues',
    dossiers.currentClues(),
    (c) => [c.subject],
    (d, c) => d.clues.push(c),
  );
  // A card belongs to its holder's dossier and to its unit's (the unit's duty, the leader's card).
  spread(
    'cards',
    dossiers.cards.list(),
    (c) => [
      { type: 'cadre', id: c.holderId },
      { type: 'unit', id: c.unitCode },
    ],
    (d, c) => d.cards.push(c),
  );
  return out;
}
