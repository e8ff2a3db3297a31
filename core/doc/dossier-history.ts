import type { Subject } from '../model/schemas.ts';
import { LOG } from './collection.ts';
import { isPlainObject, sameJson, toPlain } from './entry.ts';
import { IMPORTS } from './imports.ts';
import type { Notes } from './notes-doc.ts';
import { rawConcerns, type UnitDossiers } from './unit-doc.ts';
import { UNIT_COLLECTION_NAMES, type UnitCollectionName } from './unit-collections.ts';
import { firstWriterOf, writerOf, writersOfArray } from './writers.ts';

/**
 * One dossier's history, read from its unit document: what changed about this subject only (not
 * the rest of the unit), each change saying what (a field before → after, a record added, revoked
 * or reinstated, an import or its undo), when, and the Yjs client that wrote it, which the server
 * binds to an authenticated user (writers.ts, core/sync/authors.ts): a view names that user, never
 * the `by` the content carries. Nothing
 * extra is stored: corrections come from the `log`, entries made by hand from its creation
 * entries, imports and undos from the import log (whose `before` values also give the base an
 * entity had before each import). Pure: a view formats the events in its language.
 */

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

export type DossierChange =
  | { kind: 'added' }
  | { kind: 'imported'; fileName: string; action: 'created' | 'updated' | 'reinstated'; fields: FieldChange[] }
  | { kind: 'import-undone'; fileName: string; reason: string; action: 'revoked' | 'restored' | 'removed' }
  | { kind: 'corrected'; fields: FieldChange[] }
  | { kind: 'revoked'; reason: string }
  | { kind: 'reinstated' }
  | { kind: 'annotated'; reply: boolean; text: string };

export interface HistoryEvent {
  at: string;
  /** Who the document says did it: what the writing client recorded, a claim never shown as the author. */
  by: string;
  /** The Yjs client that wrote it (the server's bindings say whose it is); undefined when not known. */
  client?: number;
  collection: UnitCollectionName | 'annotations';
  id: string;
  /** The entity as it is now, or as it last was, so a view can name it (kind, date, 文号 …). */
  entity: unknown;
  change: DossierChange;
}

const NOT_DIFFED = new Set(['importId', 'id']);

function diff(before: unknown, after: unknown): FieldChange[] {
  const b = isPlainObject(before) ? before : {};
  const a = isPlainObject(after) ? after : {};
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((f) => !NOT_DIFFED.has(f));
  return fields.filter((f) => !sameJson(b[f], a[f])).map((f) => ({ field: f, before: b[f], after: a[f] }));
}

interface LogEntry {
  collection: string;
  id: string;
  field?: string;
  value?: unknown;
  created?: boolean;
  by: string;
  at: string;
  client: number;
}

