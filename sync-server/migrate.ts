/**
 * `npm run cli -- migrate --from <data dir> --to postgres://…`: move a SQLite store to PostgreSQL
 * (README.md, Deployment). Copies every document (its log rows, audit columns included, its
 * snapshot, clientID bindings, quarantined updates) and every revocation, keeping their sequence
 * numbers, so audit entries and snapshots mean the same in the new store.
 *
 * - Verified: each document is rebuilt from the target as the server would load it and compared
 *   with the source: the same state vector and the same SHA-256 of its full state.
 * - Resumable: each document is copied in one transaction that also records it in
 *   `migrated_documents`; a run that stops midway is run again and skips what was copied and
 *   verified (one copied but not yet verified is copied afresh).
 * - Safe: the source data directory is locked (no server may be writing it), and a target that
 *   already took writes of its own is refused rather than mixed with the source's numbering.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { lockDataDir } from './datadir-lock.ts';
import { replayStored } from './replay.ts';
import { databaseFileName } from './storage/sqlite.ts';
import { openPostgresStorage } from './storage/postgres.ts';
import type { StoredDocument } from './storage/types.ts';

export class MigrationRefused extends Error {}

export interface MigrationReport {
  copied: string[];
  skipped: string[];
  revocations: number;
  /** View-log entries (查阅留痕) in the source; each is copied once however often migrate runs. */
  views: number;
}

const digest = (state: Uint8Array) => createHash('sha256').update(state).digest('hex');

/** What a document is, for comparing two stores: its state vector and a hash of its state. */
function fingerprint(stored: Pick<StoredDocument, 'snapshot' | 'updates'>): { stateVector: Uint8Array; hash: string } {
  const { ydoc } = replayStored(stored);
  const result = { stateVector: Y.encodeStateVector(ydoc), hash: digest(Y.encodeStateAsUpdate(ydoc)) };
  ydoc.destroy();
  return result;
}

type Row = Record<string, unknown>;

