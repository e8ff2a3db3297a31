import type * as Y from 'yjs';

/**
 * Who wrote an entry, from the server's word. The sync server binds each Yjs clientID to the
 * authenticated user who first wrote with it and refuses anyone else's writes under that clientID
 * (sync-server/attribution.ts); GET /history lists, per stored update, the user and the clientIDs it
 * wrote with. An entry is one item of a top-level Y.Map, and the item's id names the clientID that
 * wrote it, so the author of a workflow step is the user that clientID is bound to — never a `by`
 * field a client filled in. Steps are written once and never rewritten; if someone overwrote one,
 * the item (and so the author shown) would be theirs, which is the truth about who wrote it.
 *
 * Until the server has stored a write (offline, or not yet fetched) its author is `pending`: this
 * device's own writes show the signed-in user as such, anyone else's as not yet known.
 */

export interface Person {
  user: string;
  name: string;
}

/** clientID → user, as the server bound them. */
export type Bindings = ReadonlyMap<number, Person>;

export type Author =
  | ({ status: 'server' } & Person)
  /** Written on this device and not (yet) seen in the server's record. */
  | ({ status: 'pending' } & Person)
  | { status: 'unknown' };

/** The bindings in GET /history's entries (each: user, name, the clientIDs the update wrote with). */
export function bindingsFromHistory(entries: readonly { user: string; name: string; clientIds?: readonly number[] }[]): Map<number, Person> {
  const out = new Map<number, Person>();
  // The first update with a clientID is the one that bound it; the server refuses later ones by others.
  for (const e of entries) for (const id of e.clientIds ?? []) if (!out.has(id)) out.set(id, { user: e.user, name: e.name });
  return out;
}

/** The Yjs clientID that wrote the current value of `key` in the top-level map `mapName`. */
export function writerClient(doc: Y.Doc, mapName: string, key: string): number | undefined {
  return mapKeyClient(doc.getMap(mapName), key);
}

/**
 * The author of an entry: the server's binding of its writer, or, for a write of this session not
 * yet in the server's record, `self` as pending.
 */
export function authorOf(doc: Y.Doc, mapName: string, key: string, bindings: Bindings, self?: Person): Author {
  const client = writerClient(doc, mapName, key);
  if (client === undefined) return { status: 'unknown' };
  const bound = bindings.get(client);
  if (bound) return { status: 'server', ...bound };
  if (self && client === doc.clientID) return { status: 'pending', ...self };
  return { status: 'unknown' };
}

/*
 * Reading Yjs's item structure (`_map`, `_start`), stable across Yjs 13 and what y-protocols itself
 * relies on.
 */
/** The client that wrote a Y.Map key's current value; undefined when the key is absent. */
export function mapKeyClient(map: Y.Map<unknown>, key: string): number | undefined {
  const item = map._map.get(key);
  return item && !item.deleted ? item.id.client : undefined;
}

/** Each element of a Y.Array with the client that wrote it, in array order. */
export function arrayWithClients<T>(array: Y.Array<T>): { value: T; client: number }[] {
  const out: { value: T; client: number }[] = [];
  for (let item = array._start; item !== null; item = item.right) {
    if (item.deleted || !item.countable) continue;
    for (const value of item.content.getContent() as T[]) out.push({ value, client: item.id.client });
  }
  return out;
}
