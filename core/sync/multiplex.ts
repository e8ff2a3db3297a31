import { MULTIPLEX_SUBPROTOCOL, envelope, envelopePrefix } from './multiplex-wire.ts';
import { SharedSocket, type SharedSocketHost } from './shared-socket.ts';

export { backoffDelay } from './shared-socket.ts';

/**
 * One WebSocket for every document of a workspace (wire format: sync-server/protocol.ts,
 * "MULTIPLEXED CONNECTIONS"). Browsers make each new socket wait once many are pending (Chromium:
 * a random 1–5 s once 16 are), so a hundred documents with a socket each took seconds to come online.
 *
 * y-websocket stays the sync engine of each document: `SharedConnection.WebSocket` is what it gets
 * as its WebSocket class, and each instance is a *channel*, one document's share of the shared
 * socket, with the events and states of a socket of its own. So each document keeps its own
 * handshake, awareness, reconnect and refusals (a 4403 on one document stops that one only).
 *
 * Against a server without multiplexing (it answers the `dossierlens` subprotocol, or refuses the
 * probe's document with 403) every channel becomes a real socket to its document's URL, for the
 * rest of this connection's life.
 *
 * Reconnecting: when the shared socket closes, every channel closes with its code, and each
 * document's provider comes back after its own short backoff; they all wait for the one socket.
 * While the server cannot be reached, the channels stay open-pending (readyState CONNECTING) and the
 * shared socket alone retries, with exponential backoff and jitter, so a hundred documents cost one
 * attempt at a time and a server coming back is not met by every device at the same instant.
 * Each failed attempt still reaches every waiting channel as an error event, as it would on a
 * socket of its own, and so does a channel that starts waiting after the socket failed or dropped:
 * the document's status then says offline, not connecting (status.ts), without a close that would
 * make its provider back off on its own.
 *
 * This module is the channels and the one shared socket per token they attach to; the socket
 * itself (wire, retries, fallback) is shared-socket.ts.
 */

export interface SharedConnectionOptions {
  /** For Node (the `ws` package) or tests; browsers use the global WebSocket. */
  WebSocketPolyfill?: typeof WebSocket;
  /** Upper bound of the wait between attempts while the server cannot be reached. */
  maxBackoffTime: number;
  /** Source of the jitter (tests). */
  random?: () => number;
}

export type TransportMode = 'multiplexed' | 'per-document';

export interface SharedConnection {
  /** Give this to y-websocket as `WebSocketPolyfill`: one instance per document connection. */
  readonly WebSocket: typeof WebSocket;
  /** How documents travel, once the server has answered (undefined before). */
  mode(): TransportMode | undefined;
  /**
   * Open the shared socket for `url` (a document's URL) and `protocols` now, before any document
   * asks for it: its handshake then overlaps what comes first (reading this device's copies).
   */
  preconnect(url: string, protocols: string[]): void;
  /** Stop waiting for the next attempt and try now (the network came back, the user asked). */
  retryNow(): void;
  /** Close the shared socket and stop; channels made afterwards close at once. */
  close(): void;
}

type Listener<E> = ((event: E) => void) | null;
interface CloseLike {
  code: number;
  reason: string;
  wasClean: boolean;
}

/** The name of the document a y-websocket URL is for (`<server>/<room>[?params]`). */
function documentOf(url: string): string {
  const path = url.split('?')[0]!;
  return path.slice(path.lastIndexOf('/') + 1);
}

