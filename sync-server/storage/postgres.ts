/**
 * PostgreSQL storage (`--store postgres://…`): the same contract as SQLite (types.ts), shared by
 * several server instances. What sharing adds, and how it is kept:
 *
 * - Group commit (postgres-commit.ts): one transaction carries every commit that arrived while the
 *   previous one was in flight.
 * - No write in flight is stepped over: every transaction that takes sequence numbers (updates,
 *   revocations) holds one transaction-scoped advisory lock in shared mode, so the commits of
 *   several instances overlap (and share WAL flushes). A reader first takes that lock exclusively
 *   for an instant (`horizon`): it waits for the commits in flight, reads the highest `seq`, and
 *   lets the next ones go, which number above it. Below that horizon every write is committed, so
 *   `changesSince` cursors never skip one that was still in flight on another instance.
 * - ClientIDs: a clientID bound to another user (primary key (doc, client_id)) refuses the update
 *   that writes with it: `commitUpdates` answers 0 for it and stores neither the update nor its
 *   audit entry; its new clientIDs stay claimed by its writer, as presence would claim them.
 * - Compaction (postgres-compact.ts): one instance per document at a time, never folding away an
 *   update another instance committed meanwhile.
 * - Another instance may fold rows past this instance's cursor: `changesSince` hands the
 *   document's snapshot in place of such rows (applying it again is harmless in Yjs).
 */
import type pg from 'pg';
import { issuedAtMs } from '../token.ts';
import { type CommitMark, openCommitMark } from './commit-mark.ts';
import { groupCommit } from './postgres-commit.ts';
import { compactInTransaction, storedSnapshot } from './postgres-compact.ts';
import { openPool, transaction } from './postgres-pool.ts';
import { lockKeys, migrate, parseStoreUrl } from './postgres-schema.ts';
import { verifyPostgres } from './postgres-verify.ts';
import { postgresViewLog } from './postgres-views.ts';
import { type AuditRow, auditEntries, auditQuery, postgresPlaceholder } from './queries.ts';
import type { Changes, Cursor, Revocation, Storage, StoredChange } from './types.ts';
import { toBytes } from './values.ts';

export interface PostgresOptions {
  /** Where this instance keeps its commit mark (commit-mark.ts): acknowledged writes the database lost are reported. */
  dataDir?: string;
  /** Connections in the pool. */
  poolSize?: number;
}

export interface PostgresStorage extends Storage {
  /** Answers within `timeoutMs`? For /healthz. */
  ping(timeoutMs?: number): Promise<boolean>;
  readonly pool: pg.Pool;
  readonly schema: string;
}

