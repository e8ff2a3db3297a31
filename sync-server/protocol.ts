/**
 * The wire protocol, explained once.
 *
 * We speak the standard y-websocket protocol so that a stock `WebsocketProvider` works unchanged.
 * Every WebSocket binary frame is one message: a varUint message type, then its payload.
 *
 *   0 sync       varUint sub-type, then
 *                  0 step 1   varUint8Array state vector   "here is what I have; send me the rest"
 *                  1 step 2   varUint8Array update         "here is what you lacked"
 *                  2 update   varUint8Array update         "here is a new local edit"
 *   1 awareness  varUint8Array awareness update (presence: cursors, names), not persisted
 *   2 auth       varUint 0 (permission denied), varString reason: server → client only
 *   3 query awareness (no payload): "send me everyone's presence"
 *
 * The client initiates: on open it sends sync step 1. The server answers with step 2 (what the
 * client lacks) and then its OWN step 1: the client replies with a step 2 carrying its offline
 * edits. Because the server commits every update to disk before applying it in memory, the state
 * vector in the server's step 1 only ever covers durable data; our sync client treats it as the
 * durable acknowledgement of everything it has sent (a stock client simply answers it).
 *
 * Frames are parsed completely and strictly before any effect (`parseFrame`): a truncated varint,
 * an unknown type, or trailing bytes make the whole frame malformed, and the connection is closed
 * with a logged reason. Nothing here touches documents, sockets or storage.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export const messageSync = 0;
export const messageAwareness = 1;
export const messageAuth = 2;
export const messageQueryAwareness = 3;

export const syncStep1 = 0;
export const syncStep2 = 1;
export const syncUpdate = 2;

export const authPermissionDenied = 0;

export type Frame =
  | { kind: 'sync-step1'; stateVector: Uint8Array }
  | { kind: 'sync-step2'; update: Uint8Array }
  | { kind: 'sync-update'; update: Uint8Array }
  | { kind: 'awareness'; update: Uint8Array }
  | { kind: 'query-awareness' };

export class MalformedFrame extends Error {
  override name = 'MalformedFrame';
}

/** Decode one frame, or throw `MalformedFrame` saying why. */
export function parseFrame(data: Uint8Array): Frame {
  const decoder = decoding.createDecoder(data);
  let frame: Frame;
  try {
    frame = readFrame(decoder);
  } catch (error) {
    if (error instanceof MalformedFrame) throw error;
    throw new MalformedFrame(`truncated frame (${(error as Error).message})`);
  }
  if (decoding.hasContent(decoder)) throw new MalformedFrame('trailing bytes after message');
  return frame;
}

function readFrame(decoder: decoding.Decoder): Frame {
  const type = decoding.readVarUint(decoder);
  switch (type) {
    case messageSync: {
      const sub = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (sub === syncStep1) return { kind: 'sync-step1', stateVector: payload };
      if (sub === syncStep2) return { kind: 'sync-step2', update: payload };
      if (sub === syncUpdate) return { kind: 'sync-update', update: payload };
      throw new MalformedFrame(`unknown sync message type ${sub}`);
    }
    case messageAwareness:
      return { kind: 'awareness', update: decoding.readVarUint8Array(decoder) };
    case messageQueryAwareness:
      return { kind: 'query-awareness' };
    default:
      // Includes messageAuth: only the server sends those.
      throw new MalformedFrame(`unknown message type ${type}`);
  }
}

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

export const encodeSyncStep1 = (stateVector: Uint8Array): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, messageSync);
    encoding.writeVarUint(e, syncStep1);
    encoding.writeVarUint8Array(e, stateVector);
  });

export const encodeSyncStep2 = (update: Uint8Array): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, messageSync);
    encoding.writeVarUint(e, syncStep2);
    encoding.writeVarUint8Array(e, update);
  });

export const encodeUpdate = (update: Uint8Array): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, messageSync);
    encoding.writeVarUint(e, syncUpdate);
    encoding.writeVarUint8Array(e, update);
  });

export const encodeAwareness = (update: Uint8Array): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, messageAwareness);
    encoding.writeVarUint8Array(e, update);
  });

/** y-protocols/auth `writePermissionDenied`, framed. */
export const encodePermissionDenied = (reason: string): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, messageAuth);
    encoding.writeVarUint(e, authPermissionDenied);
    encoding.writeVarString(e, reason);
  });

/**
 * WebSocket close codes. y-websocket 3 stops reconnecting on 4400-4499 (`defaultShouldReconnect`
 * in y-websocket.js: "the server made a deliberate decision that reconnecting can't fix") and
 * backs off and retries on anything else, including 4500-4599.
 */
export const closeCodes = {
  /** Token expired or revoked while connected: reconnecting with it cannot help. */
  unauthorized: 4401,
  /** A frame we cannot parse or a garbage update: the client is broken, don't loop. */
  malformed: 4400,
  /** Too many messages or bytes per second: back off and retry later. */
  rateLimited: 4529,
  /** The client did not start syncing in time: transient, retry. */
  handshakeTimeout: 4508,
  /** Storage failed: transient from the client's point of view. */
  internal: 1011,
  /** Server shutting down: reconnect later. */
  goingAway: 1001,
} as const;
