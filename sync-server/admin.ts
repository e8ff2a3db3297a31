/**
 * Administrative operations on a data directory, used by the CLI (cli.ts) and by tests. Reading
 * ones (audit, export, backup, check) read the store directly, also while the server runs. Writing
 * ones (revoke, import, check --clear) take the data directory's lock when no server runs, and
 * otherwise go through the running server (datadir-lock.ts, admin-http.ts): one writer per store.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import type { Grant } from './access.ts';
import { hashUpdate } from './attribution.ts';
import { formatTable } from './cli-table.ts';
import { postAdmin } from './admin-remote.ts';
import { withDataDir } from './datadir-lock.ts';
import { type IntegrityReport, checkIntegrity } from './integrity.ts';
import { StagedDocument, defaultUpdateLimits } from './update-guard.ts';
import { type SkippedUpdate, replayStored } from './replay.ts';
import { openDataDirStorage } from './storage/open.ts';
import { databaseFileName } from './storage/sqlite.ts';
import type { AuditEntry, Revocation, Storage } from './storage/types.ts';
import { loadOrCreateSecret, mintToken, secretFileName, type TokenPayload } from './token.ts';

/** Open the data directory's store for one operation (reading commands; view-log-cli.ts too). */
export async function withStorage<T>(dataDir: string, run: (storage: Storage) => Promise<T>): Promise<T> {
  const storage = await openDataDirStorage(dataDir);
  try {
    return await run(storage);
  } finally {
    await storage.close();
  }
}

export function issueToken(
  dataDir: string,
  options: { user: string; name?: string; grants: Grant[]; ttlSeconds: number },
): { token: string; payload: TokenPayload } {
  return mintToken(loadOrCreateSecret(dataDir), options);
}

export function revoke(dataDir: string, target: { user: string } | { jti: string }): Promise<Revocation> {
  return withDataDir(
    dataDir,
    'cli revoke',
    () => withStorage(dataDir, (storage) => revokeNow(storage, target)),
    (url) => postAdmin<Revocation>(dataDir, url, '/admin/revoke', 'cli:revoke', JSON.stringify(target)),
  );
}

/**
 * Revoke as of this millisecond, and return only once it has passed: a token minted after this
 * returns is issued later than the revocation, so it is valid (token.ts).
 */
export async function revokeNow(storage: Storage, target: { user: string } | { jti: string }): Promise<Revocation> {
  const revocation = await storage.revoke(target, Date.now());
  while (Date.now() <= revocation.time) await new Promise((resolve) => setTimeout(resolve, 1));
  return revocation;
}

export function readAudit(
  dataDir: string,
  query: { doc?: string; user?: string; limit?: number },
): Promise<AuditEntry[]> {
  return withStorage(dataDir, (storage) => storage.audit(query));
}

/** The document's full state as one Yjs update (what `Y.applyUpdate` takes). */
export async function exportDocument(dataDir: string, doc: string): Promise<Uint8Array> {
  return (await recoverDocument(dataDir, doc)).state;
}

/**
 * The document's state, rebuilt update by update (replay.ts): a stored update that does not apply
 * is left out and listed, and everything else is kept.
 */
export function recoverDocument(
  dataDir: string,
  doc: string,
): Promise<{ state: Uint8Array; skipped: SkippedUpdate[] }> {
  return withStorage(dataDir, async (storage) => {
    const { ydoc, skipped } = replayStored(await storage.loadDocument(doc));
    const state = Y.encodeStateAsUpdate(ydoc);
    ydoc.destroy();
    return { state, skipped };
  });
}

/**
 * Append a Yjs update file to a document, audited as `user`, through the same guard as every write
 * (update-guard.ts): refused, with nothing stored, if it could not be applied and loaded again or
 * brings new content under a clientID bound to someone else. Content under clientIDs nobody has
 * bound yet is bound to `user`; content the document already holds is not new, so re-importing an
 * export keeps each item's original author. No cap on clientIDs: an export carries every author.
 */
