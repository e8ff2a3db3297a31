/**
 * One authenticated peer of one document, and the loop that handles its messages. The same for a
 * per-document socket (socket.ts: stock y-websocket clients) and for one document of a
 * multiplexed socket (multiplex.ts): the socket only carries frames (a `Link`), every rule about
 * the document is here and in the modules this calls.
 *
 * Every message goes through the same steps, in this order:
 *   1. limits      message and byte rate, queue length (limits.ts)      → close 4529
 *   2. parse       the whole message, strictly (protocol.ts)            → close 4400
 *   3. dispatch    sync step 1 → sync.answerSyncStep1
 *                  sync step 2 / update → sync.receiveUpdate (read-only check, then the update
 *                                         guard: clientIDs, nesting, size; then commit → apply
 *                                         → broadcast)                    → close 4422 / 4413
 *                  awareness → presence.receiveAwareness (stamped from the token, capped, binds)
 *                  query awareness → presence.answerAwarenessQuery
 * Messages of one connection are handled in arrival order (a promise chain). Writes are pipelined
 * (see `pipelineWrite`), and any other message waits for the writes before it, so a step 1 sent
 * after an update is answered with a state vector that includes that update.
 * Authentication and authorisation happened before (auth.ts: at the upgrade, or when a
 * multiplexed socket opened the document); revocation and expiry are enforced while connected by
 * the server's sweep (sweep.ts), which closes the socket.
 */
import type { Access } from './auth.ts';
import type { DocumentRegistry } from './documents.ts';
import type { Peer, SharedDocument } from './shared-document.ts';
import { ConnectionLimiter, type Limits } from './limits.ts';
import type { Logger } from './log.ts';
import type { Metrics, RefusalReason } from './metrics.ts';
import { MalformedFrame, closeCodes, messageSync, parseFrame, syncStep1 } from './protocol.ts';
import { answerAwarenessQuery, receiveAwareness } from './presence.ts';
import type { Storage } from './storage/types.ts';
import { answerSyncStep1, receiveUpdate } from './sync.ts';
import type { TokenPayload } from './token.ts';
import type { UpdateLimits } from './update-guard.ts';

export interface ConnectionContext {
  registry: DocumentRegistry;
  storage: Storage;
  metrics: Metrics;
  log: Logger;
  limits: Limits;
  updateLimits: UpdateLimits;
}

/** How a connection's frames reach its client: its own socket, or its share of a multiplexed one. */
export interface Link {
  /** The socket's id, for logs. */
  readonly socketId: number;
  /** One of many documents on the socket: its opening and leaving are logged at debug level. */
  readonly multiplexed: boolean;
  send(frame: Uint8Array): void;
  /** End this connection: the whole socket, or this document's part of a multiplexed one. */
  close(code: number, reason: string): void;
}

export class Connection implements Peer {
  readonly awarenessIds = new Set<number>();
  private presenceSent = false;
  private doc: SharedDocument | null = null;
  private queue: Promise<void>;
  private queued = 0;
  private closed = false;
  private greeted = false;
  private writesInFlight = 0;
  /** Settles when every write received so far is applied (or refused). */
  private writesBefore: Promise<void> = Promise.resolve();
  private readonly limiter: ConnectionLimiter;
  private readonly handshakeTimer: NodeJS.Timeout;

  constructor(
    private readonly link: Link,
    readonly token: TokenPayload,
    readonly access: Access,
    readonly docName: string,
    readonly context: ConnectionContext,
  ) {
    this.limiter = new ConnectionLimiter(context.limits, Date.now());
    // Nothing is handled until the document is loaded; frames queue behind the load.
    this.queue = context.registry.open(docName, this).then(
      (doc) => {
        this.doc = doc;
        if (this.closed) context.registry.leave(doc, this);
      },
      (error: Error) => {
        context.log.error('document load failed', { doc: docName, error: error.message });
        this.close(closeCodes.internal, 'document unavailable', 'storage');
      },
    );
    this.handshakeTimer = setTimeout(() => {
      if (!this.greeted) this.close(closeCodes.handshakeTimeout, 'no sync step 1 in time', 'handshake-timeout');
    }, context.limits.handshakeTimeoutMs);
    this.handshakeTimer.unref();
    context.metrics.openDocuments++;
  }