export function createSharedConnection(opts: SharedConnectionOptions): SharedConnection {
  const RealSocket = opts.WebSocketPolyfill ?? (globalThis as { WebSocket?: typeof WebSocket }).WebSocket;
  if (!RealSocket) throw new Error('no WebSocket: pass WebSocketPolyfill');
  const random = opts.random ?? Math.random;
  let mode: TransportMode | undefined;
  let closed = false;
  /** One shared socket per token (the token is the socket's; `setToken` moves documents to a new one). */
  const sockets = new Map<string, SharedSocket>();

  const host: SharedSocketHost = {
    RealSocket,
    maxBackoffTime: opts.maxBackoffTime,
    random,
    multiplexed: () => {
      mode = 'multiplexed';
    },
    fallBack: () => {
      mode = 'per-document';
      for (const shared of [...sockets.values()]) shared.dissolve();
      sockets.clear();
    },
    forget: (key, socket) => {
      if (sockets.get(key) === socket) sockets.delete(key);
    },
  };

  class Channel {
    static readonly CONNECTING = 0;
    static readonly OPEN = 1;
    static readonly CLOSING = 2;
    static readonly CLOSED = 3;
    readonly CONNECTING = 0;
    readonly OPEN = 1;
    readonly CLOSING = 2;
    readonly CLOSED = 3;
    binaryType: BinaryType = 'arraybuffer';
    readyState = 0;
    protocol = '';
    onopen: Listener<unknown> = null;
    onmessage: Listener<{ data: ArrayBuffer }> = null;
    onerror: Listener<unknown> = null;
    onclose: Listener<CloseLike> = null;
    readonly doc: string;
    readonly prefix: Uint8Array;
    readonly protocols: string[];
    private direct: WebSocket | undefined;

    constructor(
      readonly url: string,
      protocols?: string | string[],
    ) {
      this.doc = documentOf(url);
      this.prefix = envelopePrefix(this.doc);
      this.protocols = typeof protocols === 'string' ? [protocols] : [...(protocols ?? [])];
      if (closed) {
        queueMicrotask(() => this.closedBy(1001, 'connection closed'));
      } else if (mode === 'per-document') {
        this.goDirect();
      } else {
        const key = this.protocols.join(',');
        let shared = sockets.get(key);
        if (!shared) sockets.set(key, (shared = new SharedSocket(host, key, this.protocols)));
        shared.attach(this);
      }
    }

    send(data: ArrayBufferLike | ArrayBufferView): void {
      if (this.readyState !== 1) return;
      if (this.direct) return this.direct.send(data as ArrayBuffer);
      const bytes =
        data instanceof Uint8Array
          ? data
          : ArrayBuffer.isView(data)
            ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
            : new Uint8Array(data);
      sockets.get(this.protocols.join(','))?.send(envelope(this.prefix, bytes));
    }

    /** Closed by its provider (y-websocket has detached its handlers by then). */
    close(): void {
      if (this.readyState === 3) return;
      this.readyState = 3;
      if (this.direct) return this.direct.close();
      sockets.get(this.protocols.join(','))?.detach(this);
    }

    /** The shared socket is open (or was when this channel came): start the document. */
    opened(): void {
      if (this.readyState !== 0) return;
      this.readyState = 1;
      this.protocol = MULTIPLEX_SUBPROTOCOL;
      this.onopen?.({ type: 'open' });
    }

    /** An attempt of the shared socket failed: said as a socket says it; the channel keeps waiting. */
    attemptFailed(error: unknown): void {
      if (this.readyState === 0) this.onerror?.(error);
    }

    deliver(message: Uint8Array): void {
      if (this.readyState === 1) this.onmessage?.({ data: message.slice().buffer });
    }

    closedBy(code: number, reason: string, error?: unknown): void {
      if (this.readyState === 3) return;
      this.readyState = 3;
      if (error !== undefined) this.onerror?.(error);
      this.onclose?.({ code, reason, wasClean: error === undefined });
    }

    /** A socket of its own to the document's URL: the server does not multiplex. */
    goDirect(): void {
      if (this.readyState === 3) return;
      const protocols = this.protocols.filter((p) => p !== MULTIPLEX_SUBPROTOCOL);
      const ws = new RealSocket!(this.url, protocols);
      this.direct = ws;
      ws.binaryType = 'arraybuffer';
      ws.onopen = (event) => {
        this.readyState = 1;
        this.protocol = ws.protocol;
        this.onopen?.(event);
      };
      ws.onmessage = (event) => this.onmessage?.(event);
      ws.onerror = (event) => this.onerror?.(event);
      ws.onclose = (event) => {
        this.readyState = 3;
        this.onclose?.(event);
      };
    }
  }

  return {
    WebSocket: Channel as unknown as typeof WebSocket,
    mode: () => mode,
    preconnect(url, protocols) {
      if (closed || mode === 'per-document') return;
      const key = protocols.join(',');
      let socket = sockets.get(key);
      if (!socket) sockets.set(key, (socket = new SharedSocket(host, key, protocols)));
      socket.start(url);
    },
    retryNow() {
      for (const shared of sockets.values()) shared.retryNow();
    },
    close() {
      closed = true;
      for (const shared of [...sockets.values()]) shared.stop();
      sockets.clear();
    },
  };
}
