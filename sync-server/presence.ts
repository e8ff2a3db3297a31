/**
 * Awareness (presence) messages. Not persisted. A connection may set, renew and remove only its
 * own awareness clientIDs: an ID is its own if it first claimed it, and it may not claim one
 * that another user's connection holds or that is bound to another user in the document
 * (attribution.ts). Viewers may publish presence: it is not a write to the document.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import type { Connection } from './connection.ts';
import { MalformedFrame, encodeAwareness } from './protocol.ts';

/** A connection normally has one (its Y.Doc's clientID); a few allow for reloads in one tab. */
const maxIdsPerConnection = 8;

interface AwarenessEntry {
  id: number;
  clock: number;
  state: string;
}

/** The entries of an awareness update, checking that the whole update is well formed. */
function awarenessEntries(update: Uint8Array): AwarenessEntry[] {
  try {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    const entries: AwarenessEntry[] = [];
    for (let i = 0; i < count; i++) {
      const id = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const state = decoding.readVarString(decoder);
      JSON.parse(state); // a state is JSON (or null)
      entries.push({ id, clock, state });
    }
    if (decoding.hasContent(decoder)) throw new Error('trailing bytes');
    return entries;
  } catch (error) {
    throw new MalformedFrame(`bad awareness update (${(error as Error).message})`);
  }
}

/** clientIDs in an awareness update, checking that the whole update is well formed. */
export function awarenessClientIds(update: Uint8Array): number[] {
  return awarenessEntries(update).map((e) => e.id);
}

function encodeEntries(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const e of entries) {
    encoding.writeVarUint(encoder, e.id);
    encoding.writeVarUint(encoder, e.clock);
    encoding.writeVarString(encoder, e.state);
  }
  return encoding.toUint8Array(encoder);
}

/**
 * Applies the entries this connection may set and drops the others without a word to the client.
 * Dropping quietly matters: a stock y-websocket client re-broadcasts every awareness change it
 * sees, its peers' included (its update handler does not look at the origin), so foreign IDs
 * arrive from honest clients all the time. Answering those with permission-denied would flood
 * every user with errors; applying them would let one connection speak for another. The metric
 * still counts them, so a connection trying to impersonate shows up.
 */
export function receiveAwareness(conn: Connection, update: Uint8Array): void {
  const doc = conn.document();
  const entries = awarenessEntries(update);
  const own = entries.filter((e) => conn.awarenessIds.has(e.id) || claimRefusal(conn, e.id) === null);
  if (own.length < entries.length) conn.context.metrics.refuse('awareness-id');
  if (own.length === 0) return;
  for (const { id } of own) {
    // The same user reconnecting (a new socket before the old one timed out) takes its ID over.
    for (const peer of doc.peers) if (peer !== conn) peer.awarenessIds.delete(id);
    conn.awarenessIds.add(id);
  }
  applyAwarenessUpdate(doc.awareness, own.length === entries.length ? update : encodeEntries(own), conn);
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
