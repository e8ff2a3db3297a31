/**
 * Awareness (presence) messages. Not persisted. A connection may set, renew and remove only its
 * own awareness clientIDs: an ID is its own if it first claimed it, and it may not claim one
 * that another user's connection holds or that is bound to another user in the document
 * (attribution.ts). Viewers may publish presence: it is not a write to the document.
 *
 * Three things the server decides, not the client:
 * - Who: every state is stamped with the token's identity (`user.id` = token `sub`, `user.name` =
 *   token `name`), whatever the client wrote there; the side panel shows `user.name`.
 * - How much: a state larger than `maxPresenceBytes` is dropped, not relayed to every peer.
 * - Whose clientID: the first presence under a clientID nobody has written with binds it to this
 *   user, stored like a write's binding. Presence is how colleagues learn a clientID, so a
 *   colleague who reads it there can never claim it first by writing under it (attribution.ts).
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
  /** `state` parsed. */
  value: unknown;
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
      const value: unknown = JSON.parse(state); // a state is JSON (or null)
      entries.push({ id, clock, state, value });
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

/** An awareness update of these entries (states as JSON text). */
export function encodeAwarenessEntries(entries: readonly Omit<AwarenessEntry, 'value'>[]): Uint8Array {
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
export function receiveAwareness(conn: Connection, update: Uint8Array): Promise<void> | void {
  const doc = conn.document();
  const entries = awarenessEntries(update);
  const own = entries.filter((e) => conn.awarenessIds.has(e.id) || claimRefusal(conn, e.id) === null);
  if (own.length < entries.length) conn.context.metrics.refuse('awareness-id');
  const sized = own.filter((e) => Buffer.byteLength(e.state) <= conn.context.limits.maxPresenceBytes);
  if (sized.length < own.length)
    conn.refuse('presence-size', `presence state over ${conn.context.limits.maxPresenceBytes} bytes`);
  if (sized.length === 0) return;
  const unbound: number[] = [];
  for (const { id } of sized) {
    // The same user reconnecting (a new socket before the old one timed out) takes its ID over.
    for (const peer of doc.peers) if (peer !== conn) peer.awarenessIds.delete(id);
    conn.awarenessIds.add(id);
    if (!doc.bindings.has(id)) {
      doc.bindings.set(id, conn.user);
      unbound.push(id);
    }
  }
  const stamped = sized.map((e) => ({ id: e.id, clock: e.clock, state: stamp(e.value, conn) }));
  applyAwarenessUpdate(doc.awareness, encodeAwarenessEntries(stamped), conn);
  if (unbound.length > 0) {
    return conn.context.storage
      .bindClientIds(doc.name, conn.user, conn.token.name, unbound, Date.now())
      .catch((error: Error) => {
        conn.context.log.error('presence binding not stored', { doc: doc.name, user: conn.user, error: error.message });
      });
  }
}

/** The state as peers will see it: `user.id` and `user.name` from the token, the rest as sent. */
function stamp(value: unknown, conn: Connection): string {
  if (value === null) return 'null';
  const state = typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  const user =
    typeof state.user === 'object' && state.user !== null && !Array.isArray(state.user)
      ? (state.user as Record<string, unknown>)
      : {};
  return JSON.stringify({ ...state, user: { ...user, id: conn.token.sub, name: conn.token.name } });
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
