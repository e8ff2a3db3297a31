/**
 * Awareness (presence) messages. Not persisted. A connection may set, renew and remove only its
 * own awareness clientIDs: an ID is its own if it first claimed it, and it may not claim one
 * that another user's connection holds or that is bound to another user in the document
 * (attribution.ts). Viewers may publish presence: it is not a write to the document.
 */
import * as decoding from 'lib0/decoding';
import { applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import type { Connection } from './connection.ts';
import { MalformedFrame, encodeAwareness, encodePermissionDenied } from './protocol.ts';

/** A connection normally has one (its Y.Doc's clientID); a few allow for reloads in one tab. */
const maxIdsPerConnection = 8;

/** clientIDs in an awareness update, checking that the whole update is well formed. */
export function awarenessClientIds(update: Uint8Array): number[] {
  try {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    const ids: number[] = [];
    for (let i = 0; i < count; i++) {
      ids.push(decoding.readVarUint(decoder));
      decoding.readVarUint(decoder); // clock
      JSON.parse(decoding.readVarString(decoder)); // state (or null)
    }
    if (decoding.hasContent(decoder)) throw new Error('trailing bytes');
    return ids;
  } catch (error) {
    throw new MalformedFrame(`bad awareness update (${(error as Error).message})`);
  }
}

export function receiveAwareness(conn: Connection, update: Uint8Array): void {
  const doc = conn.document();
  const ids = awarenessClientIds(update);
  for (const id of ids) {
    if (conn.awarenessIds.has(id)) continue;
    const reason = claimRefusal(conn, id);
    if (reason !== null) {
      conn.refuse('awareness-id', reason);
      conn.send(encodePermissionDenied(reason));
      return;
    }
  }
  for (const id of ids) {
    // The same user reconnecting (a new socket before the old one timed out) takes its ID over.
    for (const peer of doc.peers) if (peer !== conn) peer.awarenessIds.delete(id);
    conn.awarenessIds.add(id);
  }
  applyAwarenessUpdate(doc.awareness, update, conn);
}

function claimRefusal(conn: Connection, id: number): string | null {
  const doc = conn.document();
  if (conn.awarenessIds.size >= maxIdsPerConnection) return 'too many awareness clientIDs on one connection';
  const owner = doc.bindings.get(id);
  if (owner !== undefined && owner !== conn.user) return `awareness clientID ${id} belongs to another user`;
  for (const peer of doc.peers) {
    if (peer !== conn && peer.awarenessIds.has(id) && peer.user !== conn.user) {
      return `awareness clientID ${id} is in use by another user`;
    }
  }
  return null;
}

export function answerAwarenessQuery(conn: Connection): void {
  const { awareness } = conn.document();
  const ids = [...awareness.getStates().keys()];
  if (ids.length > 0) conn.send(encodeAwareness(encodeAwarenessUpdate(awareness, ids)));
}
