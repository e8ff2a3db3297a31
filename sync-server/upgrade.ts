/**
 * Every WebSocket upgrade goes through here, and is checked before the handshake completes:
 * request target, Host and Origin (origins.ts), the token (auth.ts), the document's grant (a
 * per-document socket) and the connection caps (one slot per socket, whatever it carries); it is
 * refused with a plain HTTP 400/401/403/421/429/503 otherwise. An accepted socket carries the
 * document of its URL (socket.ts), or, when the client offers the multiplexed subprotocol, any
 * number of documents it opens, each authorised then (multiplex.ts).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { isDocName } from './access.ts';
import { authenticate, authorize, offersMultiplex, subprotocol, tokenFromRequest } from './auth.ts';
import type { ConnectionContext } from './connection.ts';
import type { ConnectionCounter } from './limits.ts';
import type { RefusalReason } from './metrics.ts';
import { openMultiplexedSocket } from './multiplex.ts';
import { type OriginPolicy, refuseRequest, requestUrl } from './origins.ts';
import { MULTIPLEX_SUBPROTOCOL } from './protocol.ts';
import { type ClientSocket, openDocumentSocket } from './socket.ts';

export interface UpgradeContext {
  /** Accept multiplexed sockets; without, the subprotocol is not echoed and the path must name a document. */
  multiplex: boolean;
  policy: OriginPolicy;
  secret: Buffer;
  counter: ConnectionCounter;
  /** What each accepted socket's documents are served with. */
  connection: ConnectionContext;
  /** The open sockets: added on accept, removed on close. */
  connections: Set<ClientSocket>;
}

type RefusalStatus = 400 | 401 | 403 | 421 | 429 | 503;

const statusText: Record<RefusalStatus, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  421: 'Misdirected Request',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

/** The handler for the HTTP server's 'upgrade' event. */
export function createUpgradeHandler(
  context: UpgradeContext,
): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  const { multiplex, policy, secret, counter, connections } = context;
  const { log, limits, storage, metrics } = context.connection;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: limits.maxFrameBytes,
    perMessageDeflate: false,
    // Echo a protocol name, never the `auth.<token>` entry. Offered the multiplexed protocol, the
    // upgrade below has already decided to accept it (or the server does not multiplex).
    handleProtocols: (protocols) =>
      multiplex && protocols.has(MULTIPLEX_SUBPROTOCOL)
        ? MULTIPLEX_SUBPROTOCOL
        : protocols.has(subprotocol)
          ? subprotocol
          : false,
  });

  const refuseUpgrade = (socket: Duplex, status: RefusalStatus, reason: RefusalReason, detail: string) => {
    metrics.refuse(reason);
    log.warn('upgrade refused', { status, reason, detail });
    const text = statusText[status];
    socket.end(
      `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\n` +
        `Content-Length: ${text.length}\r\n\r\n${text}`,
    );
  };

  /** Complete the handshake; `release` gives the socket's slot back (connection caps) when it ends. */
  const accept = (
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    release: () => void,
    open: (ws: WebSocket) => ClientSocket,
    fields: Record<string, unknown>,
  ) => {
    socket.once('close', release);
    wss.handleUpgrade(req, socket, head, (ws) => {
      const client = open(ws);
      connections.add(client);
      ws.on('close', () => {
        connections.delete(client);
        release();
      });
      log.info('connected', { ...fields, conn: client.id });
    });
  };

  const upgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = requestUrl(req.url);
    const refusal = refuseRequest(policy, req, url);
    if (refusal !== null || url === null) {
      return refuseUpgrade(
        socket,
        refusal?.status ?? 400,
        refusal?.reason ?? 'bad-request',
        refusal?.detail ?? 'request target is not a path',
      );
    }
    let docName: string;
    try {
      docName = decodeURIComponent(url.pathname.slice(1));
    } catch {
      return refuseUpgrade(socket, 400, 'bad-request', 'undecodable path');
    }
    const multiplexed = multiplex && offersMultiplex(req);
    // A multiplexed socket's path names no document (protocol.ts); any document's URL, or `/`, will do.
    if (!isDocName(docName) && !(multiplexed && docName === ''))
      return refuseUpgrade(socket, 400, 'bad-request', 'not a document name');
    const auth = await authenticate(secret, storage, tokenFromRequest(req, url));
    if (!auth.ok)
      return refuseUpgrade(
        socket,
        401,
        auth.reason === 'revoked' ? 'revoked' : auth.reason === 'expired' ? 'expired' : 'unauthorized',
        auth.reason,
      );
    const token = auth.payload;
    const access = multiplexed ? null : authorize(token.grants, docName, token.sub);
    if (!multiplexed && access === null)
      return refuseUpgrade(socket, 403, 'forbidden', `${token.sub} has no grant on ${docName}`);
    // One slot per socket, whatever it carries: a multiplexed socket takes one however many documents it opens.
    const slot = counter.admit(token.sub);
    if (!slot.ok) {
      return slot.full === 'user'
        ? refuseUpgrade(socket, 429, 'connection-limit', `${token.sub} holds too many connections`)
        : refuseUpgrade(socket, 503, 'connection-limit', 'too many connections');
    }
    if (access === null)
      return accept(req, socket, head, slot.release, (ws) => openMultiplexedSocket(ws, token, context.connection), {
        multiplexed: true,
        user: token.sub,
      });
    accept(
      req,
      socket,
      head,
      slot.release,
      (ws) => openDocumentSocket(ws, token, access, docName, context.connection),
      {
        doc: docName,
        user: token.sub,
        role: access.role,
      },
    );
  };

  return (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    upgrade(req, socket, head).catch((error: Error) => {
      log.error('upgrade failed', { error: error.message });
      socket.destroy();
    });
  };
}
