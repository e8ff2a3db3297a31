/**
 * SQLite storage (better-sqlite3, WAL): the embedded default. One file in the data directory.
 *
 * Durability: in WAL mode a committed transaction is in the WAL file before `commitUpdates`
 * resolves, so a killed process (kill -9) loses nothing committed. `synchronous: 'full'` also
 * fsyncs every commit, which is what survives a power cut; 'normal' (the default) fsyncs at
 * checkpoints only and is several times faster. See README.md.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { issuedAtMs } from '../token.ts';
import { type Checkpointer, startCheckpointer } from './checkpointer.ts';
import { openCommitMark } from './commit-mark.ts';
import { verifySqlite } from './sqlite-verify.ts';
import { type AuditRow, auditEntries, auditQuery, sqlitePlaceholder } from './queries.ts';
import { sqliteViewLog } from './sqlite-views.ts';
import type {
  AuditEntry,
  AuditQuery,
  Changes,
  Cursor,
  Revocation,
  Storage,
  StoredDocument,
  UpdateToCommit,
} from './types.ts';
import { sha256, toBytes } from './values.ts';

export const databaseFileName = 'dossier-lens.sqlite';

export interface SqliteOptions {
  synchronous?: 'normal' | 'full';
  /**
   * Checkpoint the WAL from a worker thread instead of inside commits (the server sets this;
   * short-lived CLI connections keep SQLite's automatic checkpoints).
   */
  backgroundCheckpoints?: boolean;
}

/*
 * One row per accepted update in `log`: the update itself and its audit entry together, so a
 * commit touches two B-tree pages (the row and the (doc, seq) index), not one per concern.
 * Compaction folds a document's updates into `snapshots` and clears `data` in its rows; the
 * audit columns stay. Rows are never deleted, so `seq` (the rowid) is never reused and works
 * as a cursor for other processes' writes.
 */
const schema = `
CREATE TABLE IF NOT EXISTS log (
  seq INTEGER PRIMARY KEY,
  doc TEXT NOT NULL,
  user TEXT NOT NULL,
  name TEXT NOT NULL,
  time INTEGER NOT NULL,
  size INTEGER NOT NULL,
  hash TEXT NOT NULL,
  client_ids TEXT NOT NULL,
  data BLOB
);
CREATE INDEX IF NOT EXISTS log_by_doc ON log (doc, seq);
CREATE TABLE IF NOT EXISTS snapshots (
  doc TEXT PRIMARY KEY,
  data BLOB NOT NULL,
  through_seq INTEGER NOT NULL,
  time INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS client_bindings (
  doc TEXT NOT NULL,
  client_id INTEGER NOT NULL,
  user TEXT NOT NULL,
  time INTEGER NOT NULL,
  PRIMARY KEY (doc, client_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS revocations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user TEXT,
  jti TEXT,
  time INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS revocations_by_user ON revocations (user);
CREATE INDEX IF NOT EXISTS revocations_by_jti ON revocations (jti);
CREATE TABLE IF NOT EXISTS quarantine (
  seq INTEGER PRIMARY KEY,
  doc TEXT NOT NULL,
  data BLOB,
  error TEXT NOT NULL,
  time INTEGER NOT NULL
);
`;

