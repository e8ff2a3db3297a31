/**
 * The storage interface: everything the protocol code needs from a durable store, and nothing
 * more. The SQLite implementation (sqlite.ts) is the embedded default; a PostgreSQL backend would
 * implement the same methods (each `commitUpdates` one transaction, `changesSince` a query on a
 * sequence column, or LISTEN/NOTIFY behind the same method) without touching protocol code.
 *
 * Every method is async so that a networked engine fits; the SQLite one resolves immediately.
 * Contract for implementers:
 * - `commitUpdates` is atomic and durable when it resolves: the updates, their audit entries and
 *   any new clientID bindings are all stored or none is. The server hands over everything that
 *   arrived in one turn of its event loop (group commit) and broadcasts only after it resolves.
 * - Sequence numbers (`seq`) increase strictly across all documents and are never reused, so a
 *   cursor over them finds writes made by other processes (the CLI's `import`, another instance).
 * - `compact` replaces the log of one document up to `throughSeq` by a snapshot, atomically.
 * - Audit entries are never removed by compaction.
 */

export interface StoredDocument {
  /** Merged state written by the last compaction, if any. */
  snapshot: Uint8Array | null;
  /** Updates appended since that snapshot, oldest first. */
  updates: { seq: number; data: Uint8Array }[];
  /** Yjs clientID → user id who first wrote with it in this document. */
  bindings: Map<number, string>;
}

export interface UpdateToCommit {
  doc: string;
  data: Uint8Array;
  user: string;
  /** Display name at the time of writing, for history views. */
  name: string;
  /** Milliseconds since the epoch. */
  time: number;
  /** Hex SHA-256 of `data`. */
  hash: string;
  /** Yjs clientIDs that the update writes with (struct authors). */
  clientIds: number[];
  /**
   * clientIDs the update writes new content with (all the user's): bind those nobody has bound to
   * `user`, and mark those the user had only claimed in presence as having written, in the same
   * transaction.
   */
  newBindings: number[];
}

export interface AuditEntry {
  seq: number;
  doc: string;
  user: string;
  name: string;
  time: number;
  size: number;
  hash: string;
  clientIds: number[];
}

export interface AuditQuery {
  doc?: string;
  user?: string;
  /** Most recent entries only; returned oldest first. */
  limit?: number;
}

export interface Revocation {
  id: number;
  user: string | null;
  jti: string | null;
  /** Milliseconds since the epoch; a user revocation covers tokens issued at or before it (`issuedAtMs`). */
  time: number;
}

export interface StoredChange {
  seq: number;
  doc: string;
  data: Uint8Array;
}

export interface Changes {
  updates: StoredChange[];
  revocations: Revocation[];
}

/** Something wrong with the store, for operators (health.ts, integrity.ts). */
export interface StoreProblem {
  kind: 'integrity' | 'lost-writes' | 'unreadable-update' | 'storage-error';
  detail: string;
  doc?: string;
  seq?: number;
}

export interface Cursor {
  seq: number;
  revocation: number;
}

/*
 * 查阅留痕, the view log (view-log.ts, README "View log"): who opened which dossier, when and from
 * which view. Append-only: no method edits or removes an entry, and the store itself refuses to
 * (SQLite: triggers that abort UPDATE and DELETE on the table). A PostgreSQL implementation does the
 * same (a trigger raising an exception, or REVOKE UPDATE, DELETE from the server's role).
 */

export interface ViewToRecord {
  /** Chosen by the device when the dossier was opened: a resent batch records each view once per user. */
  id: string;
  /** The authenticated user (token `sub`) and display name, stamped by the server, never the client's word. */
  user: string;
  name: string;
  subjectType: 'cadre' | 'unit';
  subjectId: string;
  /** Code of the unit whose document holds the subject (the grant that was checked). */
  unit: string;
  view: string;
  /** When the device says it was opened (ms since the epoch), and when the server recorded it. */
  clientTime: number;
  time: number;
}

export interface ViewEntry extends ViewToRecord {
  seq: number;
}

export interface ViewQuery {
  subjectId?: string;
  user?: string;
  /** Recorded at or after (server time, ms since the epoch). */
  since?: number;
  /** Most recent entries only; returned oldest first. */
  limit?: number;
}

export interface ViewLogStorage {
  /**
   * Append in one transaction; an entry whose (user, id) is already recorded is skipped. Resolves
   * with how many were new.
   */
  recordViews(entries: ViewToRecord[]): Promise<number>;
  views(query: ViewQuery): Promise<ViewEntry[]>;
}

export interface Storage extends ViewLogStorage {
  loadDocument(doc: string): Promise<StoredDocument>;
  /** Append in order, in one transaction; resolves with each update's `seq`. */
  commitUpdates(updates: UpdateToCommit[]): Promise<number[]>;
  compact(doc: string, snapshot: Uint8Array, throughSeq: number): Promise<void>;
  /** Where the log ends now: start a `changesSince` cursor here. */
  cursor(): Promise<Cursor>;
  /** Updates and revocations after the cursor (from any process), in order. */
  changesSince(cursor: Cursor): Promise<Changes>;
  audit(query: AuditQuery): Promise<AuditEntry[]>;
  revoke(target: { user: string } | { jti: string }, time: number): Promise<Revocation>;
  /**
   * Keep copies of stored updates that do not apply (found while loading), with why, before a
   * compaction folds the document and clears them from the log. Idempotent.
   */
  quarantine(doc: string, updates: { seq: number; error: string }[]): Promise<void>;
  /** What `quarantine` kept, oldest first. */
  quarantined(): Promise<{ seq: number; doc: string; error: string; time: number }[]>;
  /** Per user, the bytes of the updates they wrote to `doc` since `time` (from the audit entries). */
  bytesAddedSince(doc: string, time: number): Promise<Map<string, number>>;
  /** Bind clientIDs nobody has bound yet to `user` (first presence under them); others stay. */
  bindClientIds(doc: string, user: string, name: string, clientIds: number[], time: number): Promise<void>;
  /** Who each clientID that wrote content in `doc` belongs to, with the display name it was bound under. */
  authors(doc: string): Promise<{ clientId: number; user: string; name: string }[]>;
  /**
   * Forget clientIDs bound by presence alone before `time` that never wrote: every page load claims
   * one per document it opens, and the device that used one is long gone.
   */
  pruneReservations(time: number): Promise<number>;
  isRevoked(token: { sub: string; jti: string; iat: number }): Promise<boolean>;
  /**
   * Check the store: its structure (`full`: the slow, thorough check), every stored value against
   * the hash recorded with it, and that it still holds every write it acknowledged.
   */
  verify(options: { full: boolean }): Promise<StoreProblem[]>;
  /** An operator acknowledged the losses `verify` reports: stop reporting them. */
  acknowledgeLoss(): Promise<void>;
  /** Consistent copy of the whole store while it is in use. */
  backup(destinationFile: string): Promise<void>;
  close(): Promise<void>;
}

/*
 * Several instances on one store (storage/postgres.ts, issue 17): `commitUpdates` may refuse an
 * update because a clientID it writes with is bound to another user through another instance (the
 * store's uniqueness decides). Its `seq` is then 0 and neither it nor its audit entry is stored
 * (its new clientIDs stay claimed by the writer, presence-only; contract.test.ts); the registry
 * tells the writer (documents.ts, `ClientIdTaken`). A single SQLite store never answers 0.
 */
