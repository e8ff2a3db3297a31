/**
 * Documents in memory: loaded from storage on first connect, shared by every connection to the
 * same name, unloaded (memory freed, log compacted into a snapshot) once nobody has been
 * connected for `idleUnloadMs`.
 *
 * The write path is the one place where durability is decided, in this order: commit to
 * storage (awaited; group commit per event-loop turn) → apply to the in-memory Y.Doc → broadcast
 * (one merged frame per peer per commit).
 * So the in-memory state, and therefore every state vector and every broadcast the server
 * sends, only ever contains data that is already on disk.
 *
 * Writes by other processes (the CLI's `import`) are picked up by `pullExternalChanges`, which
 * follows the storage's sequence numbers and skips the ones this process wrote itself.
 */
import { removeAwarenessStates } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Logger } from './log.ts';
import type { Metrics } from './metrics.ts';
import type { Health } from './health.ts';
import { replayStored } from './replay.ts';
import { type Peer, SharedDocument, dailyWindowMs } from './shared-document.ts';
import type { Cursor, Revocation, Storage, StoredChange, UpdateToCommit } from './storage/types.ts';

interface PendingWrite {
  doc: SharedDocument;
  update: UpdateToCommit;
  from: Peer;
  /** With the update's storage sequence number. */
  resolve(seq: number): void;
  reject(error: unknown): void;
}

export interface RegistryOptions {
  storage: Storage;
  metrics: Metrics;
  log: Logger;
  /** Unload a document this long after its last connection left. */
  idleUnloadMs: number;
  /** Compact a loaded document's log into a snapshot after this many updates. */
  compactEvery: number;
  /** Where damage found while loading is reported. */
  health?: Health;
  /** Other instances sharing the store (pubsub.ts): told what this one loads, unloads and commits. */
  fanout?: FanoutHooks;
}

export interface FanoutHooks {
  loaded(doc: SharedDocument): void;
  unloaded(name: string): void;
  committed(doc: string, seq: number, update: Uint8Array): void;
}

/** A store shared by several instances refused the write: a clientID in it is another user's. */
export class ClientIdTaken extends Error {}

export class DocumentRegistry {
  private readonly docs = new Map<string, SharedDocument>();
  private readonly loading = new Map<string, Promise<SharedDocument>>();
  /** Storage position up to which every change is reflected in memory. */
  private cursor: Cursor = { seq: 0, revocation: 0 };
  /** Sequence numbers this process wrote beyond the cursor (skipped when pulling). */
  private readonly ownSeqs = new Set<number>();
  /** Changes seen for documents while they load, applied once they have (a load may read too early for them). */
  private readonly loadingChanges = new Map<string, StoredChange[]>();

  constructor(private readonly options: RegistryOptions) {}

  async start(): Promise<void> {
    this.cursor = await this.options.storage.cursor();
  }

  get loadedCount(): number {
    return this.docs.size;
  }

  loaded(name: string): SharedDocument | undefined {
    return this.docs.get(name);
  }

  /** Join `peer` to the document, loading it first if needed. */
  async open(name: string, peer: Peer): Promise<SharedDocument> {
    const doc = this.docs.get(name) ?? (await this.load(name));
    if (doc.unloadTimer !== null) {
      clearTimeout(doc.unloadTimer);
      doc.unloadTimer = null;
    }
    doc.peers.add(peer);
    return doc;
  }

  /** Remove `peer`, clear its presence, and schedule the unload if it was the last one. */
  leave(doc: SharedDocument, peer: Peer): void {
    if (!doc.peers.delete(peer)) return;
    if (peer.awarenessIds.size > 0) removeAwarenessStates(doc.awareness, [...peer.awarenessIds], peer);
    this.scheduleUnload(doc);
  }

  /**
   * The write path: durable first, then in memory, then to the other peers. Resolves once the
   * update is applied and sent. Writes arriving in the same turn of the event loop are
   * committed together (one transaction) and go to each peer as one merged frame.
   */
  commit(doc: SharedDocument, update: UpdateToCommit, from: Peer): Promise<number> {
    doc.pending++;
    return new Promise((resolve, reject) => {
      this.writes.push({ doc, update, from, resolve, reject });
      if (this.writes.length === 1) {
        setImmediate(() => {
          this.flushWrites().catch((error: Error) =>
            this.options.log.error('write batch failed', { error: error.message }),
          );
        });
      }
    });
  }

  private writes: PendingWrite[] = [];

