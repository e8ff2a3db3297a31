/**
 * Rebuilding a document from storage so that one bad stored update can never take the rest with
 * it. The server loads documents this way and `cli export` recovers them this way.
 *
 * Updates are applied one at a time, in storage order. When one throws (a stored update from
 * before the update guard, say a delete of thousands of nested maps that overflows the stack), the
 * document may be half-changed, so it is rebuilt from everything that did apply, the bad update is
 * reported with its `seq`, and replay carries on with the next one: everything before the bad
 * update, and everything after it that does not depend on it, is kept.
 */
import * as Y from 'yjs';
import type { StoredDocument } from './storage/types.ts';

export interface SkippedUpdate {
  /** The log row; 0 for the snapshot. */
  seq: number;
  error: string;
}

export interface Replayed {
  ydoc: Y.Doc;
  skipped: SkippedUpdate[];
}

export function replayStored(stored: Pick<StoredDocument, 'snapshot' | 'updates'>, gc = true): Replayed {
  const applied: Uint8Array[] = [];
  const skipped: SkippedUpdate[] = [];
  let ydoc = new Y.Doc({ gc });
  const attempt = (seq: number, data: Uint8Array) => {
    try {
      Y.applyUpdate(ydoc, data, 'storage');
      applied.push(data);
    } catch (error) {
      skipped.push({ seq, error: (error as Error).message });
      ydoc.destroy();
      ydoc = new Y.Doc({ gc });
      for (const good of applied) Y.applyUpdate(ydoc, good, 'storage');
    }
  };
  if (stored.snapshot) attempt(0, stored.snapshot);
  for (const update of stored.updates) attempt(update.seq, update.data);
  return { ydoc, skipped };
}
