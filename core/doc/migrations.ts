import * as Y from 'yjs';
import { messageFor, type Locale } from '../model/messages.ts';
import { decodeEntity, encodeEntity, fieldError, isPlainObject, toPlain, type WriteResult } from './entry.ts';
import { EDITS } from './collection.ts';
import type { DocKind } from './names.ts';

/**
 * Schema versions. Every document records the layout it was written with in `meta.schemaVersion`.
 * Opening a document runs the pending migrations, each one a function over the Y.Doc applied in one
 * transaction, so peers receive a migration as a single update. A document written by a newer
 * program is reported and left alone: this code would not know what it is destroying.
 *
 * Migrations must be safe to run twice (two offline clients may both migrate the same document and
 * merge later): each rewrites only values still in the old shape.
 */

export const SCHEMA_VERSION = 3;
export const META = 'meta';

export interface Migration {
  from: number;
  to: number;
  kinds: readonly DocKind[];
  /** What changed, for the README and for logs. */
  description: string;
  run(doc: Y.Doc): void;
}

export type MigrationOutcome =
  | { status: 'current'; version: number }
  | { status: 'initialised'; version: number }
  | { status: 'migrated'; from: number; to: number }
  | { status: 'newer'; version: number; known: number };

const SLASH_DATE = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/;