export async function migrateStore(
  from: string,
  to: string,
  say: (line: string) => void = () => undefined,
): Promise<MigrationReport> {
  const lock = lockDataDir(from, 'cli migrate');
  const source = new Database(join(from, databaseFileName), { readonly: true, fileMustExist: true });
  const target = await openPostgresStorage(to);
  const report: MigrationReport = { copied: [], skipped: [], revocations: 0, views: 0 };
  try {
    const pool = target.pool;
    const foreign = await pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM log WHERE doc NOT IN (SELECT doc FROM migrated_documents)',
    );
    if ((foreign.rows[0]?.n ?? 0) > 0)
      throw new MigrationRefused(
        `${to.replace(/:[^:@/]*@/u, ':***@')} already holds writes of its own: migrate into an empty store`,
      );
    const done = new Map(
      (await pool.query<{ doc: string; verified: boolean }>('SELECT doc, verified FROM migrated_documents')).rows.map(
        (row) => [row.doc, row.verified],
      ),
    );
    const docs = source
      .prepare<[], { doc: string }>(
        'SELECT doc FROM log UNION SELECT doc FROM snapshots UNION SELECT doc FROM client_bindings ORDER BY doc',
      )
      .all()
      .map((row) => row.doc);
    const loadSource = (doc: string): Pick<StoredDocument, 'snapshot' | 'updates'> => {
      const snapshot = source
        .prepare<[string], { data: Buffer; through_seq: number }>(
          'SELECT data, through_seq FROM snapshots WHERE doc = ?',
        )
        .get(doc);
      const updates = source
        .prepare<[string, number], { seq: number; data: Buffer }>(
          'SELECT seq, data FROM log WHERE doc = ? AND seq > ? AND data IS NOT NULL ORDER BY seq',
        )
        .all(doc, snapshot?.through_seq ?? 0);
      return {
        snapshot: snapshot ? new Uint8Array(snapshot.data) : null,
        updates: updates.map((u) => ({ seq: u.seq, data: new Uint8Array(u.data) })),
      };
    };
    for (const doc of docs) {
      if (done.get(doc) === true) {
        report.skipped.push(doc);
        continue;
      }
      const expected = fingerprint(loadSource(doc));
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        for (const table of ['log', 'snapshots', 'client_bindings', 'quarantine', 'migrated_documents'])
          await client.query(`DELETE FROM ${table} WHERE doc = $1`, [doc]);
        const copy = async (table: string, columns: string[], rows: Row[]) => {
          for (const row of rows) {
            const names = columns.map((c) => `"${c}"`).join(', ');
            const values = columns.map((_, i) => `$${i + 1}`).join(', ');
            await client.query(
              `INSERT INTO ${table} (${names}) VALUES (${values})`,
              columns.map((c) => row[c] ?? null),
            );
          }
        };
        await copy(
          'log',
          ['seq', 'doc', 'user', 'name', 'time', 'size', 'hash', 'client_ids', 'data'],
          source.prepare('SELECT * FROM log WHERE doc = ? ORDER BY seq').all(doc) as Row[],
        );
        await copy(
          'snapshots',
          ['doc', 'data', 'through_seq', 'time', 'hash'],
          source.prepare('SELECT * FROM snapshots WHERE doc = ?').all(doc) as Row[],
        );
        const bindings = (source.prepare('SELECT * FROM client_bindings WHERE doc = ?').all(doc) as Row[]).map(
          (row) => ({ ...row, wrote: row.wrote !== 0 }),
        );
        await copy('client_bindings', ['doc', 'client_id', 'user', 'name', 'time', 'wrote'], bindings);
        await copy(
          'quarantine',
          ['seq', 'doc', 'data', 'error', 'time'],
          source.prepare('SELECT * FROM quarantine WHERE doc = ?').all(doc) as Row[],
        );
        await client.query(
          `INSERT INTO migrated_documents (doc, source, state_vector, hash, verified, time)
           VALUES ($1, $2, $3, $4, false, $5)`,
          [doc, from, Buffer.from(expected.stateVector), expected.hash, Date.now()],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
      const actual = fingerprint(await target.loadDocument(doc));
      if (
        actual.hash !== expected.hash ||
        Buffer.compare(Buffer.from(actual.stateVector), Buffer.from(expected.stateVector)) !== 0
      ) {
        throw new MigrationRefused(
          `${doc} does not read back the same from PostgreSQL (state vector or content hash differ); run migrate again`,
        );
      }
      await pool.query('UPDATE migrated_documents SET verified = true WHERE doc = $1', [doc]);
      report.copied.push(doc);
      say(`copied ${doc}: state vector and content hash match`);
    }
    const revocations = source.prepare('SELECT id, user, jti, time FROM revocations ORDER BY id').all() as Row[];
    for (const row of revocations) {
      // New ids (only cursors): a target whose instances already revoked something keeps both.
      await pool.query(
        `INSERT INTO revocations ("user", jti, time) SELECT $1::text, $2::text, $3::bigint
         WHERE NOT EXISTS (SELECT 1 FROM revocations
                           WHERE "user" IS NOT DISTINCT FROM $1 AND jti IS NOT DISTINCT FROM $2 AND time = $3)`,
        [row.user, row.jti, row.time],
      );
    }
    report.revocations = revocations.length;
    // The view log, in its order; (user, id) is unique, so a resumed run adds only what is missing.
    const hasViews =
      source.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'views'").get() !== undefined;
    const views = hasViews ? (source.prepare('SELECT * FROM views ORDER BY seq').all() as Row[]) : [];
    for (let i = 0; i < views.length; i += 500) {
      await target.recordViews(
        views.slice(i, i + 500).map((row) => ({
          id: String(row.id),
          user: String(row.user),
          name: String(row.name),
          subjectType: row.subject_type === 'unit' ? 'unit' : 'cadre',
          subjectId: String(row.subject_id),
          unit: String(row.unit),
          view: String(row.view),
          clientTime: Number(row.client_time),
          time: Number(row.time),
        })),
      );
    }
    report.views = views.length;
    // New writes number on from the copied ones.
    await pool.query(
      "SELECT setval(pg_get_serial_sequence('log', 'seq'), coalesce(max(seq), 1), max(seq) IS NOT NULL) FROM log",
    );
    say(
      `migrated ${report.copied.length} document(s) (${report.skipped.length} already done), ` +
        `${report.revocations} revocation(s) and ${report.views} view-log entr${report.views === 1 ? 'y' : 'ies'}`,
    );
    return report;
  } finally {
    source.close();
    await target.close();
    lock.release();
  }
}

/** The `migrate` command's arguments; throws with a usage line when they are wrong. */
export function migrateArguments(argv: string[]): { from: string; to: string } {
  const { values } = parseArgs({
    args: argv,
    options: { from: { type: 'string' }, to: { type: 'string' } },
    strict: true,
  });
  if (values.from === undefined || values.to === undefined || !/^postgres(?:ql)?:\/\//u.test(values.to)) {
    throw new MigrationRefused(
      'usage: npm run cli -- migrate --from <data dir> --to postgres://user@host:5432/db[?schema=name]',
    );
  }
  return { from: values.from, to: values.to };
}