function readLog(dossiers: UnitDossiers): LogEntry[] {
  const out: LogEntry[] = [];
  const writers = writersOfArray(dossiers.doc, LOG);
  for (const [index, value] of dossiers.doc.getArray<unknown>(LOG).toArray().entries()) {
    const client = writers[index];
    const e = toPlain(value);
    if (client === undefined) continue;
    if (
      !isPlainObject(e) ||
      typeof e.collection !== 'string' ||
      typeof e.id !== 'string' ||
      typeof e.by !== 'string' ||
      typeof e.at !== 'string'
    )
      continue;
    if (e.created !== true && typeof e.field !== 'string') continue;
    out.push({
      collection: e.collection,
      id: e.id,
      by: e.by,
      at: e.at,
      client,
      ...(typeof e.field === 'string' ? { field: e.field, value: e.value } : { created: true }),
    });
  }
  return out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

const isUnitCollection = (c: string): c is UnitCollectionName => (UNIT_COLLECTION_NAMES as string[]).includes(c);

export function dossierHistory(dossiers: UnitDossiers, subject: Subject): HistoryEvent[] {
  const imports = dossiers.imports
    .list()
    .flatMap((e) => (e.ok ? [e.value] : []))
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const current = (collection: UnitCollectionName, id: string): unknown => {
    const e = dossiers[collection].get(id);
    return e?.ok ? e.value : dossiers[collection].base(id);
  };
  /** The base an entity had at `at`: what the first later import that changed it found, else today's. */
  const baseAt = (collection: UnitCollectionName, id: string, at: string): unknown => {
    for (const imp of imports) {
      if (imp.at <= at) continue;
      const c = imp.changes.find((x) => x.collection === collection && x.id === id);
      if (c) return c.before;
    }
    return dossiers[collection].base(id);
  };
  const nameOf = (collection: UnitCollectionName, id: string, fallback: unknown) => current(collection, id) ?? fallback;
  const events: HistoryEvent[] = [];

  for (const imp of imports) {
    // The entry's first writer imported; an undo rewrote it, so its last writer undid.
    const client = firstWriterOf(dossiers.doc, IMPORTS, imp.id);
    for (const c of imp.changes) {
      const after = baseAt(c.collection, c.id, imp.at);
      if (!rawConcerns(subject, c.collection, c.id, c.before ?? after ?? current(c.collection, c.id))) continue;
      const entity = nameOf(c.collection, c.id, c.before);
      const action = c.reinstated ? 'reinstated' : c.before === null ? 'created' : 'updated';
      const fields = action === 'updated' && !imp.undone ? diff(c.before, after) : [];
      events.push({
        at: imp.at,
        by: imp.by,
        ...(client !== undefined ? { client } : {}),
        collection: c.collection,
        id: c.id,
        entity,
        change: { kind: 'imported', fileName: imp.fileName, action, fields },
      });
      if (imp.undone) {
        const undoClient = writerOf(dossiers.doc, IMPORTS, imp.id);
        const undone =
          c.collection === 'records' && (c.before === null || c.reinstated)
            ? 'revoked'
            : c.before === null
              ? 'removed'
              : 'restored';
        events.push({
          at: imp.undone.at,
          by: imp.undone.by,
          ...(undoClient !== undefined ? { client: undoClient } : {}),
          collection: c.collection,
          id: c.id,
          entity,
          change: { kind: 'import-undone', fileName: imp.fileName, reason: imp.undone.reason, action: undone },
        });
      }
    }
  }
  // Corrections an import or its undo made (reinstating, withdrawing) are told by those events.
  const byImport = new Set(
    imports.flatMap((i) => [`${i.by}\n${i.at}`, ...(i.undone ? [`${i.undone.by}\n${i.undone.at}`] : [])]),
  );

  const log = readLog(dossiers);
  const latest = new Map<string, unknown>();
  for (let i = 0; i < log.length;) {
    const first = log[i]!;
    // One user action (a revocation: status + who/when/why) is one group: same entity, author, time.
    let j = i + 1;
    while (
      j < log.length &&
      !first.created &&
      !log[j]!.created &&
      log[j]!.collection === first.collection &&
      log[j]!.id === first.id &&
      log[j]!.by === first.by &&
      log[j]!.at === first.at
    )
      j++;
    const group = log.slice(i, j);
    i = j;
    if (!isUnitCollection(first.collection)) continue;
    const collection = first.collection;
    const entity = current(collection, first.id);
    if (!rawConcerns(subject, collection, first.id, entity)) continue;
    const base = { at: first.at, by: first.by, client: first.client, collection, id: first.id, entity };
    if (first.created) {
      events.push({ ...base, change: { kind: 'added' } });
      continue;
    }
    const fields = group.map((e) => {
      const key = `${collection}/${e.id}/${e.field}`;
      const baseValue = latest.has(key)
        ? latest.get(key)
        : (baseAt(collection, e.id, e.at) as Record<string, unknown> | null)?.[e.field!];
      latest.set(key, e.value);
      return { field: e.field!, before: baseValue, after: e.value };
    });
    if (byImport.has(`${first.by}\n${first.at}`)) continue;
    const revoked = fields.find((f) => f.field === 'revoked');
    if (revoked && isPlainObject(revoked.after)) {
      events.push({
        ...base,
        change: { kind: 'revoked', reason: typeof revoked.after.reason === 'string' ? revoked.after.reason : '' },
      });
    } else if (revoked) {
      events.push({ ...base, change: { kind: 'reinstated' } });
    } else {
      events.push({ ...base, change: { kind: 'corrected', fields } });
    }
  }
  return events.sort(newestFirst);
}

/** The annotations on this subject, as history events (added, replies). */
export function notesHistory(notes: Notes, subject: Subject): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  for (const th of notes.threadsOf(subject).threads) {
    for (const a of [th.root, ...th.replies]) {
      const client = writerOf(notes.doc, 'annotations', a.id);
      events.push({
        at: a.at,
        by: a.author,
        ...(client !== undefined ? { client } : {}),
        collection: 'annotations',
        id: a.id,
        entity: a,
        change: { kind: 'annotated', reply: a.replyTo !== undefined, text: a.text },
      });
    }
  }
  return events.sort(newestFirst);
}

function newestFirst(a: HistoryEvent, b: HistoryEvent): number {
  return a.at < b.at ? 1 : a.at > b.at ? -1 : 0;
}