export function openSqliteStorage(dataDir: string, options: SqliteOptions = {}): Storage {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, databaseFileName));
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  // The CLI and the server share the file; wait for each other's short transactions.
  db.pragma('busy_timeout = 5000');
  db.exec(schema);
  // Columns added since the first release: snapshots' hash (older ones stay unchecked until the
  // next compaction) and the display name a clientID was bound with (older ones: the user id).
  const addColumn = (table: string, column: string, type = 'TEXT') => {
    if (!(db.pragma(`table_info(${table})`) as { name: string }[]).some((c) => c.name === column))
      db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
  };
  addColumn('snapshots', 'hash');
  addColumn('client_bindings', 'name');
  // 0: bound by presence only (pruned after a while, never an author); earlier rows all wrote.
  addColumn('client_bindings', 'wrote', 'INTEGER NOT NULL DEFAULT 1');
  const file = join(dataDir, databaseFileName);
  const mark = openCommitMark(dataDir);
  let checkpointer: Checkpointer | null = null;
  if (options.backgroundCheckpoints) {
    db.pragma('wal_autocheckpoint = 0');
    checkpointer = startCheckpointer(file);
  }

  const statements = {
    snapshot: db.prepare<[string], { data: Buffer; through_seq: number }>(
      'SELECT data, through_seq FROM snapshots WHERE doc = ?',
    ),
    updatesOf: db.prepare<[string, number], { seq: number; data: Buffer }>(
      'SELECT seq, data FROM log WHERE doc = ? AND seq > ? AND data IS NOT NULL ORDER BY seq',
    ),
    bindingsOf: db.prepare<[string], { client_id: number; user: string }>(
      'SELECT client_id, user FROM client_bindings WHERE doc = ?',
    ),
    insertUpdate: db.prepare<[string, string, string, number, number, string, string, Buffer]>(
      'INSERT INTO log (doc, user, name, time, size, hash, client_ids, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    insertBinding: db.prepare<[string, number, string, number, string]>(
      `INSERT INTO client_bindings (doc, client_id, user, time, name, wrote) VALUES (?, ?, ?, ?, ?, 1)
       ON CONFLICT (doc, client_id) DO UPDATE SET wrote = 1
         WHERE client_bindings.wrote = 0 AND client_bindings.user = excluded.user`,
    ),
    reserveBinding: db.prepare<[string, number, string, number, string]>(
      'INSERT OR IGNORE INTO client_bindings (doc, client_id, user, time, name, wrote) VALUES (?, ?, ?, ?, ?, 0)',
    ),
    authorsOf: db.prepare<[string], { client_id: number; user: string; name: string | null }>(
      'SELECT client_id, user, name FROM client_bindings WHERE doc = ? AND wrote = 1 ORDER BY time, client_id',
    ),
    pruneReservations: db.prepare<[number]>('DELETE FROM client_bindings WHERE wrote = 0 AND time < ?'),
    upsertSnapshot: db.prepare<[string, Buffer, number, number, string]>(
      `INSERT INTO snapshots (doc, data, through_seq, time, hash) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (doc) DO UPDATE SET data = excluded.data, through_seq = excluded.through_seq,
         time = excluded.time, hash = excluded.hash`,
    ),
    clearThrough: db.prepare<[string, number]>(
      'UPDATE log SET data = NULL WHERE doc = ? AND seq <= ? AND data IS NOT NULL',
    ),
    maxSeq: db.prepare<[], { seq: number | null }>('SELECT max(seq) AS seq FROM log'),
    maxRevocation: db.prepare<[], { id: number | null }>('SELECT max(id) AS id FROM revocations'),
    // Rows already folded into a snapshot (data NULL) were in memory when compacted: skip them.
    updatesAfter: db.prepare<[number], { seq: number; doc: string; data: Buffer }>(
      'SELECT seq, doc, data FROM log WHERE seq > ? AND data IS NOT NULL ORDER BY seq LIMIT 10000',
    ),
    revocationsAfter: db.prepare<[number], Revocation>(
      'SELECT id, user, jti, time FROM revocations WHERE id > ? ORDER BY id',
    ),
    insertRevocation: db.prepare<[string | null, string | null, number]>(
      'INSERT INTO revocations (user, jti, time) VALUES (?, ?, ?)',
    ),
    quarantine: db.prepare<[{ seq: number; doc: string; error: string; time: number }]>(
      `INSERT OR IGNORE INTO quarantine (seq, doc, data, error, time)
       SELECT seq, doc, data, @error, @time FROM log WHERE seq = @seq AND doc = @doc`,
    ),
    revokedCheck: db.prepare<[string, string, number], { hit: number }>(
      'SELECT 1 AS hit FROM revocations WHERE jti = ? OR (user = ? AND time >= ?) LIMIT 1',
    ),
  };

  const commitOne = (update: UpdateToCommit): number => {
    const { lastInsertRowid } = statements.insertUpdate.run(
      update.doc,
      update.user,
      update.name,
      update.time,
      update.data.byteLength,
      update.hash,
      JSON.stringify(update.clientIds),
      Buffer.from(update.data.buffer, update.data.byteOffset, update.data.byteLength),
    );
    for (const clientId of update.newBindings) {
      statements.insertBinding.run(update.doc, clientId, update.user, update.time, update.name);
    }
    return Number(lastInsertRowid);
  };
  const commitMany = db.transaction((updates: UpdateToCommit[]): number[] => updates.map(commitOne));

  const compact = db.transaction((doc: string, snapshot: Uint8Array, throughSeq: number) => {
    statements.upsertSnapshot.run(doc, Buffer.from(snapshot), throughSeq, Date.now(), sha256(snapshot));
    statements.clearThrough.run(doc, throughSeq);
  });

  const audit = (query: AuditQuery): AuditEntry[] => {
    const { text, params } = auditQuery(query, sqlitePlaceholder);
    return auditEntries(db.prepare<(string | number)[], AuditRow>(text).all(...params));
  };
  // 查阅留痕: its own table, append-only (sqlite-views.ts).
  const viewLog = sqliteViewLog(db);

  return {
    ...viewLog,
    async loadDocument(doc: string): Promise<StoredDocument> {
      const read = db.transaction((): StoredDocument => {
        const snapshot = statements.snapshot.get(doc);
        return {
          snapshot: snapshot ? toBytes(snapshot.data) : null,
          updates: statements.updatesOf
            .all(doc, snapshot?.through_seq ?? 0)
            .map((row) => ({ seq: row.seq, data: toBytes(row.data) })),
          bindings: new Map(statements.bindingsOf.all(doc).map((row) => [row.client_id, row.user])),
        };
      });
      return read();
    },
    async commitUpdates(updates) {
      const seqs = commitMany(updates);
      mark.advance(seqs.at(-1) ?? 0);
      return seqs;
    },
    async compact(doc, snapshot, throughSeq) {
      compact(doc, snapshot, throughSeq);
    },
    async cursor() {
      return { seq: statements.maxSeq.get()?.seq ?? 0, revocation: statements.maxRevocation.get()?.id ?? 0 };
    },
    async changesSince(cursor: Cursor): Promise<Changes> {
      return {
        updates: statements.updatesAfter
          .all(cursor.seq)
          .map((row) => ({ seq: row.seq, doc: row.doc, data: toBytes(row.data) })),
        revocations: statements.revocationsAfter.all(cursor.revocation),
      };
    },
    async audit(query) {
      return audit(query);
    },
    async revoke(target, time) {
      const user = 'user' in target ? target.user : null;
      const jti = 'jti' in target ? target.jti : null;
      const { lastInsertRowid } = statements.insertRevocation.run(user, jti, time);
      return { id: Number(lastInsertRowid), user, jti, time };
    },
    async quarantine(doc, updates) {
      db.transaction(() => {
        for (const update of updates)
          if (update.seq > 0)
            statements.quarantine.run({ seq: update.seq, doc, error: update.error, time: Date.now() });
      })();
    },
    async bytesAddedSince(doc, time) {
      const rows = db
        .prepare<[string, number], { user: string; bytes: number }>(
          'SELECT user, sum(size) AS bytes FROM log WHERE doc = ? AND time >= ? GROUP BY user',
        )
        .all(doc, time);
      return new Map(rows.map((row) => [row.user, row.bytes]));
    },
    async quarantined() {
      return db
        .prepare<[], { seq: number; doc: string; error: string; time: number }>(
          'SELECT seq, doc, error, time FROM quarantine ORDER BY seq',
        )
        .all();
    },
    async bindClientIds(doc, user, name, clientIds, time) {
      db.transaction(() => {
        for (const clientId of clientIds) statements.reserveBinding.run(doc, clientId, user, time, name);
      })();
    },
    async pruneReservations(time) {
      return statements.pruneReservations.run(time).changes;
    },
    async authors(doc) {
      return statements.authorsOf
        .all(doc)
        .map((row) => ({ clientId: row.client_id, user: row.user, name: row.name ?? row.user }));
    },
    async isRevoked(token) {
      return statements.revokedCheck.get(token.jti, token.sub, issuedAtMs(token)) !== undefined;
    },
    async verify({ full }) {
      return verifySqlite(db, dataDir, full);
    },
    async acknowledgeLoss() {
      mark.reset(statements.maxSeq.get()?.seq ?? 0);
    },
    async backup(destinationFile) {
      await db.backup(destinationFile);
    },
    async close() {
      await checkpointer?.stop();
      mark.close();
      if (db.open) db.close();
    },
  };
}
