import type * as Y from 'yjs';

/**
 * Which Yjs client wrote what. Every Yjs item carries the clientID that created it, and the server
 * binds each clientID to the authenticated user who first wrote with it (its audit answers
 * `GET /history` with the clientIDs of every update), so a value's client is the key to who wrote
 * it on the server's word, not the client's. These read Yjs's item structure (`_map`, `_start`),
 * stable across Yjs 13 and what y-protocols itself relies on.
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
