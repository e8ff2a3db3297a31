import {
  MULTIPLEX_SUBPROTOCOL,
  encodeLeave,
  encodeOpen,
  messageClose,
  readClose,
  readEnvelope,
} from './multiplex-wire.ts';
import { definitiveRefusal } from './refusal.ts';

/**
 * The one WebSocket a token's documents share (multiplex.ts), kept apart from the channels that
 * stand in for a socket per document: this side knows the wire (opens, leaves, envelopes), the
 * reconnect policy while the server cannot be reached (one attempt at a time, exponential backoff
 * with jitter) and how the server's answer to the first attempt decides the transport. The
 * channels it serves see none of that, only the events a socket of their own would give them.
 */

/** What the shared socket needs of a channel: the document it is for, and the events it relays. */
export interface ChannelEnd {
  readonly url: string;
  readonly doc: string;
  readonly prefix: Uint8Array;
  opened(): void;
  attemptFailed(error: unknown): void;
  deliver(message: Uint8Array): void;
  closedBy(code: number, reason: string, error?: unknown): void;
  goDirect(): void;
}

/** What the shared socket needs of the connection that owns it (multiplex.ts). */
export interface SharedSocketHost {
  readonly RealSocket: typeof WebSocket;
  /** Upper bound of the wait between attempts. */
  readonly maxBackoffTime: number;
  /** Source of the jitter. */
  readonly random: () => number;
  /** The server selected the multiplexing subprotocol. */
  multiplexed(): void;
  /** The server does not multiplex: every document gets a socket of its own from now on. */
  fallBack(): void;
  /** This socket stopped: the owner forgets it, unless a newer one has taken its key. */
  forget(key: string, socket: SharedSocket): void;
}

/** The wait before attempt `attempt` (1, 2, …): half of the exponential step fixed, half random. */
export function backoffDelay(attempt: number, maxBackoffTime: number, random: () => number): number {
  const step = Math.min(maxBackoffTime, 100 * 2 ** attempt);
  return step / 2 + random() * (step / 2);
}

/** The shared socket of one token, and the channels waiting for it or open on it. */
export class SharedSocket {
  private ws: WebSocket | null = null;
  private state: 'idle' | 'connecting' | 'open' | 'waiting' = 'idle';
  private readonly channels = new Map<string, ChannelEnd>();
  private attempts = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastError: unknown;
  /** Why the server is out of reach (the last failed attempt, or the drop) until the socket opens again. */
  private failure: unknown;

  constructor(
    private readonly host: SharedSocketHost,
    private readonly key: string,
    private readonly protocols: string[],
  ) {}

  /** Open the socket ahead of its documents (see `preconnect`). */
  start(url: string): void {
    if (this.state === 'idle') this.connect(url);
  }

  attach(channel: ChannelEnd): void {
    // One channel per document: a second one replaces the first (whose provider reconnects).
    this.channels.get(channel.doc)?.closedBy(1000, 'replaced by a newer connection of this document');
    this.channels.set(channel.doc, channel);
    if (this.state === 'open') {
      this.ws!.send(encodeOpen(channel.prefix));
      // After the constructor returns: y-websocket sets its handlers on the new socket first.
      queueMicrotask(() => channel.opened());
    } else if (this.state === 'idle') {
      this.connect(channel.url);
    }
    // After the constructor returns, as above: a document that starts waiting now is offline too.
    const failure = this.failure;
    if (failure !== undefined) queueMicrotask(() => channel.attemptFailed(failure));
  }

  detach(channel: ChannelEnd): void {
    if (this.channels.get(channel.doc) !== channel) return;
    this.channels.delete(channel.doc);
    if (this.state === 'open') this.ws!.send(encodeLeave(channel.prefix));
    if (this.channels.size === 0) this.stop();
  }

  send(frame: Uint8Array): void {
    if (this.state === 'open') this.ws!.send(frame);
  }

  retryNow(): void {
    if (this.state !== 'waiting') return;
    clearTimeout(this.timer);
    this.state = 'idle';
    const next = this.channels.values().next().value;
    if (next) this.connect(next.url);
  }

