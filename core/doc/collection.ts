import type * as v from 'valibot';
import * as Y from 'yjs';
import type { IsoDate } from '../dates.ts';
import { labelled } from '../model/i18n.ts';
import { fieldLabel, messageFor, type Locale } from '../model/messages.ts';
import { isAfterToday } from '../model/schemas.ts';
import { canonicalCheck } from './canonical.ts';
import { writerOf, writersOfArray } from './writers.ts';
import {
  decodeEntity,
  encodeEntity,
  fieldError,
  keyedError,
  refusal,
  isPlainObject,
  sameJson,
  stripUndefined,
  toPlain,
  validate,
  type Entry,
  type WriteResult,
} from './entry.ts';

/**
 * One collection of a document: a top-level Y.Map from id to the entity as JSON text (one Yjs item
 * per entity, see entry.ts), plus field-level corrections in the document's shared `edits` map under
 * `<collection>/<id>/<field>` → { value, by, at }, merged over the base object on read. Two people
 * correcting different fields of one record offline write different keys, so both survive; the same
 * field resolves by Y.Map's deterministic last-writer-wins, and every correction is also appended to
 * the `log` array, so the losing value stays in the history. See core/README.md "Layout decision".
 */

export interface FieldEdit {
  collection: string;
  id: string;
  field: string;
  value: unknown;
  /** Who the writing client said it was: a claim, shown only as a fallback (writers.ts). */
  by: string;
  at: string;
  /** The Yjs clientID that wrote this entry: the server's bindings say whose it is (writers.ts). */
  writer?: number;
}

/**
 * A log entry for an entity entered by hand (not a correction: it has no `field`, so readers of
 * corrections skip it, and older clients ignore it).
 */
