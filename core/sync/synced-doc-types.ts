import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import type { WebsocketProvider } from 'y-websocket';
import type { MigrationOutcome } from '../doc/migrations.ts';
import type { DocKind } from '../doc/names.ts';
import type { Changes } from '../doc/observe.ts';
import type { RecordCipher } from './at-rest.ts';
import type { Authors } from './authors.ts';
import type { DocStatus } from './status.ts';

/**
 * What a synced document is and how one is opened: the options of `openSyncedDoc` and the interface
 * it returns (synced-doc.ts builds it). Apart from the factory so the contract reads in one place,
 * as workspace-types.ts does for the workspace.
 */

export interface SyncedDocOptions {
  name: string;
  kind: DocKind;
  serverUrl: string;
  token: string;
  /** 'indexeddb' keeps the document on this device (works offline); 'none' keeps it in memory. */
  persistence: 'indexeddb' | 'none';
  /** IndexedDB database name; the workspace derives it from the server and document names. */
  dbName: string;
  /** For Node (the `ws` package) or tests; browsers use the global WebSocket. */
  WebSocketPolyfill?: typeof WebSocket;
  /** Keep other extension views / tabs of this origin in step through BroadcastChannel. */
  crossTab: boolean;
  /** Wait this long after a local change before asking the server for its state vector. */
  confirmDebounceMs: number;
  /** Upper bound of the reconnect backoff (y-websocket doubles from 100 ms). */
  maxBackoffTime: number;
  /** Start disconnected (e.g. an explicit "work offline"). */
  connect: boolean;
  /**
   * Nothing of this document is on this device yet (a unit never opened here): ask the server at
   * once, while the local database is being created, rather than after reading it. (Otherwise the
   * first step 1 waits for what this device holds, so that only what it lacks is sent.)
   */
  connectAtOnce?: boolean;
  /**
   * Values kept beside the document (`readLocal`) to read in the same IndexedDB transaction as the
   * client's own (state vectors, own client IDs), as soon as the database is open: one round trip
   * per document instead of one per value. `readLocal(key)` then answers from that read until the
   * key is written.
   */
  readAhead?: readonly string[];
  /**
   * What this device held of the document when it was last open (an encoded state vector kept
   * elsewhere, state-cache.ts), with nothing unconfirmed: connect at once, offering it in the
   * first step 1 while the database is still being read, so that the server answers with what
   * changed since and the document is online before its copy here is read. Once read, the
   * document asks again with its real state (what the server lacks, or the offer overstated, is
   * exchanged then). Only with persistence and `connect`.
   */
  offerState?: Uint8Array;
  /** Seal everything stored on this device with this cipher (sealed-persistence.ts). */
  cipher?: RecordCipher;
}

export interface SyncedDoc {
  readonly name: string;
  readonly kind: DocKind;
  readonly doc: Y.Doc;
  readonly provider: WebsocketProvider;
  /** Presence: set `user` in the local state; peers' states arrive here. */
  readonly awareness: Awareness;
  /** Who wrote with each clientID, from the server (authors.ts): the only authorship to show. */
  readonly authors: Authors;
  /** Resolves once what this device stored is in `doc` (immediately without persistence). */
  readonly whenLoaded: Promise<void>;
  /**
   * Resolves the next time the document is connected and has exchanged state with the server;
   * rejects with SyncRefusedError if the server closes the connection for good meanwhile, or (Node
   * clients) refuses the upgrade with 401 or 403.
   */
  whenSynced(): Promise<void>;
  /**
   * Resolves when the server has durably acknowledged every local change; rejects with
   * SyncRefusedError if the server refuses a write meanwhile (e.g. a viewer) or closes for good.
   */
  whenConfirmed(): Promise<void>;
  status(): DocStatus;
  onStatus(listener: (status: DocStatus) => void): () => void;
  /**
   * Entities others changed since the user last looked (`markSeen`), by collection, for "what
   * arrived while you were away". Until the first `markSeen`, the first sync is the baseline.
   */
  arrivedSinceSeen(): Changes;
  markSeen(): void;
  /** Small values kept beside the document on this device (nothing without persistence). */
  readLocal(key: string): Promise<string | undefined>;
  writeLocal(key: string, value: string): Promise<void>;
  /** The result of running schema migrations, once the document was loaded or synced. */
  schema(): MigrationOutcome | undefined;
  connect(): void;
  disconnect(): void;
  setToken(token: string): void;
  /** Stops syncing and releases the document; what is stored on this device stays. */
  destroy(): Promise<void>;
  /** Stops syncing and deletes this device's copy. */
  clear(): Promise<void>;
}
