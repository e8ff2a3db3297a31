/**
 * A multiplexed socket: many documents of one authenticated client over one WebSocket (wire
 * format: protocol.ts, "MULTIPLEXED CONNECTIONS"). Each open document is a `Connection` of its own,
 * exactly as if it had its own socket — authorised by the same `authorize`, with its own limits,
 * queue, presence and step-1 deadline — so the rules in sync.ts, presence.ts and documents.ts apply
 * unchanged. This module only routes frames and decides what closes one document and what closes
 * the socket.
 */
import type { WebSocket } from 'ws';
import { isDocName } from './access.ts';
import { authorize } from './auth.ts';
import { Connection, type ConnectionContext, type Link } from './connection.ts';
import { ConnectionLimiter } from './limits.ts';
import type { RefusalReason } from './metrics.ts';
import { MalformedFrame, closeCodes, encodeClose, envelope, envelopePrefix, parseEnvelope } from './protocol.ts';
import { type ClientSocket, PeerSocket } from './socket.ts';
import type { TokenPayload } from './token.ts';

/** A document open on the socket, and the bytes its frames start with. */
interface Channel {
  conn: Connection;
  prefix: Uint8Array;
}

/**
 * Enveloping a broadcast: every multiplexed peer of a document gets the same bytes, so the last
 * frame wrapped is remembered (a broadcast sends one frame to its peers one after the other).
 */
let last: { frame: Uint8Array; doc: string; bytes: Uint8Array } | null = null;

function wrap(doc: string, prefix: Uint8Array, frame: Uint8Array): Uint8Array {
  if (last?.frame !== frame || last.doc !== doc) last = { frame, doc, bytes: envelope(prefix, frame) };
  return last.bytes;
}

export function openMultiplexedSocket(ws: WebSocket, token: TokenPayload, context: ConnectionContext): ClientSocket {
  const socket = new PeerSocket(ws, token, context);
  const channels = new Map<string, Channel>();
  // Frames that reach no open document (opens, leaves, stragglers) are rate limited like the
  // messages of one document: they cost the server work without a document's limiter to pay it.
  const limiter = new ConnectionLimiter(context.limits, Date.now());
  let opened = false;
  const handshake = setTimeout(() => {
    if (!opened) socket.close(closeCodes.handshakeTimeout, 'no document opened in time', 'handshake-timeout');
  }, context.limits.handshakeTimeoutMs);
  handshake.unref();

  const refuse = (doc: string, code: number, reason: string, refusal: RefusalReason, detail = reason) => {
    socket.refuse(refusal, detail, doc.slice(0, 200));
    // The same bytes as the client's (parseEnvelope checked that the name encodes back to them).
    socket.send(encodeClose(envelopePrefix(doc), code, reason));
  };

  const open = (doc: string) => {
    opened = true;
    if (!isDocName(doc)) return refuse(doc, closeCodes.malformed, 'not a document name', 'bad-request');
    const access = authorize(token.grants, doc, token.sub);
    if (access === null)
      return refuse(
        doc,
        closeCodes.forbidden,
        'no grant on this document',
        'forbidden',
        `${token.sub} has no grant on ${doc}`,
      );
    channels.get(doc)?.conn.end();
    channels.delete(doc);
    if (channels.size >= context.limits.maxDocumentsPerConnection) {
      return refuse(doc, closeCodes.rateLimited, 'too many documents open on this connection', 'rate-limit');
    }
    const prefix = envelopePrefix(doc);
    let channel: Channel;
    const link: Link = {
      socketId: socket.id,
      multiplexed: true,
      send: (frame) => {
        if (channels.get(doc) === channel) socket.send(wrap(doc, prefix, frame));
      },
      close: (code, reason) => {
        if (channels.get(doc) !== channel) return;
        channels.delete(doc);
        socket.send(encodeClose(prefix, code, reason));
      },
    };
    channel = { conn: new Connection(link, token, access, doc, context), prefix };
    channels.set(doc, channel);
    context.log.debug('opened', { doc, user: token.sub, role: access.role, conn: socket.id });
  };

  const receive = (data: Uint8Array) => {
    let parsed;
    try {
      parsed = parseEnvelope(data);
    } catch (error) {
      if (!(error instanceof MalformedFrame)) throw error;
      return socket.close(closeCodes.malformed, error.message.slice(0, 120), 'malformed');
    }
    const channel = channels.get(parsed.doc);
    if (parsed.kind === 'message' && channel) return channel.conn.receive(parsed.message);
    context.metrics.messagesTotal++;
    if (!limiter.allow(data.byteLength, Date.now()))
      return socket.close(closeCodes.rateLimited, 'rate limit exceeded', 'rate-limit');
    if (parsed.kind === 'open') return open(parsed.doc);
    if (parsed.kind === 'leave' && channel) {
      channels.delete(parsed.doc);
      channel.conn.end();
    }
    // Otherwise a message for a document that is not open: it crossed a close on the wire.
  };

  socket.handle({
    receive,
    end: () => {
      clearTimeout(handshake);
      for (const { conn } of channels.values()) conn.end();
      channels.clear();
    },
  });
  return socket;
}
