/**
 * PostgreSQL storage (`--store postgres://…`): the same contract as SQLite (types.ts), shared by
 * several server instances. What sharing adds, and how it is kept:
 *
 * - Group commit: calls arriving while a transaction is in flight wait and go together in the next
 *   one, so one commit (one WAL flush, one round trip: `dossierlens_commit`) carries everything
 *   that arrived meanwhile.
 * - No write in flight is stepped over: every transaction that takes sequence numbers (updates,
 *   revocations) holds one transaction-scoped advisory lock in shared mode, so the commits of
 *   several instances overlap (and share WAL flushes). A reader first takes that lock exclusively
 *   for an instant (`horizon`): it waits for the commits in flight, reads the highest `seq`, and
 *   lets the next ones go, which number above it. Below that horizon every write is committed, so
 *   `changesSince` cursors never skip one that was still in flight on another instance.
 * - ClientIDs: a clientID bound to another user (primary key (doc, client_id)) refuses the update
 *   that writes with it: `commitUpdates` answers 0 for it and stores nothing of it.
 * - Compaction: one instance per document at a time (advisory lock; a busy lock means another
 *   instance is compacting it, so this one skips), and the snapshot is the stored snapshot plus the
 *   rows it replaces plus the caller's state merged, so an update another instance committed
 *   meanwhile is never folded away unseen.
 * - Another instance may fold rows past this instance's cursor: `changesSince` hands the
 *   document's snapshot in place of such rows (applying it again is harmless in Yjs).
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import * as Y from 'yjs';
import { issuedAtMs } from '../token.ts';
import { type CommitMark, openCommitMark, readCommitMark } from './commit-mark.ts';
import { lockKeys, migrate, parseStoreUrl } from './postgres-schema.ts';
import { postgresViewLog } from './postgres-views.ts';
import type {
  AuditEntry,
  Changes,
  Cursor,
  Revocation,
  Storage,
  StoreProblem,
  StoredChange,
  UpdateToCommit,
} from './types.ts';

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

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
const toBytes = (buffer: Buffer): Uint8Array => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
const toBuffer = (data: Uint8Array) => Buffer.from(data.buffer, data.byteOffset, data.byteLength);
/** BIGINT columns come back as text by default; every value here is far below 2^53. */
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === 20
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

interface QueuedCommit {
  updates: UpdateToCommit[];
  resolve(seqs: number[]): void;
  reject(error: unknown): void;
}