  private async flushWrites(): Promise<void> {
    const batch = this.writes;
    this.writes = [];
    const started = performance.now();
    let seqs: number[];
    try {
      seqs = await this.options.storage.commitUpdates(batch.map((write) => write.update));
    } catch (error) {
      this.options.health?.report({ kind: 'storage-error', detail: `commit failed: ${(error as Error).message}` });
      for (const write of batch) {
        write.doc.pending--;
        write.doc.guard.lost(write.update.data);
        write.reject(error);
      }
      return;
    }
    const seconds = (performance.now() - started) / 1000;
    const touched = new Set<SharedDocument>();
    batch.forEach((write, index) => {
      const { doc } = write;
      const seq = seqs[index] ?? 0;
      doc.pending--;
      if (seq <= 0) {
        doc.guard.lost(write.update.data);
        write.reject(new ClientIdTaken(`a clientID in this update is bound to another user in ${doc.name}`));
        return;
      }
      this.options.fanout?.committed(doc.name, seq, write.update.data);
      this.options.metrics.observePersist(seconds);
      this.noteOwnWrite(seq);
      doc.storedBytes += write.update.data.byteLength;
      doc.guard.stored(write.update.data);
      try {
        Y.applyUpdate(doc.ydoc, write.update.data, write.from);
      } catch (error) {
        // The guard applied it to the staging copy first, so this cannot happen; if it does, the
        // loader will skip the row (and say so).
        write.reject(error);
        return;
      }
      doc.lastSeq = Math.max(doc.lastSeq, seq);
      doc.logLength++;
      doc.outbox.push({ update: write.update.data, from: write.from });
      touched.add(doc);
    });
    for (const doc of touched) doc.flushOutbox();
    batch.forEach((write, index) => {
      if ((seqs[index] ?? 0) > 0) write.resolve(seqs[index]!);
    });
    for (const doc of touched) {
      if (doc.logLength >= this.options.compactEvery) {
        await this.compact(doc).catch((error: Error) => {
          this.options.log.error('compaction failed', { doc: doc.name, error: error.message });
        });
      }
      if (doc.peers.size === 0) this.scheduleUnload(doc);
    }
  }

  /**
   * Apply writes made by other processes to the loaded documents and broadcast them; return
   * new revocations for the caller to enforce.
   */
  async pullExternalChanges(): Promise<Revocation[]> {
    const revocations: Revocation[] = [];
    for (;;) {
      const changes = await this.options.storage.changesSince(this.cursor);
      revocations.push(...changes.revocations);
      const last = changes.revocations.at(-1);
      if (last) this.cursor = { ...this.cursor, revocation: last.id };
      // The same snapshot may stand for several folded rows (postgres.ts): apply it once.
      const seen = new Set<Uint8Array>();
      for (const change of changes.updates) {
        if (change.seq <= this.cursor.seq) continue;
        this.cursor = { ...this.cursor, seq: change.seq };
        if (this.ownSeqs.delete(change.seq) || seen.has(change.data)) continue;
        seen.add(change.data);
        this.applyChange(change);
      }
      for (const seq of this.ownSeqs) if (seq <= this.cursor.seq) this.ownSeqs.delete(seq);
      if (changes.updates.length < 10_000) return revocations;
    }
  }

  /**
   * An update another instance committed (pubsub.ts), ahead of `pullExternalChanges`: applied and
   * broadcast now, and skipped when the pull reaches its `seq`.
   */
  applyRemote(change: StoredChange): void {
    if (change.seq <= this.cursor.seq || this.ownSeqs.has(change.seq)) return;
    if (!this.docs.has(change.doc) && !this.loadingChanges.has(change.doc)) return; // the pull moves the cursor past it
    this.ownSeqs.add(change.seq);
    this.applyChange(change);
  }

  private applyChange(change: StoredChange): void {
    const doc = this.docs.get(change.doc);
    if (!doc) {
      this.loadingChanges.get(change.doc)?.push(change);
      return; // otherwise loaded from storage, with this change, when someone opens it
    }
    try {
      Y.applyUpdate(doc.ydoc, change.data, 'storage');
      doc.guard.external(change.data);
      doc.storedBytes += change.data.byteLength;
      doc.lastSeq = Math.max(doc.lastSeq, change.seq);
      doc.logLength++;
      doc.outbox.push({ update: change.data, from: null });
      // Changes of one turn (a burst from Redis, a page of the poll) go to each peer as one frame.
      if (this.outboxes.size === 0) setImmediate(() => this.flushOutboxes());
      this.outboxes.add(doc);
    } catch (error) {
      this.options.log.error('stored update from another process does not apply', {
        doc: change.doc,
        seq: change.seq,
        error: (error as Error).message,
      });
    }
  }

