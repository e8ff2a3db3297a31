/**
 * One loaded document: its Y.Doc (only ever what is stored, see documents.ts), presence, the
 * update guard's staging copy, the peers connected to it, and the per-peer merge of what goes out
 * to them. The registry (documents.ts) loads, writes and unloads these.
 */
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { encodeAwareness, encodeUpdate } from './protocol.ts';
import { StagedDocument } from './update-guard.ts';

/** The window of the per-user daily share (update-guard.ts): bytes added count for this long. */
export const dailyWindowMs = 24 * 3600 * 1000;

/** What the registry needs from a connection. */
export interface Peer {
  readonly user: string;
  /** Awareness clientIDs this connection has set (and may update or remove). */
  readonly awarenessIds: Set<number>;
  send(frame: Uint8Array): void;
}

export class SharedDocument {
  readonly awareness: Awareness;
  /** The durable state plus writes accepted but not yet stored: what the update guard checks against. */
  readonly guard: StagedDocument;
  /** Bytes this document holds in storage (snapshot and log since), for the size cap. */
  storedBytes = 0;
  /** Per user: bytes added in the current 24-hour window and when it started (update-guard.ts). */
  private readonly added = new Map<string, { since: number; bytes: number }>();
  readonly peers = new Set<Peer>();
  /** Log entries stored since the last snapshot, to decide when to compact. */
  logLength = 0;
  /** Highest storage sequence number applied to `ydoc`. */
  lastSeq = 0;
  /** Writes in flight: a document is never unloaded under them. */
  pending = 0;
  unloadTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly name: string,
    /** clientID → user id, see attribution.ts. */
    readonly bindings: Map<number, string>,
    /** Only ever holds what is stored (see the write path). */
    readonly ydoc: Y.Doc = new Y.Doc({ gc: true }),
  ) {
    this.awareness = new Awareness(ydoc);
    this.guard = new StagedDocument(ydoc);
    // The server has no presence of its own.
    this.awareness.setLocalState(null);
    this.awareness.on('update', ({ added, updated, removed }: AwarenessChange) => {
      const changed = added.concat(updated, removed);
      // Echo to the sender too: y-websocket's watchdog counts its own presence coming back as
      // a sign of life, and the reference server does the same.
      this.broadcast(encodeAwareness(encodeAwarenessUpdate(this.awareness, changed)));
    });
  }

  /** Bytes `user` added to this document in the current 24-hour window. */
  addedToday(user: string, now: number): number {
    const entry = this.added.get(user);
    return entry === undefined || now - entry.since >= dailyWindowMs ? 0 : entry.bytes;
  }

  noteAdded(user: string, bytes: number, now: number): void {
    const entry = this.added.get(user);
    if (entry === undefined || now - entry.since >= dailyWindowMs) this.added.set(user, { since: now, bytes });
    else entry.bytes += bytes;
  }

  broadcast(frame: Uint8Array, except?: Peer): void {
    for (const peer of this.peers) if (peer !== except) peer.send(frame);
  }

  /** Updates applied but not yet sent to the peers (see `DocumentRegistry.flushWrites`). */
  outbox: { update: Uint8Array; from: Peer | null }[] = [];

  /**
   * Send the outbox: one frame per peer whatever the number of updates (merged), without the
   * peer's own updates. Under load this turns N frames per peer into one.
   */
  flushOutbox(): void {
    const items = this.outbox;
    this.outbox = [];
    if (items.length === 0) return;
    if (items.length === 1) return this.broadcast(encodeUpdate(items[0]!.update), items[0]!.from ?? undefined);
    const senders = new Set(items.map((item) => item.from));
    const toEveryone = encodeUpdate(Y.mergeUpdates(items.map((item) => item.update)));
    for (const peer of this.peers) {
      if (!senders.has(peer)) {
        peer.send(toEveryone);
        continue;
      }
      const others = items.filter((item) => item.from !== peer).map((item) => item.update);
      if (others.length > 0) peer.send(encodeUpdate(others.length === 1 ? others[0]! : Y.mergeUpdates(others)));
    }
  }

  destroy(): void {
    this.awareness.destroy();
    this.guard.destroy();
    this.ydoc.destroy();
  }
}

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}
