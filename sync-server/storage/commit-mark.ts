/**
 * The commit mark: the highest `seq` ever committed, kept in a small file beside the database,
 * outside SQLite and its WAL. If storage later holds less than the mark says (a WAL whose tail was
 * damaged and dropped on recovery, a database file swapped for an older copy), acknowledged writes
 * are missing, and integrity.ts says so loudly instead of serving the shortened store as healthy.
 *
 * Written after each commit, never fsynced: the mark only has to be no newer than what is durable
 * when nothing was lost. A process killed after the commit keeps both (page cache); a power cut can
 * only lose the mark's last write as well, which silences the check, never raises a false alarm.
 * It never goes down, except when an operator acknowledges a loss (`cli check --clear`).
 */
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const commitMarkFileName = 'dossier-lens.seq';
const width = 20;

export function readCommitMark(dataDir: string): number | null {
  try {
    const value = Number(readFileSync(join(dataDir, commitMarkFileName), 'utf8').trim());
    return Number.isSafeInteger(value) && value >= 0 ? value : null;
  } catch {
    return null;
  }
}

export interface CommitMark {
  /** Raise the mark to `seq` (no-op when it is already there). */
  advance(seq: number): void;
  /** Set the mark to `seq`, even lower (an acknowledged loss). */
  reset(seq: number): void;
  close(): void;
}

/** The mark of `dataDir`; the file is made by the first commit (a store from before it has none). */
export function openCommitMark(dataDir: string): CommitMark {
  const file = join(dataDir, commitMarkFileName);
  let highest = readCommitMark(dataDir) ?? 0;
  let fd: number | null = null;
  const write = (seq: number) => {
    // Fixed width, written in place: one system call, never a truncated file.
    fd ??= openSync(file, existsSync(file) ? 'r+' : 'w+');
    writeSync(fd, String(seq).padStart(width, ' ') + '\n', 0);
  };
  return {
    advance(seq) {
      if (seq <= highest) return;
      highest = seq;
      write(seq);
    },
    reset(seq) {
      highest = seq;
      write(seq);
    },
    close() {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}
