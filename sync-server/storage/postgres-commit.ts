/**
 * Group commit on PostgreSQL: calls arriving while a transaction is in flight wait and go together
 * in the next one, so one commit (one WAL flush, one round trip: the database function
 * `dossierlens_commit`, postgres-schema.ts) carries everything that arrived meanwhile.
 */
import type pg from 'pg';
import type { CommitMark } from './commit-mark.ts';
import type { UpdateToCommit } from './types.ts';
import { toBuffer } from './values.ts';

interface QueuedCommit {
  updates: UpdateToCommit[];
  resolve(seqs: number[]): void;
  reject(error: unknown): void;
}

export interface GroupCommit {
  /** Each update's `seq`, or 0 for an update refused over a clientID (another user's). */
  commitUpdates(updates: UpdateToCommit[]): Promise<number[]>;
  /** A transaction is in flight. */
  readonly committing: boolean;
}

/** Everything `updates` needs stored, in one transaction and one round trip. */
async function commitBatch(pool: pg.Pool, updates: UpdateToCommit[]): Promise<number[]> {
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
}

/** `mark`, when given, advances past every committed `seq` (commit-mark.ts). */
export function groupCommit(pool: pg.Pool, mark: CommitMark | null): GroupCommit {
  let queue: QueuedCommit[] = [];
  let committing = false;
  const runQueue = async () => {
    committing = true;
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        const seqs = await commitBatch(
          pool,
          batch.flatMap((item) => item.updates),
        );
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
  return {
    get committing() {
      return committing;
    },
    commitUpdates(updates) {
      if (updates.length === 0) return Promise.resolve([]);
      return new Promise((resolve, reject) => {
        queue.push({ updates, resolve, reject });
        if (!committing) void runQueue();
      });
    },
  };
}