  get id(): number {
    return this.link.socketId;
  }

  get user(): string {
    return this.token.sub;
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** The document; only called by handlers, which run after the load. */
  document(): SharedDocument {
    if (this.doc === null) throw new Error('document not loaded');
    return this.doc;
  }

  send(frame: Uint8Array): void {
    if (!this.closed) this.link.send(frame);
  }

  /** Count and log a refused message or connection; the caller decides what to answer. */
  refuse(reason: RefusalReason, detail: string): void {
    this.context.metrics.refuse(reason);
    this.context.log.warn('refused', { reason, detail, doc: this.docName, user: this.user, conn: this.id });
  }

  close(code: number, reason: string, refusal?: RefusalReason): void {
    if (this.closed) return;
    if (refusal) this.refuse(refusal, reason);
    this.link.close(code, reason);
    this.end();
  }

  /** One message of this document, as received (the socket has checked that it is binary). */
  receive(data: Uint8Array): void {
    if (this.closed) return;
    this.context.metrics.messagesTotal++;
    // 1. limits
    if (!this.limiter.allow(data.byteLength, Date.now())) {
      return this.close(closeCodes.rateLimited, 'rate limit exceeded', 'rate-limit');
    }
    if (++this.queued + this.writesInFlight > this.context.limits.maxQueuedMessages) {
      return this.close(closeCodes.rateLimited, 'too many messages queued', 'rate-limit');
    }
    // The deadline is for sending step 1, not for our answer (a large document may take a while
    // to load), so it is met on arrival.
    if (!this.greeted && data[0] === messageSync && data[1] === syncStep1) {
      this.greeted = true;
      clearTimeout(this.handshakeTimer);
    }
    this.queue = this.queue
      .then(() => this.handle(data))
      .catch((error: Error) => this.fail(error))
      .finally(() => {
        this.queued--;
      });
  }

  private async handle(bytes: Uint8Array): Promise<void> {
    if (this.closed) return;
    // 2. parse
    const frame = parseFrame(bytes);
    // 3. dispatch
    if (frame.kind === 'sync-step2' || frame.kind === 'sync-update') return this.pipelineWrite(frame.update);
    // Every other answer reflects the writes received before it (the durable ack relies on it).
    await this.writesBefore;
    if (this.closed) return;
    switch (frame.kind) {
      case 'sync-step1':
        answerSyncStep1(this, frame.stateVector);
        // Like the reference server, tell a newcomer who is already here, once: stock clients
        // only renew their presence every 15 s, so without this a colleague who opened the
        // dossier earlier would stay invisible that long.
        if (!this.presenceSent) {
          this.presenceSent = true;
          answerAwarenessQuery(this);
        }
        return;
      case 'awareness':
        return receiveAwareness(this, frame.update);
      case 'query-awareness':
        return answerAwarenessQuery(this);
    }
  }

  /**
   * Writes are pipelined: checked now, then committed together with whatever else arrives in
   * this turn of the event loop (storage group commit), and applied and broadcast in arrival
   * order once on disk. The queue moves on to the next frame without waiting for the disk.
   */
  private pipelineWrite(update: Uint8Array): void {
    this.writesInFlight++;
    const write = receiveUpdate(this, update).then(
      () => {
        this.writesInFlight--;
      },
      (error: Error) => {
        this.writesInFlight--;
        this.fail(error);
      },
    );
    this.writesBefore = Promise.all([this.writesBefore, write]).then(() => undefined);
  }

  private fail(error: Error): void {
    if (error instanceof MalformedFrame) {
      this.close(closeCodes.malformed, error.message.slice(0, 120), 'malformed');
    } else {
      this.context.log.error('message handling failed', {
        doc: this.docName,
        user: this.user,
        conn: this.id,
        error: error.message,
      });
      this.close(closeCodes.internal, 'internal error', 'storage');
    }
  }

  /** Leave the document (its presence goes with it); the socket closed or the client left. */
  end(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.handshakeTimer);
    this.context.metrics.openDocuments--;
    this.context.log[this.link.multiplexed ? 'debug' : 'info']('disconnected', {
      doc: this.docName,
      user: this.user,
      conn: this.id,
    });
    if (this.doc !== null) this.context.registry.leave(this.doc, this);
  }
}