export async function openPostgresStorage(url: string, options: PostgresOptions = {}): Promise<PostgresStorage> {
  const { connectionString, schema } = parseStoreUrl(url);
  // The schema is every connection's search path from its start (a startup parameter, no extra query).
  const pool = new pg.Pool({
    connectionString,
    max: options.poolSize ?? 8,
    types,
    options: `-c search_path=${schema}`,
  });
  // A connection that breaks while idle must not take the process down; the next query reconnects.
  pool.on('error', () => undefined);
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

  const transaction = async <T>(run: (client: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> => {
    const client = await pool.connect();
    try {
      await client.query(begin);
      const result = await run(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  };

  /**
   * Everything `updates` needs stored, in one transaction and one round trip (the database function
   * `dossierlens_commit`, postgres-schema.ts); 0 for an update refused over a clientID.
   */
  const commitBatch = async (updates: UpdateToCommit[]): Promise<number[]> => {
    const column = <T>(pick: (u: UpdateToCommit) => T) => updates.map(pick);
    const bindings = updates.flatMap((u, index) => u.newBindings.map((id) => [u.doc, id, index + 1] as const));
    const { rows } = await pool.query<{ seqs: number[] }>(
      'SELECT dossierlens_commit($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) AS seqs',
      [
        column((u) => u.doc),
        column((u) => u.user),
        column((u) => u.name),
        column((u) => u.time),
        column((u) => u.data.byteLength),
        column((u) => u.hash),
        column((u) => JSON.stringify(u.clientIds)),
        column((u) => toBuffer(u.data)),
        bindings.map((b) => b[0]),
        bindings.map((b) => b[1]),
        bindings.map((b) => b[2]),
      ],
    );
    return rows[0]!.seqs.map(Number);
  };

  /** Where the log ends with nothing in flight below it (see the header). */
  const horizon = () =>
    transaction(async (client): Promise<Cursor> => {
      await client.query('SELECT pg_advisory_xact_lock($1, 0)', [lockKeys.log]);
      const { rows } = await client.query<{ seq: number; revocation: number }>(
        'SELECT (SELECT coalesce(max(seq), 0) FROM log) AS seq, (SELECT coalesce(max(id), 0) FROM revocations) AS revocation',
      );
      return { seq: rows[0]?.seq ?? 0, revocation: rows[0]?.revocation ?? 0 };
    });

  let queue: QueuedCommit[] = [];
  let committing = false;
  const runQueue = async () => {
    committing = true;
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        const seqs = await commitBatch(batch.flatMap((item) => item.updates));
        mark?.advance(Math.max(0, ...seqs));
        let offset = 0;
        for (const item of batch) {
          item.resolve(seqs.slice(offset, offset + item.updates.length));
          offset += item.updates.length;
        }
      } catch (error) {
        for (const item of batch) item.reject(error);
      }
    }
    committing = false;
  };

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
      return transaction(async (client) => {
        const snapshot = (
          await client.query<{ data: Buffer; through_seq: number }>(
            'SELECT data, through_seq FROM snapshots WHERE doc = $1',
            [doc],
          )
        ).rows[0];
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
      }, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    },
    commitUpdates(updates) {
      if (updates.length === 0) return Promise.resolve([]);
      return new Promise((resolve, reject) => {
        queue.push({ updates, resolve, reject });
        if (!committing) void runQueue();
      });
    },
    async compact(doc, snapshot, throughSeq) {
      await transaction(async (client) => {
        const locked = (
          await client.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS ok', [
            lockKeys.compact,
            doc,
          ])
        ).rows[0]?.ok;
        if (!locked) return; // another instance is compacting this document right now
        const stored = (
          await client.query<{ data: Buffer; through_seq: number }>(
            'SELECT data, through_seq FROM snapshots WHERE doc = $1',
            [doc],
          )
        ).rows[0];
        if (stored !== undefined && stored.through_seq >= throughSeq) return; // someone compacted further already
        const rows = await client.query<{ data: Buffer }>(
          'SELECT data FROM log WHERE doc = $1 AND seq > $2 AND seq <= $3 AND data IS NOT NULL ORDER BY seq',
          [doc, stored?.through_seq ?? 0, throughSeq],
        );
        const merged = new Y.Doc({ gc: true });
        for (const part of [stored?.data, ...rows.rows.map((row) => row.data)]) {
          if (part === undefined) continue;
          try {
            Y.applyUpdate(merged, toBytes(part));
          } catch {
            // Unreadable rows were quarantined when the document was loaded (documents.ts).
          }
        }
        Y.applyUpdate(merged, snapshot);
        const data = Y.encodeStateAsUpdate(merged);
        merged.destroy();
        await client.query(
          `INSERT INTO snapshots (doc, data, through_seq, time, hash) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (doc) DO UPDATE SET data = excluded.data, through_seq = excluded.through_seq, time = excluded.time, hash = excluded.hash`,
          [doc, toBuffer(data), throughSeq, Date.now(), sha256(data)],
        );
        await client.query('UPDATE log SET data = NULL WHERE doc = $1 AND seq <= $2 AND data IS NOT NULL', [
          doc,
          throughSeq,
        ]);
      });
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
      const where: string[] = [];
      const params: (string | number)[] = [];
      if (query.doc !== undefined) where.push(`doc = $${params.push(query.doc)}`);
      if (query.user !== undefined) where.push(`"user" = $${params.push(query.user)}`);
      const limit = Math.max(1, Math.min(query.limit ?? 1000, 100_000));
      const rows = await one<Omit<AuditEntry, 'clientIds'> & { client_ids: string }>(
        `SELECT seq, doc, "user", name, time, size, hash, client_ids FROM log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ${limit}`,
        params,
      );
      return rows
        .reverse()
        .map(({ client_ids, ...row }) => ({ ...row, clientIds: JSON.parse(client_ids) as number[] }));
    },
    async revoke(target, time) {
      const user = 'user' in target ? target.user : null;
      const jti = 'jti' in target ? target.jti : null;
      return transaction(async (client) => {
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
         SELECT l.seq, l.doc, l.data, q.error, $3 FROM log l JOIN unnest($1::bigint[], $2::text[]) AS q(seq, error) ON l.seq = q.seq
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
      while (committing) await new Promise((resolve) => setTimeout(resolve, 5));
      mark?.close();
      await pool.end();
    },
  };
}

/** Stored values against their recorded hashes (every update with `full`, snapshots always) and the commit mark. */
async function verifyPostgres(pool: pg.Pool, dataDir: string | undefined, full: boolean): Promise<StoreProblem[]> {
  const problems: StoreProblem[] = [];
  try {
    const snapshots = await pool.query<{ doc: string; hash: string }>(
      "SELECT doc, hash FROM snapshots WHERE hash IS NOT NULL AND hash <> encode(sha256(data), 'hex') LIMIT 50",
    );
    for (const row of snapshots.rows)
      problems.push({
        kind: 'integrity',
        doc: row.doc,
        detail: 'a snapshot does not match the SHA-256 recorded when it was written',
      });
    if (full) {
      const updates = await pool.query<{ seq: number; doc: string }>(
        "SELECT seq, doc FROM log WHERE data IS NOT NULL AND hash <> encode(sha256(data), 'hex') LIMIT 50",
      );
      for (const row of updates.rows)
        problems.push({
          kind: 'integrity',
          doc: row.doc,
          seq: row.seq,
          detail: 'a stored update does not match the SHA-256 recorded when it was written',
        });
    }
    const stored =
      (await pool.query<{ seq: number }>('SELECT coalesce(max(seq), 0) AS seq FROM log')).rows[0]?.seq ?? 0;
    const mark = dataDir !== undefined ? readCommitMark(dataDir) : null;
    if (mark !== null && mark > stored) {
      problems.push({
        kind: 'lost-writes',
        seq: mark,
        detail: `the database holds writes up to seq ${stored}, but this instance committed and acknowledged seq ${mark}`,
      });
    }
  } catch (error) {
    problems.push({ kind: 'storage-error', detail: `checking the database failed: ${(error as Error).message}` });
  }
  return problems;
}
