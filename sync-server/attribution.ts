/**
 * Trusted attribution: which Yjs clientIDs an update writes with, and whether the authenticated
 * user may write with them. The first user to write with a clientID in a document owns it; an
 * update from anyone else that creates content under that clientID is refused, so "who wrote
 * this item" can be answered from the server's own records (the audit log and the bindings),
 * never from the client's word. Deleting someone else's content is a normal edit and is allowed:
 * deletions carry no authorship.
 */
import { createHash } from 'node:crypto';
import * as Y from 'yjs';

export interface DecodedUpdate {
  /** Distinct clientIDs of the structs (new content) in the update. */
  clientIds: number[];
  /** True when the update neither adds content nor deletes anything. */
  empty: boolean;
}

/** Decode an update fully; throws on garbage, which the caller treats as a malformed frame. */
export function decodeUpdate(update: Uint8Array): DecodedUpdate {
  const { structs, ds } = Y.decodeUpdate(update);
  const clientIds = [...new Set(structs.map((struct) => struct.id.client))];
  return { clientIds, empty: structs.length === 0 && ds.clients.size === 0 };
}

export type BindingCheck = { ok: true; newBindings: number[] } | { ok: false; clientId: number; owner: string };

export function checkBindings(
  bindings: ReadonlyMap<number, string>,
  clientIds: readonly number[],
  user: string,
): BindingCheck {
  const newBindings: number[] = [];
  for (const clientId of clientIds) {
    const owner = bindings.get(clientId);
    if (owner === undefined) newBindings.push(clientId);
    else if (owner !== user) return { ok: false, clientId, owner };
  }
  return { ok: true, newBindings };
}

export function hashUpdate(update: Uint8Array): string {
  return createHash('sha256').update(update).digest('hex');
}
