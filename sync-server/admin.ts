/**
 * Administrative operations on a data directory, used by the CLI (cli.ts) and by tests. They
 * work while the server runs: SQLite serialises writers, and the server picks up imports and
 * revocations from storage within its poll interval.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import type { Grant } from './access.ts';
import { decodeUpdate, hashUpdate } from './attribution.ts';
import { databaseFileName, openSqliteStorage } from './storage/sqlite.ts';
import type { AuditEntry, Revocation, Storage } from './storage/types.ts';
import { loadOrCreateSecret, mintToken, secretFileName, type TokenPayload } from './token.ts';

async function withStorage<T>(dataDir: string, run: (storage: Storage) => Promise<T>): Promise<T> {
  const storage = openSqliteStorage(dataDir);
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
  return withStorage(dataDir, (storage) => storage.revoke(target, Date.now()));
}

export function readAudit(dataDir: string, query: { doc?: string; user?: string; limit?: number }): Promise<AuditEntry[]> {
  return withStorage(dataDir, (storage) => storage.audit(query));
}

/** The document's full state as one Yjs update (what `Y.applyUpdate` takes). */
export function exportDocument(dataDir: string, doc: string): Promise<Uint8Array> {
  return withStorage(dataDir, async (storage) => {
    const stored = await storage.loadDocument(doc);
    const ydoc = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(ydoc, stored.snapshot);
    for (const update of stored.updates) Y.applyUpdate(ydoc, update.data);
    const state = Y.encodeStateAsUpdate(ydoc);
    ydoc.destroy();
    return state;
  });
}

/**
 * Append a Yjs update file to a document, audited as `user`. Content under clientIDs that nobody
 * has bound yet is bound to `user`; existing bindings are left alone, so re-importing an export
 * keeps each item's original author.
 */
export function importDocument(dataDir: string, doc: string, update: Uint8Array, user: string): Promise<{ seq: number; size: number }> {
  const decoded = decodeUpdate(update); // throws on garbage, before anything is stored
  return withStorage(dataDir, async (storage) => {
    const { bindings } = await storage.loadDocument(doc);
    const [seq] = await storage.commitUpdates([{
      doc,
      data: update,
      user,
      name: user,
      time: Date.now(),
      hash: hashUpdate(update),
      clientIds: decoded.clientIds,
      newBindings: decoded.clientIds.filter((id) => !bindings.has(id)),
    }]);
    return { seq: seq ?? 0, size: update.byteLength };
  });
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
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

export const readUpdateFile = (file: string): Uint8Array => new Uint8Array(readFileSync(file));
export const writeUpdateFile = (file: string, update: Uint8Array): void => writeFileSync(file, update);
