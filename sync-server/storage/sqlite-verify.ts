/**
 * What `Storage.verify` means for SQLite: the file's structure (`PRAGMA quick_check`, or the slower
 * `integrity_check` on demand), every stored update and snapshot against the SHA-256 recorded
 * when it was written (a damaged page inside a value passes the structural check), and the commit
 * mark (commit-mark.ts) against the highest `seq` stored: acknowledged writes that are gone.
 */
import type Database from 'better-sqlite3';
import { readCommitMark } from './commit-mark.ts';
import type { StoreProblem } from './types.ts';
import { sha256 } from './values.ts';

/** Enough to say what is wrong without flooding a log. */
const maxListed = 50;

export function verifySqlite(db: Database.Database, dataDir: string, full: boolean): StoreProblem[] {
  const problems: StoreProblem[] = [];
  const attempt = (what: string, run: () => void) => {
    try {
      run();
    } catch (error) {
      problems.push({ kind: 'integrity', detail: `${what} failed: ${(error as Error).message}` });
    }
  };
  attempt('the SQLite integrity check', () => {
    const rows = db.pragma(full ? 'integrity_check' : 'quick_check') as Record<string, string>[];
    const findings = rows.map((row) => Object.values(row)[0] ?? '').filter((text) => text !== 'ok');
    for (const text of findings.slice(0, maxListed)) problems.push({ kind: 'integrity', detail: `SQLite: ${text}` });
  });
  attempt('reading the stored updates', () => {
    let listed = 0;
    const rows = db.prepare<[], { seq: number; doc: string; hash: string; data: Buffer }>(
      'SELECT seq, doc, hash, data FROM log WHERE data IS NOT NULL',
    );
    for (const row of rows.iterate()) {
      if (sha256(row.data) === row.hash || listed++ >= maxListed) continue;
      problems.push({
        kind: 'integrity',
        doc: row.doc,
        seq: row.seq,
        detail: 'a stored update does not match the SHA-256 recorded when it was written',
      });
    }
  });
  attempt('reading the snapshots', () => {
    const rows = db.prepare<[], { doc: string; hash: string; data: Buffer }>(
      'SELECT doc, hash, data FROM snapshots WHERE hash IS NOT NULL',
    );
    for (const row of rows.iterate()) {
      if (sha256(row.data) !== row.hash)
        problems.push({
          kind: 'integrity',
          doc: row.doc,
          detail: 'a snapshot does not match the SHA-256 recorded when it was written',
        });
    }
  });
  attempt('comparing with the commit mark', () => {
    const mark = readCommitMark(dataDir);
    const stored = db.prepare<[], { seq: number | null }>('SELECT max(seq) AS seq FROM log').get()?.seq ?? 0;
    if (mark !== null && mark > stored) {
      problems.push({
        kind: 'lost-writes',
        seq: mark,
        detail:
          `storage holds writes up to seq ${stored}, but seq ${mark} was committed and acknowledged: ` +
          `up to ${mark - stored} acknowledged writes are missing`,
      });
    }
  });
  return problems;
}