export function importDocument(
  dataDir: string,
  doc: string,
  update: Uint8Array,
  user: string,
): Promise<{ seq: number; size: number }> {
  return withDataDir(
    dataDir,
    'cli import',
    () => withStorage(dataDir, (storage) => importInto(storage, doc, update, user)),
    async (url) => {
      const answer = await postAdmin<{ seq: number }>(
        dataDir,
        url,
        `/admin/import?doc=${encodeURIComponent(doc)}&name=${encodeURIComponent(user)}`,
        user,
        update,
      );
      return { seq: answer.seq, size: update.byteLength };
    },
  );
}

async function importInto(
  storage: Storage,
  doc: string,
  update: Uint8Array,
  user: string,
): Promise<{ seq: number; size: number }> {
  const stored = await storage.loadDocument(doc);
  const { ydoc } = replayStored(stored);
  const guard = new StagedDocument(ydoc);
  try {
    const storedBytes =
      (stored.snapshot?.byteLength ?? 0) + stored.updates.reduce((sum, row) => sum + row.data.byteLength, 0);
    const verdict = guard.check(update, {
      user,
      bindings: stored.bindings,
      storedBytes,
      limits: defaultUpdateLimits,
      anyClientCount: true,
    });
    if (!verdict.ok) throw new ImportRefused(`${verdict.kind}: ${verdict.detail}`);
    if (verdict.empty) return { seq: 0, size: update.byteLength };
    const [seq] = await storage.commitUpdates([
      {
        doc,
        data: update,
        user,
        name: user,
        time: Date.now(),
        hash: hashUpdate(update),
        clientIds: verdict.clientIds,
        newBindings: verdict.writtenIds,
      },
    ]);
    return { seq: seq ?? 0, size: update.byteLength };
  } finally {
    guard.destroy();
    ydoc.destroy();
  }
}

export class ImportRefused extends Error {
  override name = 'ImportRefused';
}

/**
 * `cli check`: verify the store (integrity.ts). Reads directly; `clear` writes, so it takes the
 * lock or goes through the running server, which then stops reporting the cleared problems.
 */
export function checkStore(dataDir: string, options: { full: boolean; clear: boolean }): Promise<IntegrityReport> {
  const direct = () => withStorage(dataDir, (storage) => checkIntegrity(storage, dataDir, options));
  if (!options.clear) return direct();
  return withDataDir(dataDir, 'cli check --clear', direct, (url) =>
    postAdmin<IntegrityReport>(dataDir, url, `/admin/check?clear=1${options.full ? '&full=1' : ''}`, 'cli:check'),
  );
}

/** Stored updates set aside because they do not apply (replay.ts), for `cli check`. */
export function quarantined(dataDir: string): Promise<{ seq: number; doc: string; error: string; time: number }[]> {
  return withStorage(dataDir, (storage) => storage.quarantined());
}

/** A consistent copy (SQLite online backup) plus the signing secret, into a new directory. */
export async function backup(dataDir: string, outDir: string): Promise<string[]> {
  const target = join(outDir, databaseFileName);
  if (existsSync(target)) throw new Error(`${target} already exists; choose an empty directory`);
  mkdirSync(outDir, { recursive: true });
  await withStorage(dataDir, (storage) => storage.backup(target));
  const written = [target];
  const secret = join(dataDir, secretFileName);
  if (existsSync(secret)) {
    copyFileSync(secret, join(outDir, secretFileName));
    written.push(join(outDir, secretFileName));
  }
  return written;
}

export function formatAuditTable(entries: AuditEntry[]): string {
  const header = ['time', 'doc', 'user', 'name', 'bytes', 'sha256', 'clientIds'];
  const rows = entries.map((entry) => [
    new Date(entry.time).toISOString(),
    entry.doc,
    entry.user,
    entry.name,
    String(entry.size),
    entry.hash.slice(0, 12),
    entry.clientIds.join(','),
  ]);
  return formatTable(header, rows);
}

export const readUpdateFile = (file: string): Uint8Array => new Uint8Array(readFileSync(file));
export const writeUpdateFile = (file: string, update: Uint8Array): void => writeFileSync(file, update);
