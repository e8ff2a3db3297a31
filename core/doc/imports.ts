import * as v from 'valibot';
import * as Y from 'yjs';
import { describeIssues, type FieldError } from '../model/messages.ts';
import { idSchema } from '../model/schemas.ts';
import type { DocContext } from './collection.ts';
import {
  decodeEntity,
  encodeEntity,
  keyedError,
  isPlainObject,
  sameJson,
  stripUndefined,
  validate,
  type Entry,
} from './entry.ts';
import { UNIT_COLLECTIONS, UNIT_COLLECTION_NAMES, type UnitCollectionName } from './unit-collections.ts';
import type { UnitDossiers } from './unit-doc.ts';
import { firstWriterOf, writerOf } from './writers.ts';

/**
 * The import log of a unit document (`imports` map: import id → entry). An import is applied in one
 * transaction and all-or-nothing; its entry records who, when, which file, the counts, and for each
 * entity it touched the base value before (null when the import created it), which is what undo needs.
 *
 * Undo withdraws the records an import created by revoking them (a correction, never a deletion), so
 * their bases stay. Re-importing the file would then compare equal bases and change nothing; instead
 * `apply` reinstates a record whose revocation is exactly the one an undo wrote (`undone` of an import
 * that created or reinstated it), and logs that as `reinstated` so undoing the re-import withdraws it
 * again. A record an officer revoked by hand carries their own revocation and stays revoked.
 */

export const IMPORTS = 'imports';

const collectionName = v.picklist(['cadres', 'records', 'flags', 'clues', 'cards']);
const counts = v.object({ created: v.number(), updated: v.number(), unchanged: v.number() });

export const importEntrySchema = v.object({
  id: idSchema,
  by: v.pipe(v.string(), v.minLength(1, 'required')),
  at: v.pipe(v.string(), v.isoTimestamp('date.format')),
  fileName: v.pipe(v.string(), v.minLength(1, 'required')),
  counts: v.record(v.string(), counts),
  changes: v.array(
    v.object({
      collection: collectionName,
      id: v.string(),
      before: v.nullable(v.unknown()),
      /** A record this import brought back from an undone import's withdrawal; undo revokes it again. */
      reinstated: v.optional(v.literal(true)),
    }),
  ),
  undone: v.optional(v.object({ by: v.string(), at: v.string(), reason: v.string() })),
});
export type ImportEntry = v.InferOutput<typeof importEntrySchema>;

export type ImportBatch = Partial<Record<UnitCollectionName, readonly unknown[]>>;

export interface ImportMeta {
  id: string;
  by: string;
  at: string;
  fileName: string;
}

export type ImportResult =
  | { ok: true; entry: ImportEntry }
  | { ok: false; rejected: { collection: UnitCollectionName | 'import'; index: number; errors: FieldError[] }[] };

export interface ImportLog {
  list(): Entry<ImportEntry>[];
  get(id: string): Entry<ImportEntry> | undefined;
  /** Applies a batch; nothing is written unless every row is valid and the import id is new. */
  apply(meta: ImportMeta, batch: ImportBatch): ImportResult;
  /**
   * Undoes an import: updated entities get their previous base back; created and reinstated records
   * are revoked (never deleted, the dossier shows they were withdrawn and why); other created entities
   * are removed. Corrections made since stay in the log. Idempotent.
   */
  undo(id: string, how: { by: string; at: string; reason: string }): ImportResult;
  /** The clientIDs that wrote the entry first (the import) and last (an undo, if any): writers.ts. */
  writers(id: string): { imported?: number; last?: number };
}

const ORDER = UNIT_COLLECTION_NAMES;

/** The revocations import undos wrote, by record id: what tells an undo's withdrawal from an officer's. */
function undoRevocations(entries: Entry<ImportEntry>[]): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  for (const e of entries) {
    if (!e.ok || !e.value.undone) continue;
    for (const c of e.value.changes) {
      if (c.collection !== 'records' || (c.before !== null && !c.reinstated)) continue;
      out.set(c.id, [...(out.get(c.id) ?? []), e.value.undone]);
    }
  }
  return out;
}

function sameAsStored(name: UnitCollectionName, row: unknown, stored: unknown): boolean {
  const r = v.safeParse(UNIT_COLLECTIONS[name].schema, row);
  return r.success && sameJson(stripUndefined(r.output), stored);
}

