import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/**
 * The envelope of the multiplexed connection: many documents over one WebSocket. Shared by the
 * sync client (multiplex.ts) and the server (sync-server/multiplex.ts), which parses it strictly.
 * The wire format, what closes a document and what closes the socket, are explained once, in
 * sync-server/protocol.ts and sync-server/README.md ("Multiplexed connections").
 *
 * Every binary frame is `varString document name` followed by one message: either a standard
 * y-websocket message of that document (type 0–3), or one of the two below.
 */

/** Offered next to `dossierlens` (and `auth.<token>`); a server that multiplexes selects it. */
export const MULTIPLEX_SUBPROTOCOL = 'dossierlens.mux.1';

/** Client → server, no payload: start this document (answered like a per-document socket's upgrade). */
export const messageOpen = 100;
/**
 * Client → server, no payload: leave this document. Server → client, `varUint code, varString
 * reason`: this document is closed for you, with the close code a per-document socket would get.
 */
export const messageClose = 101;

/** The bytes every frame of `doc` starts with (its name as a varString). */
export function envelopePrefix(doc: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, doc);
  return encoding.toUint8Array(encoder);
}

/** `message` (a y-websocket message, type first) wrapped for the document `prefix` names. */
export function envelope(prefix: Uint8Array, message: Uint8Array): Uint8Array {
  const out = new Uint8Array(prefix.length + message.length);
  out.set(prefix, 0);
  out.set(message, prefix.length);
  return out;
}

export const encodeOpen = (prefix: Uint8Array): Uint8Array => envelope(prefix, new Uint8Array([messageOpen]));
export const encodeLeave = (prefix: Uint8Array): Uint8Array => envelope(prefix, new Uint8Array([messageClose]));

export function encodeClose(prefix: Uint8Array, code: number, reason: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeUint8Array(encoder, prefix);
  encoding.writeVarUint(encoder, messageClose);
  encoding.writeVarUint(encoder, code);
  encoding.writeVarString(encoder, reason);
  return encoding.toUint8Array(encoder);
}

export interface Envelope {
  doc: string;
  /** Length of the name prefix: `data.subarray(prefixLength)` is the message. */
  prefixLength: number;
  type: number;
  /** Positioned after the message type. */
  decoder: decoding.Decoder;
}

/** Reads the name and the message type; throws (lib0's errors) on a truncated frame. */
export function readEnvelope(data: Uint8Array): Envelope {
  const decoder = decoding.createDecoder(data);
  const doc = decoding.readVarString(decoder);
  const prefixLength = decoder.pos;
  const type = decoding.readVarUint(decoder);
  return { doc, prefixLength, type, decoder };
}

/** The payload of a server's close message (after the type). */
export function readClose(decoder: decoding.Decoder): { code: number; reason: string } {
  return { code: decoding.readVarUint(decoder), reason: decoding.readVarString(decoder) };
}
