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
 *
 * MULTIPLEXED CONNECTIONS: many documents over one WebSocket (what the sync library uses, so a
 * device needs one socket, not one per document; browsers throttle a profile's pending sockets).
 *
 *   Upgrade   any document path (or `/`), offering the subprotocol `dossierlens.mux.1` besides
 *             `dossierlens` and `auth.<token>`. The token is authenticated before the upgrade as for
 *             any socket (HTTP 401); the path names no document and is not authorised (no 403): the
 *             client uses the URL of a document it needs, so that the same request, sent to a server
 *             without multiplexing, is an ordinary connection to that document. The server answers
 *             `Sec-WebSocket-Protocol: dossierlens.mux.1`; any other answer means "no multiplexing",
 *             and the client falls back to one socket per document.
 *   Frames    every binary frame is an envelope: `varString document name`, then one message:
 *               0–3   a y-websocket message of that document, exactly as above
 *               100   open (client → server, no payload): start this document
 *               101   close: client → server, no payload: leave this document;
 *                     server → client, `varUint code, varString reason`: this document is closed
 *   Open      authorises the name with the token's grants, as an upgrade to its URL would; then the
 *             document behaves exactly like a per-document socket: the client sends sync step 1,
 *             the server answers step 2 and its own step 1 (the durable acknowledgement), writes are
 *             checked (read-only, clientIDs) and committed before broadcast, awareness is per
 *             document, and each document has its own rate limits, queue and step-1 deadline.
 *             Opening an open document starts it again (the old one leaves first). Frames for a
 *             document that is not open are ignored: they may cross a close on the wire.
 *   Closes    what a per-document socket would get as an HTTP status or a close code, a document
 *             gets as its own close message, and the other documents carry on:
 *               4403  no grant on this document (the upgrade's 403; also 4400 for a name that is not
 *                     a document name, the upgrade's 400)
 *               4400  a malformed message of this document; 4529 its rate or queue limit, or too many
 *                     documents open on the connection; 4508 no sync step 1 in time; 1011 storage.
 *             What concerns the token or the socket closes the whole socket, every document with it:
 *             4401 revoked or expired token, 4400 a malformed envelope (no name, unknown type, a text
 *             frame), 1009 an oversized frame, 4529 a peer that stops reading or floods with frames
 *             for no open document, 4508 no open within the handshake deadline, 1001 shutdown.
 * The client's y-websocket providers see each document as a socket of its own: 4400–4499 stop that
 * document, anything else is retried with backoff. One close of the socket is one reconnect, not
 * one per document, and reopening resends each document's state vector, so a reconnect costs one
 * round trip and carries only what changed.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { envelopePrefix, messageClose, messageOpen, readEnvelope } from '../core/sync/multiplex-wire.ts';

export { MULTIPLEX_SUBPROTOCOL, encodeClose, envelope, envelopePrefix } from '../core/sync/multiplex-wire.ts';

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

/** A multiplexed frame: a control message, or a document's message for its connection to parse. */
export type EnvelopedFrame =
  | { kind: 'open'; doc: string }
  | { kind: 'leave'; doc: string }
  | { kind: 'message'; doc: string; message: Uint8Array };

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** Decode a multiplexed frame's envelope (not the document's message), or throw `MalformedFrame`. */
export function parseEnvelope(data: Uint8Array): EnvelopedFrame {
  let read;
  try {
    read = readEnvelope(data);
  } catch (error) {
    throw new MalformedFrame(`truncated envelope (${(error as Error).message})`);
  }
  const { doc, type, decoder, prefixLength } = read;
  if (type === messageOpen || type === messageClose) {
    if (decoding.hasContent(decoder)) throw new MalformedFrame('trailing bytes after message');
    // Answers name the document with the bytes the client sent: a name that is not valid UTF-8
    // would come back as something else.
    if (type === messageOpen && !sameBytes(envelopePrefix(doc), data.subarray(0, prefixLength))) {
      throw new MalformedFrame('document name is not UTF-8');
    }
    return { kind: type === messageOpen ? 'open' : 'leave', doc };
  }
  if (type > messageQueryAwareness) throw new MalformedFrame(`unknown message type ${type}`);
  return { kind: 'message', doc, message: data.subarray(prefixLength) };
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

/** A sync message of type `sub` (step 1, step 2, update) carrying `payload`. */
const syncFrame = (sub: number, payload: Uint8Array): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, messageSync);
    encoding.writeVarUint(e, sub);
    encoding.writeVarUint8Array(e, payload);
  });

export const encodeSyncStep1 = (stateVector: Uint8Array): Uint8Array => syncFrame(syncStep1, stateVector);
export const encodeSyncStep2 = (update: Uint8Array): Uint8Array => syncFrame(syncStep2, update);
export const encodeUpdate = (update: Uint8Array): Uint8Array => syncFrame(syncUpdate, update);

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
  /**
   * An update the server could not apply or load again (nested too deep, throws when applied,
   * too many clientIDs): resending it would fail the same way.
   */
  unprocessable: 4422,
  /** The document reached its size cap: writes to it cannot succeed until an administrator acts. */
  documentFull: 4413,
  /** Too many messages or bytes per second: back off and retry later. */
  rateLimited: 4529,
  /** The client did not start syncing in time: transient, retry. */
  handshakeTimeout: 4508,
  /** Storage failed: transient from the client's point of view. */
  internal: 1011,
  /** Server shutting down: reconnect later. */
  goingAway: 1001,
  /** Multiplexed connections: no grant on this document (a per-document socket gets HTTP 403). */
  forbidden: 4403,
} as const;
