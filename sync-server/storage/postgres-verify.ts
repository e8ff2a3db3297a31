/**
 * What `Storage.verify` means for PostgreSQL: stored values against the SHA-256 recorded when they
 * were written (every update with `full`, snapshots always) and the commit mark (commit-mark.ts)
 * against the highest `seq` stored: acknowledged writes the database no longer holds. The database
 * checks its own pages; these are the damages it cannot see.
 */
import type pg from 'pg';
import { readCommitMark } from './commit-mark.ts';
import type { StoreProblem } from './types.ts';

/** Enough to say what is wrong without flooding a log. */
const maxListed = 50;

export async function verifyPostgres(
  pool: pg.Pool,
  dataDir: string | undefined,
  full: boolean,
): Promise<StoreProblem[]> {
  const problems: StoreProblem[] = [];
  /** Rows of `table` whose data no longer hashes to what was recorded, one problem each. */
  const mismatched = async (table: 'snapshots' | 'log', detail: string) => {
    const seq = table === 'log' ? 'seq, ' : '';
    const rows = await pool.query<{ seq?: number; doc: string }>(
      `SELECT ${seq}doc FROM ${table} WHERE data IS NOT NULL AND hash IS NOT NULL` +
        ` AND hash <> encode(sha256(data), 'hex') LIMIT ${maxListed}`,
    );
    for (const { doc, seq } of rows.rows)
      problems.push({ kind: 'integrity', doc, ...(seq !== undefined && { seq }), detail });
  };
  try {
    await mismatched('snapshots', 'a snapshot does not match the SHA-256 recorded when it was written');
    if (full) await mismatched('log', 'a stored update does not match the SHA-256 recorded when it was written');
    const stored =
      (await pool.query<{ seq: number }>('SELECT coalesce(max(seq), 0) AS seq FROM log')).rows[0]?.seq ?? 0;
    const mark = dataDir !== undefined ? readCommitMark(dataDir) : null;
    if (mark !== null && mark > stored) {
      problems.push({
        kind: 'lost-writes',
        seq: mark,
        detail:
          `the database holds writes up to seq ${stored}, ` +
          `but this instance committed and acknowledged seq ${mark}`,
      });
    }
  } catch (error) {
    problems.push({ kind: 'storage-error', detail: `checking the database failed: ${(error as Error).message}` });
  }
  return problems;
}