  /** No channel left (or the connection closes): close the socket, forget pending attempts. */
  stop(): void {
    clearTimeout(this.timer);
    const ws = this.ws;
    this.ws = null;
    this.state = 'idle';
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = null;
      ws.onerror = () => undefined;
      ws.close();
    }
    this.host.forget(this.key, this);
  }

  /** The server does not multiplex: every channel gets a socket of its own. */
  dissolve(): void {
    const channels = [...this.channels.values()];
    this.channels.clear();
    this.stop();
    for (const channel of channels) channel.goDirect();
  }

  /** The URL of any document the client needs: a server without multiplexing answers as for that document. */
  private connect(url: string): void {
    this.state = 'connecting';
    this.lastError = undefined;
    let ws: WebSocket;
    try {
      ws = new this.host.RealSocket(url, [...this.protocols, MULTIPLEX_SUBPROTOCOL]);
    } catch (error) {
      this.lastError = error;
      return this.retryLater();
    }
    this.ws = ws;
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => {
      if (ws.protocol !== MULTIPLEX_SUBPROTOCOL) return this.host.fallBack();
      this.host.multiplexed();
      this.state = 'open';
      this.failure = undefined;
      // Every waiting document in one flight: open, then (from its provider) its step 1.
      const waiting = [...this.channels.values()];
      for (const channel of waiting) ws.send(encodeOpen(channel.prefix));
      for (const channel of waiting) channel.opened();
    };
    ws.onmessage = (event: MessageEvent) => {
      // The server answered something: the socket works, so the next drop starts the backoff over.
      this.attempts = 0;
      this.route(new Uint8Array(event.data as ArrayBuffer));
    };
    ws.onerror = (event) => {
      this.lastError = event;
    };
    ws.onclose = (event) => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.state === 'open') return this.dropped(event);
      const refusal = definitiveRefusal(this.lastError);
      // A server that multiplexes never refuses the probe's document: this one does not multiplex.
      if (refusal === 403) return this.host.fallBack();
      if (refusal === 401) return this.refused(event);
      this.retryLater();
    };
  }

  private route(bytes: Uint8Array): void {
    let read;
    try {
      read = readEnvelope(bytes);
    } catch {
      return; // not ours to fix; the document's own checks (state vectors) resync it
    }
    const channel = this.channels.get(read.doc);
    if (!channel) return; // it crossed our leave on the wire
    if (read.type === messageClose) {
      this.channels.delete(read.doc);
      const { code, reason } = readClose(read.decoder);
      return channel.closedBy(code, reason);
    }
    channel.deliver(bytes.subarray(read.prefixLength));
  }

  /** An open socket closed: every document closes with its code; their providers come back. */
  private dropped(event: CloseEvent): void {
    const channels = [...this.channels.values()];
    this.channels.clear();
    this.failure = event;
    this.attempts += 1;
    this.wait();
    for (const channel of channels) channel.closedBy(event.code, event.reason);
  }

  /** The token was refused (401, seen by Node clients only): every waiting document learns why. */
  private refused(event: CloseEvent): void {
    const channels = [...this.channels.values()];
    this.channels.clear();
    this.stop();
    for (const channel of channels) channel.closedBy(event.code, event.reason, this.lastError);
  }

  /** An attempt failed (refused, 5xx, unreachable): the waiting documents hear it, the socket retries. */
  private retryLater(): void {
    this.ws = null;
    this.attempts += 1;
    this.failure = this.lastError ?? { type: 'error', message: 'the shared connection could not be opened' };
    this.wait();
    for (const channel of [...this.channels.values()]) channel.attemptFailed(this.failure);
  }

  private wait(): void {
    this.state = 'waiting';
    clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        this.state = 'idle';
        const next = this.channels.values().next().value;
        if (next) this.connect(next.url);
      },
      backoffDelay(this.attempts, this.host.maxBackoffTime, this.host.random),
    );
  }
}
