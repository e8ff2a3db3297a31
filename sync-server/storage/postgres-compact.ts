/**
 * Compaction on a store several instances share: one instance per document at a time (an advisory
 * lock; a busy lock means another instance is compacting it, so this one skips), and the snapshot
 * is the stored snapshot plus the rows it replaces plus the caller's state merged, so an update
 * another instance committed meanwhile is never folded away unseen. Rows are kept with their data
 * cleared: `seq` is never reused and the audit columns stay.
 */
import type pg from 'pg';
import * as Y from 'yjs';
import { lockKeys } from './postgres-schema.ts';
import { sha256, toBuffer, toBytes } from './values.ts';

/** `doc`'s snapshot and the last `seq` it holds, if it has one. */
export async function storedSnapshot(
  client: pg.PoolClient,
  doc: string,
): Promise<{ data: Buffer; through_seq: number } | undefined> {
  const { rows } = await client.query<{ data: Buffer; through_seq: number }>(
    'SELECT data, through_seq FROM snapshots WHERE doc = $1',
    [doc],
  );
  return rows[0];
}

/** Fold `doc`'s log through `throughSeq` into its snapshot, inside the caller's transaction. */
export async function compactInTransaction(
  client: pg.PoolClient,
  doc: string,
  snapshot: Uint8Array,
  throughSeq: number,
): Promise<void> {
  const locked = (
    await client.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS ok', [
      lockKeys.compact,
      doc,
    ])
  ).rows[0]?.ok;
  if (!locked) return; // another instance is compacting this document right now
  const stored = await storedSnapshot(client, doc);
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
     ON CONFLICT (doc) DO UPDATE SET data = excluded.data, through_seq = excluded.through_seq,
       time = excluded.time, hash = excluded.hash`,
    [doc, toBuffer(data), throughSeq, Date.now(), sha256(data)],
  );
  await client.query('UPDATE log SET data = NULL WHERE doc = $1 AND seq <= $2 AND data IS NOT NULL', [doc, throughSeq]);
}
