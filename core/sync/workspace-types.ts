import type { IsoDate } from '../dates.ts';
import type { DocKind } from '../doc/names.ts';
import type { Notes } from '../doc/notes-doc.ts';
import type { RegisterDoc } from '../doc/register-doc.ts';
import type { UnitDossiers } from '../doc/unit-doc.ts';
import type { WorkspaceDoc } from '../doc/workspace-doc.ts';
import type { Locale } from '../model/messages.ts';
import type { SubjectSummary } from '../model/summary.ts';
import type { LocalIndex } from './local-index.ts';
import type { TransportMode } from './multiplex.ts';
import type { Grant } from './access.ts';
import type { RecordCipher } from './at-rest.ts';
import type { WorkspaceStatus } from './status.ts';
import type { Rules } from './summaries.ts';
import type { SyncedDoc } from './synced-doc.ts';

/**
 * What a workspace is and how one is opened: the options of `openWorkspace` and the interface it
 * returns (workspace.ts builds it). Apart from the factory so the contract reads in one place.
 */

export interface WorkspaceOptions {
  /** ws:// or wss:// base URL of the sync server; documents are `<serverUrl>/<docName>`. */
  serverUrl: string;
  token: string;
  /** Default 'indexeddb' (offline-capable). 'none' keeps everything in memory. */
  persistence?: 'indexeddb' | 'none';
  WebSocketPolyfill?: typeof WebSocket;
  /** Keep other tabs / extension views of this origin in step (BroadcastChannel). Default true. */
  crossTab?: boolean;
  /** Default true; false opens from local storage only until `connect()`. */
  connect?: boolean;
  /** Which units `openUnits()` opens from the directory; default all (within `grants`). */
  scope?: (unitCode: string) => boolean;
  /** The token's grants (e.g. from GET /whoami): `openUnits()` skips documents none of them covers. */
  grants?: readonly Grant[];
  /** Language of index strings and validation messages. Default zh-CN. */
  locale?: Locale;
  /** Date the rules evaluate on; default today as core/dates.ts defines it (China Standard Time). */
  today?: () => IsoDate;
  rules?: Rules;
  confirmDebounceMs?: number;
  /** Upper bound of the wait between reconnection attempts (jittered), ms. Default 30 s. */
  maxBackoffTime?: number;
  /**
   * One WebSocket for every document (default true), falling back to one per document against a
   * server without multiplexing; false: one per document (multiplex.ts).
   */
  multiplex?: boolean;
  /** Keep each unit's index entries on this device for a fast next start (default: with IndexedDB). */
  indexCache?: boolean;
  /** How long after opening a unit from the index cache its entries are recomputed. Default 2 s. */
  revalidateAfterMs?: number;
  /**
   * The units `openUnits()` opened last session (with IndexedDB): 'load' (default) starts reading
   * them while the workspace document loads; 'connect' also connects at once those that were in
   * step with the server, offering the state they held (for a workspace that opens every unit
   * anyway, e.g. the extension's background); 'none' leaves them until asked for (a view that
   * opens single units, e.g. the side panel).
   */
  remembered?: 'load' | 'connect' | 'none';
  /**
   * Keep the whole index beside the workspace document and read it with the document's own small
   * values (index-snapshot.ts; with IndexedDB), for `indexSnapshot()`. For the one long-lived view
   * that badges pages, the extension's background: other views would only pay for unsealing it at
   * every open and write it again beside the background. Default false.
   */
  indexSnapshot?: boolean;
  /** Seal every document and value kept on this device (README "Encrypted at rest"). */
  cipher?: RecordCipher;
}

export interface OpenUnit {
  synced: SyncedDoc;
  dossiers: UnitDossiers;
}

export interface OpenNotes {
  synced: SyncedDoc;
  notes: Notes;
}

export interface OpenRegister {
  synced: SyncedDoc;
  register: RegisterDoc;
}

export interface Workspace {
  readonly serverUrl: string;
  /** The workspace document: configuration and unit directory. */
  readonly workspace: WorkspaceDoc;
  readonly workspaceSynced: SyncedDoc;
  unit(code: string): Promise<OpenUnit>;
  notes(code: string): Promise<OpenNotes>;
  /** `queries` or `user:<sub>`, opened once (access derived, not from `grants`: access.ts, derivedRole). */
  doc(name: string, kind: DocKind): Promise<SyncedDoc>;
  /** The integrity-review register, org-wide (its own grants on the server). */
  register(): Promise<OpenRegister>;
  /** Opens the unit documents of every unit in the directory (within `scope`); returns their codes. */
  openUnits(opts?: { notes?: boolean }): Promise<string[]>;
  /** Whether `openUnits()` opens this unit: within `scope`, and readable under `grants` when given. */
  inScope(code: string): boolean;
  /** The grants the workspace was opened with (undefined: none given, every document is tried). */
  readonly grants: readonly Grant[] | undefined;
  docs(): SyncedDoc[];
  status(): WorkspaceStatus;
  /** The status after changes, once per burst of them (the documents' statuses change together). */
  onStatus(listener: (status: WorkspaceStatus) => void): () => void;
  readonly index: LocalIndex;
  /**
   * The whole index as this device last kept it (index-snapshot.ts), for today and this language,
   * within scope and grants: a stand-in to show until `openUnits()` has finished. Undefined when
   * none is kept, or without the `indexSnapshot` option or IndexedDB.
   */
  indexSnapshot(): Promise<SubjectSummary[] | undefined>;
  /** Resolves when the server has acknowledged every local change in every open document. */
  whenConfirmed(): Promise<void>;
  /** Connect every document; after a failed attempt, try again now rather than after the backoff. */
  connect(): void;
  disconnect(): void;
  setToken(token: string): void;
  /** How documents travel: over one socket, or one per document; undefined until the server answered. */
  transport(): TransportMode | undefined;
  /** Stops syncing; this device's copies stay for next time. */
  close(): Promise<void>;
  /** Stops syncing and deletes every local copy this workspace made on this device. */
  wipe(): Promise<void>;
}
