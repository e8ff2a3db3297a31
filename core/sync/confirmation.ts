import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';

/**
 * Durable acknowledgement, as agreed with the server: when the server receives a sync step 1 it
 * answers with a step 2 and then its own step 1, whose state vector it sends only once everything it
 * holds is on disk. A local change is confirmed when that state vector covers it.
 *
 * Changes are counted in Yjs clock units. In our layout (core/doc) every write is one map entry or
 * one log entry of length 1, so this is the number of entries written and not yet on the server.
 * Deletions carry no clock and are not counted; the layout only deletes on import undo.
 */

export type StateVector = Map<number, number>;

export function stateVectorOf(doc: Y.Doc): StateVector {
  return Y.decodeStateVector(Y.encodeStateVector(doc));
}

/**
 * How much of what this device wrote (`own` clientIDs) the server's state vector does not cover
 * yet. Only our own clientIDs count: colleagues' edits reach us from the server, which already
 * holds them, but the server's state vector we last heard may predate them.
 */
export function unconfirmedChanges(local: StateVector, server: StateVector, own: ReadonlySet<number>): number {
  let n = 0;
  for (const [client, clock] of local) {
    if (own.has(client)) n += Math.max(0, clock - (server.get(client) ?? 0));
  }
  return n;
}

/**
 * The state vector in a sync message if it is a step 1, read from a copy of the decoder so the
 * provider's own handler still reads the message from the start. Undefined for anything else or
 * for a malformed frame (the provider's handler will deal with it).
 */
export function peekSyncStep1(decoder: decoding.Decoder): StateVector | undefined {
  try {
    const peek = decoding.clone(decoder);
    if (decoding.readVarUint(peek) !== syncProtocol.messageYjsSyncStep1) return undefined;
    return Y.decodeStateVector(decoding.readVarUint8Array(peek));
  } catch {
    return undefined;
  }
}

export function encodeStateVectorMap(sv: StateVector): Uint8Array {
  // Y.encodeStateVector accepts a Map as well as a Doc.
  return Y.encodeStateVector(sv);
}

/** True when `next` covers at least what `prev` did and more: the server made progress. */
export function advanced(prev: StateVector | undefined, next: StateVector): boolean {
  if (!prev) return true;
  let more = false;
  for (const [client, clock] of next) {
    const before = prev.get(client) ?? 0;
    if (clock > before) more = true;
  }
  return more;
}
