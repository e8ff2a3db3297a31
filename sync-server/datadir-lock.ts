/**
 * One writer per data directory. Two servers on one directory each compact from their own memory
 * and lose each other's acknowledged writes, so a server holds this lock for its whole life and a
 * second one refuses to start, naming the holder. The CLI's writing commands (`revoke`, `import` of
 * a `.ydoc`, `check --clear`) take the lock when no server runs, and otherwise go through the
 * running server (admin-http.ts); reading commands (`audit`, `export`, `backup`, `check`) need no
 * lock: SQLite readers never disturb the writer.
 *
 * The lock is SQLite's own: an exclusive transaction kept open on `server.lock` (a small SQLite file
 * next to the store). The operating system drops it when the holding process dies, even by
 * SIGKILL, so there is no stale lock to clean up; SQLite also refuses a second connection of the
 * same process. Who holds it is written to `server.lock.json` once acquired, for the message.
 */
import { hostname } from 'node:os';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export const lockFileName = 'server.lock';
const holderFileName = 'server.lock.json';

export interface LockHolder {
  pid: number;
  host: string;
  /** 'server' or the CLI command holding it. */
  what: string;
  since: string;
  /** The running server's address, for the CLI to send writes to (set once it listens). */
  url?: string;
}

export class DataDirLocked extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder | null,
  ) {
    super(
      holder
        ? `${dataDir} is in use by ${holder.what} (pid ${holder.pid} on ${holder.host}, since ${holder.since}` +
            `${holder.url ? `, ${holder.url}` : ''}); stop it first, or let it do the work`
        : `${dataDir} is in use by another process`,
    );
    this.name = 'DataDirLocked';
  }
}

export interface DataDirLock {
  /** Record the server's address for the CLI. */
  announce(url: string): void;
  release(): void;
}

/** Take the data directory's lock, or throw `DataDirLocked` naming who holds it. */
export function lockDataDir(dataDir: string, what: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, lockFileName));
  try {
    db.pragma('busy_timeout = 0');
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') throw new DataDirLocked(dataDir, readLockHolder(dataDir));
    throw error;
  }
  let holder: LockHolder = { pid: process.pid, host: hostname(), what, since: new Date().toISOString() };
  const write = () => writeFileSync(join(dataDir, holderFileName), JSON.stringify(holder) + '\n');
  write();
  let released = false;
  return {
    announce(url) {
      holder = { ...holder, url };
      write();
    },
    release() {
      if (released) return;
      released = true;
      rmSync(join(dataDir, holderFileName), { force: true });
      db.close();
    },
  };
}

/** Who last took the lock (meaningful while it is held). */
export function readLockHolder(dataDir: string): LockHolder | null {
  try {
    const parsed = JSON.parse(readFileSync(join(dataDir, holderFileName), 'utf8')) as LockHolder;
    return typeof parsed.pid === 'number' ? parsed : null;
  } catch {
    return null;
  }
}

/**
 * Run `direct` under the lock when nobody holds it; when a server does, hand the work to it with
 * `viaServer(url)`. Anything else holding it (another CLI command) is an error naming it.
 */
export async function withDataDir<T>(
  dataDir: string,
  what: string,
  direct: () => Promise<T>,
  viaServer: (url: string) => Promise<T>,
): Promise<T> {
  let lock: DataDirLock;
  try {
    lock = lockDataDir(dataDir, what);
  } catch (error) {
    if (error instanceof DataDirLocked && error.holder?.what === 'server' && error.holder.url)
      return viaServer(error.holder.url);
    throw error;
  }
  try {
    return await direct();
  } finally {
    lock.release();
  }
}
