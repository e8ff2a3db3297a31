/**
 * The store a data directory stands for, for the CLI's commands (admin.ts): SQLite in the
 * directory, unless a server was started on it with `--store postgres://…`, which records the URL
 * in `store.url` (mode 0600, beside `secret.key`) so that `cli audit`, `export`, `check`, `revoke`
 * and `import` with `--data DIR` read and write the shared database, not an empty SQLite file.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openSqliteStorage } from './sqlite.ts';
import type { Storage } from './types.ts';

export const storeFileName = 'store.url';

export function rememberStore(dataDir: string, url: string): void {
  const file = join(dataDir, storeFileName);
  writeFileSync(file, `${url}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

export async function openDataDirStorage(dataDir: string): Promise<Storage> {
  const file = join(dataDir, storeFileName);
  if (!existsSync(file)) return openSqliteStorage(dataDir);
  // Loaded only here: SQLite-only commands never load the PostgreSQL driver.
  const { openPostgresStorage } = await import('./postgres.ts');
  return openPostgresStorage(readFileSync(file, 'utf8').trim(), { dataDir });
}