export interface CreationEntry {
  collection: string;
  id: string;
  created: true;
  by: string;
  at: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any valibot object schema, whatever its entries
export interface CollectionDef<S extends v.ObjectSchema<any, any> | v.SchemaWithPipe<any>> {
  name: string;
  schema: S;
  /** The member that holds the id (`id`, or `code` for units). */
  idField: string;
  /** Date fields that may not lie after today (DATES_UP_TO_TODAY): an entry with one reads as invalid. */
  upToToday?: readonly string[];
}

export interface DocContext {
  locale: Locale;
  /** ISO timestamp for `at` when the caller gives none. */
  now: () => string;
  /** Today's date, against which stored dates are read (nothing recorded may lie after it). */
  today: () => IsoDate;
  /** Refuses writes to a document whose schema is newer than this code (see migrations.ts). */
  writable: () => Refusal | undefined;
  /** Records the current schema version on a document's first write (see migrations.ts). */
  stamp: () => void;
}

export type Refusal = Extract<WriteResult, { ok: false }>;

export const EDITS = 'edits';
export const LOG = 'log';

export type PutOutcome = 'created' | 'updated' | 'unchanged';
export type PutResult =
  { ok: true; outcome: PutOutcome; id: string } | { ok: false; errors: import('../model/messages.ts').FieldError[] };

export interface Collection<T> {
  readonly name: string;
  ids(): string[];
  list(): Entry<T>[];
  get(id: string): Entry<T> | undefined;
  /** The base object as stored, before corrections (what an import wrote). */
  base(id: string): unknown;
  /**
   * Writes the whole entity as the new base. Idempotent: an equal value writes nothing, so
   * re-importing the same spreadsheet adds no history. Corrections made with `edit` still apply on
   * top: an officer's correction is not silently undone by the next import of the department's file.
   * With `author` (a person entering it by hand), a creation is also logged (`created` below), so
   * the dossier's history can say who added it and when; imports have their own log.
   */
  put(entity: unknown, author?: { by: string; at?: string }): PutResult;
  /** When and by whom the entity was entered by hand (a `put` with an author), if it was. */
  created(id: string): { by: string; at: string } | undefined;
  /** Corrects one field. The merged entity must stay valid; an equal value writes nothing. */
  edit(id: string, field: string, value: unknown, by: string, at?: string): WriteResult;
  /** Several field corrections in one transaction (e.g. a revocation: status + who/when/why). */
  editFields(id: string, fields: Record<string, unknown>, by: string, at?: string): WriteResult;
  /** Every correction to this entity, oldest first, including ones that lost a concurrent race. */
  history(id: string): FieldEdit[];
  /**
   * The clientID that wrote the entity's current `field` (its correction, else the base), or the
   * base when no field is named: who revoked a record, who wrote an annotation (writers.ts).
   */
  writerOf(id: string, field?: string): number | undefined;
  /** Removes the entity and its corrections. Only import undo uses it; dossier records are revoked instead. */
  remove(id: string): WriteResult;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a valibot object schema or a pipe over one
function entriesOf(schema: any): Record<string, unknown> {
  return schema.entries as Record<string, unknown>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- T is the caller's; the schema's own type is not needed here
export function collection<T>(doc: Y.Doc, def: CollectionDef<any>, ctx: DocContext): Collection<T> {
  const map = doc.getMap<unknown>(def.name);
  const edits = doc.getMap<unknown>(EDITS);
  const log = doc.getArray<unknown>(LOG);
  const fields = Object.keys(entriesOf(def.schema));
  const fieldSet = new Set(fields);
  const prefix = `${def.name}/`;
  const canonical = canonicalCheck(def.schema);

  /** A correction entry as a peer stored it, or undefined if it is not one. */
  function readEdit(raw: unknown): { value: unknown } | undefined {
    const e = toPlain(raw);
    return isPlainObject(e) && Object.hasOwn(e, 'value') ? { value: e.value } : undefined;
  }

  function merge(base: unknown, corrections: Map<string, unknown> | undefined): unknown {
    if (!corrections || corrections.size === 0 || !isPlainObject(base)) return base;
    const out: Record<string, unknown> = { ...base };
    // Only fields the schema knows: a hostile key such as "__proto__" never reaches the object.
    for (const [f, value] of corrections) {
      if (!fieldSet.has(f) || f === def.idField) continue;
      // A correction to undefined clears an optional field (a reinstated record's `revoked`).
      if (value === undefined) delete out[f];
      else out[f] = value;
    }
    return out;
  }

  function correctionsOf(id: string): Map<string, unknown> {
    const out = new Map<string, unknown>();
    for (const f of fields) {
      const e = readEdit(edits.get(`${prefix}${id}/${f}`));
      if (e) out.set(f, e.value);
    }
    return out;
  }

  function allCorrections(): Map<string, Map<string, unknown>> {
    const byId = new Map<string, Map<string, unknown>>();
    for (const [key, raw] of edits.entries()) {
      if (!key.startsWith(prefix)) continue;
      const slash = key.lastIndexOf('/');
      if (slash <= prefix.length) continue;
      const id = key.slice(prefix.length, slash);
      const e = readEdit(raw);
      if (!e) continue;
      let m = byId.get(id);
      if (!m) byId.set(id, (m = new Map()));
      m.set(key.slice(slash + 1), e.value);
    }
    return byId;
  }

  /** One entity as readers see it: the base with its corrections merged, validated. */
  function read(id: string, raw: unknown, corrections: Map<string, unknown> | undefined): Entry<T> {
    if (typeof raw === 'string' && !corrections?.size) {
      // The common case, JSON text as `put` stored it and no corrections: parsing made a value
      // nobody else holds, so when valibot would return it unchanged it is its own output (see
      // canonical.ts). The object form and corrections may hold objects that live in the Yjs
      // document; those, and anything not canonical, go through valibot, which copies.
      const value = decodeEntity(raw);
      if (canonical(value) && (value as Record<string, unknown>)[def.idField] === id)
        return datedCheck({ ok: true, id, value: value as T }, value);
      return validated(id, value);
    }
    return validated(id, merge(decodeEntity(raw), corrections));
  }

  function validated(id: string, merged: unknown): Entry<T> {
    const entry = validate(def.schema, id, merged, ctx.locale) as Entry<T>;
    if (entry.ok && (entry.value as Record<string, unknown>)[def.idField] !== id) {
      // An entity stored under another entity's id would make two dossiers disagree about it.
      return { ok: false, id, raw: merged, errors: [idMismatch()] };
    }
    return datedCheck(entry, merged);
  }

  /** A valid entry dated after today is invalid like any other (the rules could not count it). */
  function datedCheck(entry: Entry<T>, raw: unknown): Entry<T> {
    if (!entry.ok || !def.upToToday) return entry;
    const today = ctx.today();
    const late = def.upToToday.filter((f) => isAfterToday((entry.value as Record<string, unknown>)[f], today));
    if (late.length === 0) return entry;
    return {
      ok: false,
      id: entry.id,
      raw,
      errors: late.map((f) => keyedError(f, 'date.future', ctx.locale)),
    };
  }

  function idMismatch() {
    return keyedError(def.idField, 'id.mismatch', ctx.locale);
  }

  function notFound(id: string) {
    return fieldError(
      def.idField,
      'entity.notFound',
      labelled(`${fieldLabel(def.idField, ctx.locale)} ${id}`, messageFor('entity.notFound', ctx.locale), ctx.locale),
    );
  }

  function editFields(id: string, changes: Record<string, unknown>, by: string, at = ctx.now()): WriteResult {
    const refused = ctx.writable();
    if (refused) return refused;
    if (!map.has(id)) return { ok: false, errors: [notFound(id)] };
    for (const f of Object.keys(changes)) {
      if (!fieldSet.has(f) || f === def.idField) {
        return refusal(f, 'field.notEditable', ctx.locale);
      }
    }
    const current = correctionsOf(id);
    const base = decodeEntity(map.get(id));
    const before = merge(base, current);
    const next = new Map(current);
    for (const [f, value] of Object.entries(changes)) next.set(f, stripUndefined(value));
    const after = merge(base, next);
    const checked = read(id, after, undefined);
    if (!checked.ok) return { ok: false, errors: checked.errors };
    const changed = Object.keys(changes).filter(
      (f) => !sameJson((before as Record<string, unknown>)[f], (after as Record<string, unknown>)[f]),
    );
    if (changed.length === 0) return { ok: true, changed: false };
    doc.transact(() => {
      ctx.stamp();
      for (const f of changed) {
        const value = next.get(f);
        edits.set(`${prefix}${id}/${f}`, { value, by, at });
        log.push([{ collection: def.name, id, field: f, value, by, at } satisfies FieldEdit]);
      }
    });
    return { ok: true, changed: true };
  }

  return {
    name: def.name,
    ids: () => [...map.keys()],
    list() {
      const corrections = allCorrections();
      const out: Entry<T>[] = [];
      // forEach rather than entries(): Yjs's entry iterator allocates two pairs per entity.
      map.forEach((raw, id) => {
        out.push(read(id, raw, corrections.get(id)));
      });
      return out;
    },
    get(id) {
      if (!map.has(id)) return undefined;
      return read(id, map.get(id), correctionsOf(id));
    },
    base: (id) => decodeEntity(map.get(id)),
    put(entity, author) {
      const refused = ctx.writable();
      if (refused) return refused;
      const id = isPlainObject(entity) ? entity[def.idField] : undefined;
      const checked = validate(def.schema, typeof id === 'string' ? id : '', entity, ctx.locale);
      if (!checked.ok) return { ok: false, errors: checked.errors };
      const value = stripUndefined(checked.value) as Record<string, unknown>;
      const key = value[def.idField] as string;
      const existing = map.has(key) ? decodeEntity(map.get(key)) : undefined;
      if (existing !== undefined && sameJson(existing, value)) return { ok: true, outcome: 'unchanged', id: key };
      doc.transact(() => {
        ctx.stamp();
        map.set(key, encodeEntity(value));
        if (existing === undefined && author) {
          log.push([
            {
              collection: def.name,
              id: key,
              created: true,
              by: author.by,
              at: author.at ?? ctx.now(),
            } satisfies CreationEntry,
          ]);
        }
      });
      return { ok: true, outcome: existing === undefined ? 'created' : 'updated', id: key };
    },
    created(id) {
      for (const raw of log.toArray()) {
        const e = toPlain(raw);
        if (
          isPlainObject(e) &&
          e.created === true &&
          e.collection === def.name &&
          e.id === id &&
          typeof e.by === 'string' &&
          typeof e.at === 'string'
        ) {
          return { by: e.by, at: e.at };
        }
      }
      return undefined;
    },
    edit: (id, field, value, by, at) => editFields(id, { [field]: value }, by, at),
    editFields,
    history(id) {
      const out: FieldEdit[] = [];
      const writers = writersOfArray(doc, LOG);
      log.toArray().forEach((raw, index) => {
        const e = toPlain(raw);
        if (!isPlainObject(e) || e.collection !== def.name || e.id !== id) return;
        if (typeof e.field !== 'string' || typeof e.by !== 'string' || typeof e.at !== 'string') return;
        const writer = writers[index];
        out.push({
          collection: def.name,
          id,
          field: e.field,
          value: e.value,
          by: e.by,
          at: e.at,
          ...(writer !== undefined ? { writer } : {}),
        });
      });
      return out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    },
    writerOf(id, field) {
      const corrected = field === undefined ? undefined : writerOf(doc, EDITS, `${prefix}${id}/${field}`);
      return corrected ?? writerOf(doc, def.name, id);
    },
    remove(id) {
      const refused = ctx.writable();
      if (refused) return refused;
      if (!map.has(id)) return { ok: true, changed: false };
      doc.transact(() => {
        map.delete(id);
        for (const f of fields) edits.delete(`${prefix}${id}/${f}`);
      });
      return { ok: true, changed: true };
    },
  };
}