/** 2018/6/5 → 2018-06-05; anything else is left for validation to report. */
export function slashDateToIso(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const m = SLASH_DATE.exec(value.trim());
  if (!m) return value;
  return `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
}

const V1_DATE_FIELDS: Record<string, readonly string[]> = {
  records: ['decisionDate', 'effectiveDate', 'rectificationDue', 'rectifiedOn'],
  flags: ['date', 'statusChangedAt'],
  clues: ['received', 'due'],
  cards: ['issuedOn'],
};

/**
 * v1 (the first pilot's layout) kept dates as the city system exported them, 'YYYY/MM/DD', and a
 * record's colour under `dot`. v2 stores ISO dates and `colour`, as the schemas expect.
 */
export const v1ToV2: Migration = {
  from: 1,
  to: 2,
  kinds: ['unit'],
  description: "record colour renamed from `dot` to `colour`; dates from 'YYYY/MM/DD' to ISO 'YYYY-MM-DD'",
  run(doc) {
    for (const [collection, dateFields] of Object.entries(V1_DATE_FIELDS)) {
      const map = doc.getMap<unknown>(collection);
      for (const [id, raw] of [...map.entries()]) {
        const base = decodeEntity(raw);
        if (!isPlainObject(base)) continue;
        const next: Record<string, unknown> = { ...base };
        let changed = false;
        if (collection === 'records' && Object.hasOwn(next, 'dot')) {
          if (!Object.hasOwn(next, 'colour')) next.colour = next.dot;
          delete next.dot;
          changed = true;
        }
        for (const f of dateFields) {
          const iso = slashDateToIso(next[f]);
          if (iso !== next[f]) {
            next[f] = iso;
            changed = true;
          }
        }
        if (changed) map.set(id, encodeEntity(next));
      }
    }
    const edits = doc.getMap<unknown>(EDITS);
    for (const [key, raw] of [...edits.entries()]) {
      const [collection, , field] = splitEditKey(key);
      if (!collection || !field || !V1_DATE_FIELDS[collection]?.includes(field)) continue;
      const e = toPlain(raw);
      if (!isPlainObject(e)) continue;
      const iso = slashDateToIso(e.value);
      if (iso !== e.value) edits.set(key, { ...e, value: iso });
    }
  },
};

function splitEditKey(key: string): [string?, string?, string?] {
  const first = key.indexOf('/');
  const last = key.lastIndexOf('/');
  if (first < 0 || last <= first) return [];
  return [key.slice(0, first), key.slice(first + 1, last), key.slice(last + 1)];
}

/**
 * v3 brought the clue workflow (docs/workflows.md): five more clue stages (assigned, pending,
 * handling, recommendation, rectified) and the `clueSteps` and `cardEvents` collections. The first
 * five stages keep their ids and meaning, so most clues need nothing; but v2's import read 暂存待查
 * as closed, for want of a stage, and a clue closed that way (its outcome says so) is in fact kept
 * pending for later verification. The version itself is the main change: v2 code would read the
 * new stages as invalid, so it must treat a v3 document as read-only rather than write to it.
 */
export const v2ToV3: Migration = {
  from: 2,
  to: 3,
  kinds: ['unit'],
  description:
    'clue stages assigned, pending, handling, recommendation, rectified; a clue closed as 暂存待查 becomes pending',
  run(doc) {
    const clues = doc.getMap<unknown>('clues');
    const edits = doc.getMap<unknown>(EDITS);
    // The clue as readers see it: a correction of stage or outcome wins over the base.
    const corrected = (id: string, field: string) => {
      const e = toPlain(edits.get(`clues/${id}/${field}`));
      return isPlainObject(e) && Object.hasOwn(e, 'value') ? { edit: e } : undefined;
    };
    for (const [id, raw] of [...clues.entries()]) {
      const base = decodeEntity(raw);
      if (!isPlainObject(base)) continue;
      const stageEdit = corrected(id, 'stage');
      const outcomeEdit = corrected(id, 'outcome');
      const stage = stageEdit ? stageEdit.edit.value : base.stage;
      const outcome = outcomeEdit ? outcomeEdit.edit.value : base.outcome;
      if (stage !== 'closed' || typeof outcome !== 'string' || outcome.trim() !== '暂存待查') continue;
      if (stageEdit) edits.set(`clues/${id}/stage`, { ...stageEdit.edit, value: 'pending' });
      else clues.set(id, encodeEntity({ ...base, stage: 'pending' }));
    }
  },
};

export const MIGRATIONS: readonly Migration[] = [v1ToV2, v2ToV3];

export function schemaVersionOf(doc: Y.Doc): number | undefined {
  const v = doc.getMap<unknown>(META).get('schemaVersion');
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 ? v : undefined;
}

export function hasContent(doc: Y.Doc): boolean {
  for (const [name, type] of doc.share) {
    if (name === META) continue;
    if (type._map.size > 0 || type._length > 0) return true;
  }
  return false;
}

/**
 * Brings a document to `target`. Call it once the document holds what is known locally and from the
 * server (after persistence load and first sync): stamping an empty document that the server has
 * not delivered yet would claim a version for content this client has never seen.
 */
export function migrate(
  doc: Y.Doc,
  kind: DocKind,
  opts: { registry?: readonly Migration[]; target?: number } = {},
): MigrationOutcome {
  const registry = opts.registry ?? MIGRATIONS;
  const target = opts.target ?? SCHEMA_VERSION;
  const meta = doc.getMap<unknown>(META);
  const stored = schemaVersionOf(doc);
  if (stored !== undefined && stored > target) return { status: 'newer', version: stored, known: target };
  if (stored === target) return { status: 'current', version: stored };
  if (stored === undefined && !hasContent(doc)) {
    doc.transact(() => meta.set('schemaVersion', target));
    return { status: 'initialised', version: target };
  }
  // Content without a version predates versioning: that is v1.
  const from = stored ?? 1;
  doc.transact(() => {
    let at = from;
    while (at < target) {
      const step = registry.find((m) => m.from === at);
      if (!step) throw new Error(`no migration from schema version ${at}`);
      if (step.kinds.includes(kind)) step.run(doc);
      at = step.to;
    }
    meta.set('schemaVersion', target);
  }, 'migration');
  return { status: 'migrated', from, to: target };
}

/**
 * Stamps the current version on a document's first write, so documents this code creates never need
 * a migration. A document with content but no version is v1 awaiting `migrate`, and is left alone.
 */
export function stampIfNew(doc: Y.Doc): void {
  const meta = doc.getMap<unknown>(META);
  if (meta.has('schemaVersion') || hasContent(doc)) return;
  meta.set('schemaVersion', SCHEMA_VERSION);
}

/** The write guard the accessors use: a newer document is read-only here. */
export function writeGuard(doc: Y.Doc, locale: Locale): () => Extract<WriteResult, { ok: false }> | undefined {
  return () => {
    const version = schemaVersionOf(doc);
    if (version === undefined || version <= SCHEMA_VERSION) return undefined;
    return {
      ok: false,
      errors: [fieldError('schemaVersion', 'doc.newerSchema', messageFor('doc.newerSchema', locale))],
    };
  };
}
