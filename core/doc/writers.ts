import * as Y from 'yjs';

/**
 * Who wrote what, as Yjs knows it: the clientID of the item that holds a value. Only the server
 * can say which user a clientID belongs to (it binds each clientID to the authenticated user who
 * first used it; core/sync/authors.ts fetches those bindings), so this is the one source of
 * authorship a view may show. A `by` or `author` field inside a value is only what the writing
 * client claimed, and an editor could claim a colleague's name (core/README.md, "Attribution").
 */

type MapItem = Y.Item & { left: Y.Item | null; parentSub: string | null };

/** The item holding `key` of a top-level map now, or undefined. */
function currentItem(doc: Y.Doc, mapName: string, key: string): MapItem | undefined {
  // `_map` is where Y.Map keeps the last item per key (Yjs 13 internals, stable across 13.x).
  const item = (doc.getMap(mapName) as unknown as { _map: Map<string, MapItem> })._map.get(key);
  return item === undefined || item.deleted ? undefined : item;
}

/** The clientID that wrote the current value of `key` in the top-level map `mapName`. */
export function writerOf(doc: Y.Doc, mapName: string, key: string): number | undefined {
  return currentItem(doc, mapName, key)?.id.client;
}

/**
 * The clientID that first set `key` (earlier values are the items left of the current one, kept
 * as deleted items even after garbage collection): who created an entry that others since rewrote,
 * such as an import entry that an undo marked as undone.
 */
export function firstWriterOf(doc: Y.Doc, mapName: string, key: string): number | undefined {
  let item: Y.Item | null = currentItem(doc, mapName, key) ?? null;
  let first = item?.id.client;
  while (item !== null) {
    first = item.id.client;
    item = (item as MapItem).left;
  }
  return first;
}

/** For each value of the top-level array `arrayName`, in order, the clientID that inserted it. */
export function writersOfArray(doc: Y.Doc, arrayName: string): number[] {
  const out: number[] = [];
  let item = (doc.getArray(arrayName) as unknown as { _start: Y.Item | null })._start;
  while (item !== null) {
    if (!item.deleted && item.countable) for (let i = 0; i < item.length; i++) out.push(item.id.client);
    item = item.right;
  }
  return out;
}

/** A user as the server knows them: the token's `sub` and display name. */
export interface Person {
  user: string;
  name: string;
}

/**
 * The author of something written with one clientID, as a view may show it: the server's binding
 * (`server`); this device's own write the server has not yet reported (`pending`: the signed-in
 * user, not yet the server's word); or nobody known yet (`unknown`).
 */
export type Author = ({ status: 'server' } & Person) | ({ status: 'pending' } & Person) | { status: 'unknown' };

/** Who wrote with a clientID (core/sync/authors.ts answers it for a synced document). */
export type Attribute = (clientId: number | undefined) => Author;

/**
 * An `Attribute` from the server's bindings (clientID → user) and, for this device's own clientIDs
 * not yet among them, the signed-in user as pending. Pure: tests and core/sync/authors.ts use it.
 */
export function attributeWith(
  bindings: ReadonlyMap<number, Person>,
  own?: { ids: ReadonlySet<number>; me: Person },
): Attribute {
  return (clientId) => {
    if (clientId === undefined) return { status: 'unknown' };
    const bound = bindings.get(clientId);
    if (bound) return { status: 'server', ...bound };
    if (own?.ids.has(clientId)) return { status: 'pending', ...own.me };
    return { status: 'unknown' };
  };
}
