/**
 * A WebSocket of an authenticated client, whatever it carries: sending with backpressure, closing,
 * the heartbeat, socket errors and text frames. `openDocumentSocket` makes one carry one document
 * (the y-websocket protocol, stock clients); multiplex.ts makes one carry many.
 */
import type { WebSocket } from 'ws';
import type { Access } from './auth.ts';
import { Connection, type ConnectionContext, type Link } from './connection.ts';
import type { RefusalReason } from './metrics.ts';
import { closeCodes } from './protocol.ts';
import type { TokenPayload } from './token.ts';

let nextSocketId = 1;

/** What the server does with every socket: sweep (revocation, expiry), heartbeat, shutdown. */
export interface ClientSocket {
  readonly id: number;
  readonly token: TokenPayload;
  readonly isOpen: boolean;
  close(code: number, reason: string, refusal?: RefusalReason): void;
  heartbeat(): void;
}

/** Where a socket's frames go: a `Connection` (one document), or the multiplexer. */
export interface FrameSink {
  /** A binary frame, in arrival order. */
  receive(data: Uint8Array): void;
  /** The socket is gone (closed by either side, or dropped). Called once. */
  end(): void;
}

export class PeerSocket implements ClientSocket {
  readonly id = nextSocketId++;
  private closed = false;
  private awaitingPong = false;
  private sink: FrameSink | null = null;

  constructor(
    private readonly ws: WebSocket,
    readonly token: TokenPayload,
    private readonly context: ConnectionContext,
  ) {
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (this.closed) return;
      if (!isBinary) return this.close(closeCodes.malformed, 'text frames are not part of the protocol', 'malformed');
      this.sink?.receive(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    });
    ws.on('close', () => this.detach());
    ws.on('pong', () => {
      this.awaitingPong = false;
    });
    ws.on('error', (error) => {
      // ws closes with 1009 itself when a frame exceeds maxPayload.
      const oversized = /max payload/iu.test(error.message);
      this.refuse(oversized ? 'oversized' : 'malformed', error.message);
      this.detach();
    });
    context.metrics.connections++;
  }

  /** Frames go to `sink` from now on (set once, right after construction). */
  handle(sink: FrameSink): void {
    this.sink = sink;
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  send(frame: Uint8Array): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    // A peer that stopped reading must not make the server buffer without bound.
    if (this.ws.bufferedAmount > this.context.limits.maxBufferedBytes) {
      this.close(closeCodes.rateLimited, 'not reading', 'rate-limit');
      return;
    }
    this.ws.send(frame);
  }

  refuse(reason: RefusalReason, detail: string, doc?: string): void {
    this.context.metrics.refuse(reason);
    this.context.log.warn('refused', {
      reason,
      detail,
      ...(doc !== undefined ? { doc } : {}),
      user: this.token.sub,
      conn: this.id,
    });
  }

  close(code: number, reason: string, refusal?: RefusalReason): void {
    if (this.closed) return;
    if (refusal) this.refuse(refusal, reason);
    this.ws.close(code, reason);
    // ws waits 30 s for the peer's close frame, reading all a flooder sends meanwhile.
    const deadline = setTimeout(() => this.ws.terminate(), this.context.limits.closeTimeoutMs);
    deadline.unref();
    this.ws.once('close', () => clearTimeout(deadline));
    this.detach();
  }

  /** Close without the closing handshake (shutdown, dead peers). */
  terminate(): void {
    this.ws.terminate();
    this.detach();
  }

  /** Called every ping interval: a peer that did not answer the previous ping is dead. */
  heartbeat(): void {
    if (this.closed) return;
    if (this.awaitingPong) return this.terminate();
    this.awaitingPong = true;
    this.ws.ping();
  }

  private detach(): void {
    if (this.closed) return;
    this.closed = true;
    this.context.metrics.connections--;
    this.sink?.end();
  }
}

/**
 * A socket for one document (the URL's): a stock y-websocket client, or a client falling back. The
 * socket is its connection's link and the connection its sink: a thousand idle stock clients cost
 * no more than the two objects each.
 */
class DocumentSocket extends PeerSocket implements Link {
  readonly multiplexed = false;

  get socketId(): number {
    return this.id;
  }
}

export function openDocumentSocket(
  ws: WebSocket,
  token: TokenPayload,
  access: Access,
  docName: string,
  context: ConnectionContext,
): ClientSocket {
  const socket = new DocumentSocket(ws, token, context);
  socket.handle(new Connection(socket, token, access, docName, context));
  return socket;
}