  private readonly outboxes = new Set<SharedDocument>();

  private flushOutboxes(): void {
    for (const doc of this.outboxes) doc.flushOutbox();
    this.outboxes.clear();
  }

  /** Compact and unload everything: the last step of a graceful shutdown. */
  async closeAll(): Promise<void> {
    await this.pullExternalChanges();
    for (const doc of [...this.docs.values()]) await this.unload(doc);
  }

  private async load(name: string): Promise<SharedDocument> {
    const inFlight = this.loading.get(name);
    if (inFlight) return inFlight;
    this.loadingChanges.set(name, []);
    const promise = (async () => {
      let stored;
      try {
        stored = await this.options.storage.loadDocument(name);
        const late = this.loadingChanges.get(name) ?? [];
        const known = new Set(stored.updates.map((update) => update.seq));
        stored.updates.push(...late.filter((change) => !known.has(change.seq)));
      } catch (error) {
        this.options.health?.report({
          kind: 'storage-error',
          doc: name,
          detail: `loading failed: ${(error as Error).message}`,
        });
        throw error;
      }
      // Update by update: a stored update that does not apply is skipped, reported and kept aside,
      // and never takes the rest of the document with it (replay.ts).
      const { ydoc, skipped } = replayStored(stored);
      for (const bad of skipped) {
        this.options.log.error('stored update does not apply', { doc: name, seq: bad.seq, error: bad.error });
        this.options.health?.report({ kind: 'unreadable-update', doc: name, seq: bad.seq, detail: bad.error });
      }
      if (skipped.length > 0) {
        await this.options.storage.quarantine(name, skipped).catch((error: Error) => {
          this.options.log.error('quarantine failed', { doc: name, error: error.message });
        });
      }
      const doc = new SharedDocument(name, stored.bindings, ydoc);
      const now = Date.now();
      for (const [user, bytes] of await this.options.storage.bytesAddedSince(name, now - dailyWindowMs))
        doc.noteAdded(user, bytes, now);
      doc.storedBytes =
        (stored.snapshot?.byteLength ?? 0) + stored.updates.reduce((sum, update) => sum + update.data.byteLength, 0);
      doc.logLength = stored.updates.length;
      doc.lastSeq = Math.max(0, ...stored.updates.map((update) => update.seq));
      this.docs.set(name, doc);
      this.options.fanout?.loaded(doc);
      this.options.metrics.documentsLoaded = this.docs.size;
      this.options.metrics.documentLoadsTotal++;
      return doc;
    })();
    this.loading.set(name, promise);
    try {
      return await promise;
    } finally {
      this.loading.delete(name);
      this.loadingChanges.delete(name);
    }
  }

  private noteOwnWrite(seq: number): void {
    // Contiguous with the cursor: nobody else wrote in between, so the cursor can move on.
    if (seq === this.cursor.seq + 1) this.cursor = { ...this.cursor, seq };
    else this.ownSeqs.add(seq);
  }

  private async compact(doc: SharedDocument): Promise<void> {
    // Only through what is certainly in memory: rows of other processes past the cursor stay.
    const throughSeq = Math.min(doc.lastSeq, this.cursor.seq);
    if (throughSeq <= 0) return;
    const snapshot = Y.encodeStateAsUpdate(doc.ydoc);
    await this.options.storage.compact(doc.name, snapshot, throughSeq);
    doc.logLength = 0;
    doc.storedBytes = snapshot.byteLength;
  }

  private scheduleUnload(doc: SharedDocument): void {
    if (doc.peers.size > 0 || doc.unloadTimer !== null) return;
    doc.unloadTimer = setTimeout(() => {
      doc.unloadTimer = null;
      if (doc.peers.size > 0) return;
      if (doc.pending > 0) return this.scheduleUnload(doc);
      this.unload(doc).catch((error: Error) => {
        this.options.log.error('unload failed', { doc: doc.name, error: error.message });
      });
    }, this.options.idleUnloadMs);
    doc.unloadTimer.unref();
  }

  private async unload(doc: SharedDocument): Promise<void> {
    if (doc.unloadTimer !== null) clearTimeout(doc.unloadTimer);
    doc.unloadTimer = null;
    if (this.docs.get(doc.name) !== doc) return;
    this.docs.delete(doc.name);
    this.options.fanout?.unloaded(doc.name);
    this.options.metrics.documentsLoaded = this.docs.size;
    try {
      if (doc.logLength > 0) await this.compact(doc);
    } finally {
      doc.destroy();
      this.options.metrics.documentUnloadsTotal++;
    }
  }
}