export async function openPostgresStorage(url: string, options: PostgresOptions = {}): Promise<PostgresStorage> {
  const { connectionString, schema } = parseStoreUrl(url);
  const pool = openPool(connectionString, schema, options.poolSize ?? 8);
  try {
    const client = await pool.connect();
    try {
      await migrate(client, schema);
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end();
    throw error;
  }
  const mark: CommitMark | null = options.dataDir !== undefined ? openCommitMark(options.dataDir) : null;

  const commits = groupCommit(pool, mark);

  /** Where the log ends with nothing in flight below it (see the header). */
  const horizon = () =>
    transaction(pool, async (client): Promise<Cursor> => {
      await client.query('SELECT pg_advisory_xact_lock($1, 0)', [lockKeys.log]);
      const { rows } = await client.query<{ seq: number; revocation: number }>(
        'SELECT (SELECT coalesce(max(seq), 0) FROM log) AS seq,' +
          ' (SELECT coalesce(max(id), 0) FROM revocations) AS revocation',
      );
      return { seq: rows[0]?.seq ?? 0, revocation: rows[0]?.revocation ?? 0 };
    });

  const one = async <R extends pg.QueryResultRow>(text: string, values: unknown[] = []) =>
    (await pool.query<R>(text, values)).rows;

  return {
    ...postgresViewLog(pool),
    pool,
    schema,
    async ping(timeoutMs = 1000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      try {
        return await Promise.race([
          pool.query('SELECT 1').then(
            () => true,
            () => false,
          ),
          timeout,
        ]);
      } finally {
        clearTimeout(timer);
      }
    },
    async loadDocument(doc) {
      return transaction(
        pool,
        async (client) => {
          const snapshot = await storedSnapshot(client, doc);
          const updates = await client.query<{ seq: number; data: Buffer }>(
            'SELECT seq, data FROM log WHERE doc = $1 AND seq > $2 AND data IS NOT NULL ORDER BY seq',
            [doc, snapshot?.through_seq ?? 0],
          );
          const bindings = await client.query<{ client_id: number; user: string }>(
            'SELECT client_id, "user" FROM client_bindings WHERE doc = $1',
            [doc],
          );
          return {
            snapshot: snapshot ? toBytes(snapshot.data) : null,
            updates: updates.rows.map((row) => ({ seq: row.seq, data: toBytes(row.data) })),
            bindings: new Map(bindings.rows.map((row) => [row.client_id, row.user])),
          };
        },
        'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
      );
    },
    commitUpdates: (updates) => commits.commitUpdates(updates),
    async compact(doc, snapshot, throughSeq) {
      await transaction(pool, (client) => compactInTransaction(client, doc, snapshot, throughSeq));
    },
    cursor: horizon,
    async changesSince(cursor: Cursor): Promise<Changes> {
      const until = await horizon();
      const rows = await one<{ seq: number; doc: string; data: Buffer | null }>(
        'SELECT seq, doc, data FROM log WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT 10000',
        [cursor.seq, until.seq],
      );
      const folded = [...new Set(rows.filter((row) => row.data === null).map((row) => row.doc))];
      const snapshots = new Map<string, Uint8Array>();
      if (folded.length > 0) {
        for (const row of await one<{ doc: string; data: Buffer }>(
          'SELECT doc, data FROM snapshots WHERE doc = ANY($1::text[])',
          [folded],
        ))
          snapshots.set(row.doc, toBytes(row.data));
      }
      const updates: StoredChange[] = [];
      for (const row of rows) {
        const data = row.data !== null ? toBytes(row.data) : snapshots.get(row.doc);
        if (data !== undefined) updates.push({ seq: row.seq, doc: row.doc, data });
      }
      // A page full of folded rows must still move the caller's cursor: the last row carries it.
      const last = rows.at(-1);
      if (last !== undefined && updates.at(-1)?.seq !== last.seq && rows.length === 10_000)
        updates.push({ seq: last.seq, doc: last.doc, data: new Uint8Array([0, 0]) });
      const revocations = await one<Revocation>(
        'SELECT id, "user", jti, time FROM revocations WHERE id > $1 AND id <= $2 ORDER BY id',
        [cursor.revocation, until.revocation],
      );
      return { updates, revocations };
    },
    async audit(query) {
      const { text, params } = auditQuery(query, postgresPlaceholder);
      return auditEntries(await one<AuditRow>(text, params));
    },
    async revoke(target, time) {
      const user = 'user' in target ? target.user : null;
      const jti = 'jti' in target ? target.jti : null;
      return transaction(pool, async (client) => {
        await client.query('SELECT pg_advisory_xact_lock_shared($1, 0)', [lockKeys.log]);
        const { rows } = await client.query<{ id: number }>(
          'INSERT INTO revocations ("user", jti, time) VALUES ($1, $2, $3) RETURNING id',
          [user, jti, time],
        );
        return { id: rows[0]!.id, user, jti, time };
      });
    },
    async quarantine(doc, updates) {
      const kept = updates.filter((u) => u.seq > 0);
      if (kept.length === 0) return;
      await pool.query(
        `INSERT INTO quarantine (seq, doc, data, error, time)
         SELECT l.seq, l.doc, l.data, q.error, $3
         FROM log l JOIN unnest($1::bigint[], $2::text[]) AS q(seq, error) ON l.seq = q.seq
         WHERE l.doc = $4 ON CONFLICT (seq) DO NOTHING`,
        [kept.map((u) => u.seq), kept.map((u) => u.error), Date.now(), doc],
      );
    },
    async quarantined() {
      return one<{ seq: number; doc: string; error: string; time: number }>(
        'SELECT seq, doc, error, time FROM quarantine ORDER BY seq',
      );
    },
    async bytesAddedSince(doc, time) {
      const rows = await one<{ user: string; bytes: number }>(
        'SELECT "user", sum(size)::bigint AS bytes FROM log WHERE doc = $1 AND time >= $2 GROUP BY "user"',
        [doc, time],
      );
      return new Map(rows.map((row) => [row.user, row.bytes]));
    },
    async bindClientIds(doc, user, name, clientIds, time) {
      if (clientIds.length === 0) return;
      await pool.query(
        `INSERT INTO client_bindings (doc, client_id, "user", name, time, wrote)
         SELECT $1, id, $2, $3, $4, false FROM unnest($5::bigint[]) AS id ON CONFLICT (doc, client_id) DO NOTHING`,
        [doc, user, name, time, clientIds],
      );
    },
    async authors(doc) {
      const rows = await one<{ client_id: number; user: string; name: string | null }>(
        'SELECT client_id, "user", name FROM client_bindings WHERE doc = $1 AND wrote ORDER BY time, client_id',
        [doc],
      );
      return rows.map((row) => ({ clientId: row.client_id, user: row.user, name: row.name ?? row.user }));
    },
    async pruneReservations(time) {
      return (await pool.query('DELETE FROM client_bindings WHERE NOT wrote AND time < $1', [time])).rowCount ?? 0;
    },
    async isRevoked(token) {
      const rows = await one('SELECT 1 FROM revocations WHERE jti = $1 OR ("user" = $2 AND time >= $3) LIMIT 1', [
        token.jti,
        token.sub,
        issuedAtMs(token),
      ]);
      return rows.length > 0;
    },
    async verify({ full }) {
      return verifyPostgres(pool, options.dataDir, full);
    },
    async acknowledgeLoss() {
      const [row] = await one<{ seq: number }>('SELECT coalesce(max(seq), 0) AS seq FROM log');
      mark?.reset(row?.seq ?? 0);
    },
    async backup() {
      throw new Error('a PostgreSQL store is backed up with pg_dump (see README.md, Deployment)');
    },
    async close() {
      while (commits.committing) await new Promise((resolve) => setTimeout(resolve, 5));
      mark?.close();
      await pool.end();
    },
  };
}