export function importLog(doc: Y.Doc, dossiers: UnitDossiers, ctx: DocContext): ImportLog {
  const map = doc.getMap<unknown>(IMPORTS);
  const importError = (key: string): ImportResult => ({
    ok: false,
    rejected: [
      {
        collection: 'import',
        index: -1,
        errors: [keyedError('id', key, ctx.locale)],
      },
    ],
  });

  const get = (id: string): Entry<ImportEntry> | undefined =>
    map.has(id) ? validate(importEntrySchema, id, decodeEntity(map.get(id)), ctx.locale) : undefined;

  return {
    writers: (id) => {
      const imported = firstWriterOf(doc, IMPORTS, id);
      const last = writerOf(doc, IMPORTS, id);
      return { ...(imported !== undefined ? { imported } : {}), ...(last !== undefined ? { last } : {}) };
    },
    list: () =>
      [...map.keys()].map((id) => get(id)!).sort((a, b) => (a.ok && b.ok ? a.value.at.localeCompare(b.value.at) : 0)),
    get,
    apply(meta, batch) {
      const refused = ctx.writable();
      if (refused) return { ok: false, rejected: [{ collection: 'import', index: -1, errors: refused.errors }] };
      const metaCheck = v.safeParse(v.pick(importEntrySchema, ['id', 'by', 'at', 'fileName']), meta);
      if (!metaCheck.success)
        return {
          ok: false,
          rejected: [{ collection: 'import', index: -1, errors: describeIssues(metaCheck.issues, ctx.locale) }],
        };
      if (map.has(meta.id)) return importError('id.duplicate');

      const rejected: Extract<ImportResult, { ok: false }>['rejected'] = [];
      for (const name of ORDER) {
        const schema = UNIT_COLLECTIONS[name].schema;
        (batch[name] ?? []).forEach((row, index) => {
          const r = v.safeParse(schema, row);
          if (!r.success) rejected.push({ collection: name, index, errors: describeIssues(r.issues, ctx.locale) });
        });
      }
      if (rejected.length > 0) return { ok: false, rejected };

      const entry: ImportEntry = { ...metaCheck.output, counts: {}, changes: [] };
      const withdrawnByUndo = undoRevocations([...map.keys()].map((id) => get(id)!));
      /** Lifts an undo's revocation of a record this file still reports, back to the status of its base. */
      const reinstate = (id: string): boolean => {
        const current = dossiers.records.get(id);
        if (!current?.ok || current.value.status !== 'revoked') return false;
        if (!withdrawnByUndo.get(id)?.some((how) => sameJson(how, current.value.revoked))) return false;
        const base = dossiers.records.base(id) as { status?: unknown };
        // `revoked: undefined` is itself a correction (logged), so the history shows who brought it back.
        return dossiers.records.editFields(id, { status: base.status, revoked: undefined }, meta.by, meta.at).ok;
      };
      doc.transact(() => {
        for (const name of ORDER) {
          const rows = batch[name] ?? [];
          if (rows.length === 0) continue;
          const c = { created: 0, updated: 0, unchanged: 0 };
          for (const row of rows) {
            const id = (row as Record<string, unknown>)[UNIT_COLLECTIONS[name].idField] as string;
            const before = dossiers[name].base(id);
            // Cadres have no importId: a cadre is the subject, not an item a department reported.
            // An item the file repeats unchanged keeps the import that first brought it, so
            // re-importing the same spreadsheet is a no-op and undo keeps meaning "that file".
            const earlier = isPlainObject(before) && typeof before.importId === 'string' ? before.importId : undefined;
            const importId =
              earlier && sameAsStored(name, { ...(row as object), importId: earlier }, before) ? earlier : meta.id;
            const put = dossiers[name].put(name === 'cadres' ? row : { ...(row as object), importId });
            if (!put.ok) continue; // validated above; unreachable unless rows repeat an id with different shapes
            const reinstated = name === 'records' && reinstate(put.id);
            c[reinstated && put.outcome === 'unchanged' ? 'updated' : put.outcome] += 1;
            if (put.outcome !== 'unchanged' || reinstated) {
              entry.changes.push({
                collection: name,
                id: put.id,
                before: before ?? null,
                ...(reinstated ? { reinstated: true as const } : {}),
              });
            }
          }
          entry.counts[name] = c;
        }
        map.set(meta.id, encodeEntity(entry));
      }, 'import');
      return { ok: true, entry };
    },
    undo(id, how) {
      const refused = ctx.writable();
      if (refused) return { ok: false, rejected: [{ collection: 'import', index: -1, errors: refused.errors }] };
      const current = get(id);
      if (!current) return importError('entity.notFound');
      if (!current.ok) return { ok: false, rejected: [{ collection: 'import', index: -1, errors: current.errors }] };
      if (current.value.undone) return { ok: true, entry: current.value };
      const entry: ImportEntry = { ...current.value, undone: how };
      doc.transact(() => {
        for (const change of [...current.value.changes].reverse()) {
          const target = dossiers[change.collection];
          if (change.before !== null) target.put(change.before);
          if (change.collection === 'records' && (change.before === null || change.reinstated))
            dossiers.records.revoke(change.id, how);
          else if (change.before === null) target.remove(change.id);
        }
        map.set(id, encodeEntity(entry));
      }, 'import-undo');
      return { ok: true, entry };
    },
  };
}
