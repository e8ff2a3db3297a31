import type * as Y from 'yjs';
import * as authProtocol from 'y-protocols/auth';
import { messageAuth, type WebsocketProvider } from 'y-websocket';
import { definitiveRefusal, FORBIDDEN_CLOSE, REFUSAL_REASONS, type RefusalStatus } from './refusal.ts';
import type { DocStatus } from './status.ts';

/**
 * What the sockets and the server have said about one document's connection: whether an attempt
 * has failed since connecting was asked for (so "offline", not "connecting"), whether the server
 * refused or closed it for good (so the provider stops retrying and waiters give up), and the last
 * write it refused. Read off y-websocket's events for synced-doc.ts, which puts these facts
 * together with the confirmation protocol's into the status a user sees (status.ts).
 */
export interface ConnectionState {
  /** Wanted (options, `wanted()`) and no attempt has failed since: "connecting", not "offline". */
  readonly connecting: boolean;
  /** The server closed the connection for good or refused it, until the next connection or `wanted()`. */
  readonly closed: DocStatus['closed'];
  /** The server's last permission-denied answer. */
  readonly denied: string | undefined;
  /** Counts denials so a waiter can tell a new refusal from one that happened before it waited. */
  readonly denials: number;
  /** Connecting is asked for again (before the provider connects): a refusal no longer stands. */
  wanted(): void;
  /** Connecting is no longer wanted (before the provider disconnects). */
  unwanted(): void;
}

export function trackConnection(
  doc: Y.Doc,
  provider: WebsocketProvider,
  opts: {
    connect: boolean;
    /** A fact changed (after it changed). */
    changed: () => void;
    /** A new connection is up (before `changed`). */
    connectedAgain: () => void;
  },
): ConnectionState {
  /** The socket being set up was refused with 401/403 (its 'connection-error' came before its close). */
  let refusal: RefusalStatus | undefined;
  let closed: DocStatus['closed'];
  let denied: string | undefined;
  let denials = 0;
  let wantConnected = opts.connect;
  let attemptFailed = false;

  // A refused upgrade ends like a dropped connection (1006); stop as y-websocket stops on 4400–4499.
  const reconnectAfter = provider.shouldReconnect;
  provider.shouldReconnect = (event, p) => refusal === undefined && reconnectAfter(event, p);

  provider.messageHandlers[messageAuth] = (_encoder, decoder) => {
    authProtocol.readAuthMessage(decoder, doc, (_doc, reason) => {
      denied = reason;
      denials += 1;
      opts.changed();
    });
  };
  provider.on('status', ({ status: s }) => {
    // A new socket: what the last one was refused with no longer applies.
    if (s !== 'disconnected') refusal = undefined;
    if (s === 'connected') {
      attemptFailed = false;
      opts.connectedAgain();
      closed = undefined;
    }
    opts.changed();
  });
  // A failed attempt: a socket of its own (its close follows), or the shared socket, which retries
  // for this document while it waits (multiplex.ts). Either way we are offline now, not connecting.
  // Node (`ws`) only: a refused upgrade's status arrives here too, just before the socket's close.
  provider.on('connection-error', (event) => {
    refusal = definitiveRefusal(event);
    attemptFailed = true;
    opts.changed();
  });
  // Every closed socket, whether it never opened or dropped: from now on we are offline (retrying).
  provider.on('connection-close', () => {
    attemptFailed = true;
    opts.changed();
  });
  provider.on('closed', (event) => {
    // On a multiplexed connection a document without a grant is closed with 4403 (its 403).
    if (refusal === undefined && event.code === FORBIDDEN_CLOSE) refusal = 403;
    closed =
      refusal === undefined
        ? { code: event.code, reason: event.reason }
        : { code: event.code, reason: REFUSAL_REASONS[refusal], httpStatus: refusal };
    refusal = undefined;
    opts.changed();
  });

  return {
    get connecting() {
      return wantConnected && !attemptFailed && closed === undefined;
    },
    get closed() {
      return closed;
    },
    get denied() {
      return denied;
    },
    get denials() {
      return denials;
    },
    wanted() {
      closed = undefined;
      if (!provider.wsconnected) attemptFailed = false;
      wantConnected = true;
    },
    unwanted() {
      wantConnected = false;
    },
  };
}
