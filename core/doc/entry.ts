import * as v from 'valibot';
import * as Y from 'yjs';
import { describeIssues, fieldMessage, type FieldError, type Locale } from '../model/messages.ts';

/**
 * What a read returns. Anything in a shared document may have been written by a buggy or hostile
 * client, so reads validate and never throw: an invalid entry is returned with its raw content and
 * the reasons, and views show it as invalid rather than hiding it or crashing.
 */
export type Entry<T> =
  { ok: true; id: string; value: T } | { ok: false; id: string; raw: unknown; errors: FieldError[] };

export type WriteResult = { ok: true; changed: boolean } | { ok: false; errors: FieldError[] };

/** Plain JSON for whatever a peer stored: nested Y types are flattened, never trusted as live. */
export function toPlain(raw: unknown): unknown {
  if (raw instanceof Y.Doc) return '[subdocument]';
  if (raw instanceof Y.AbstractType) {
    try {
      return raw.toJSON();
    } catch {
      return '[unreadable]';
    }
  }
  return raw;
}

/**
 * Entities are stored as JSON text, one string per entity. Yjs decodes a stored object member by
 * member, one UTF-8 decode per string, which dominated loading in Chromium; a single string per
 * entity loads ~3× faster and parses lazily on read (BENCHMARKS.md, "Document layout"). Readers also
 * accept the object form (documents written before this, or by other clients).
 */
export function encodeEntity(value: unknown): string {
  return JSON.stringify(value);
}

/** The stored entity as plain data: JSON text parsed, anything else as `toPlain` gives it. */
export function decodeEntity(raw: unknown): unknown {
  const plain = toPlain(raw);
  if (typeof plain !== 'string') return plain;
  try {
    return JSON.parse(plain) as unknown;
  } catch {
    return plain;
  }
}

export function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && !(x instanceof Uint8Array);
}

export function validate<S extends v.GenericSchema>(
  schema: S,
  id: string,
  raw: unknown,
  locale: Locale,
): Entry<v.InferOutput<S>> {
  const result = v.safeParse(schema, raw);
  if (result.success) return { ok: true, id, value: result.output };
  return { ok: false, id, raw, errors: describeIssues(result.issues, locale) };
}

/** A single error not produced by a schema (e.g. "no such record"), worded like schema errors. */
export function fieldError(field: string, key: string, message: string): FieldError {
  return { path: field, field, key, message };
}

/** A keyed error about one field, in the user's language: "承办部门：交办须写明承办部门". */
export function keyedError(field: string, key: string, locale: Locale): FieldError {
  return fieldError(field, key, fieldMessage(field, key, locale));
}

/** A write refused for one field (see `keyedError`). */
export function refusal(field: string, key: string, locale: Locale): { ok: false; errors: FieldError[] } {
  return { ok: false, errors: [keyedError(field, key, locale)] };
}

/** Drops `undefined` members so stored objects compare and encode the same way everywhere. */
export function stripUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(stripUndefined) as T;
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(value)) if (x !== undefined) out[k] = stripUndefined(x);
    return out as T;
  }
  return value;
}

/** Structural equality of JSON values, ignoring key order (Yjs does not preserve it either). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && sameJson(a[k], b[k]));
  }
  return false;
}
