import type { IsoDate } from '../dates.ts';
import type { Locale } from '../model/messages.ts';
import type { SubjectSummary } from '../model/summary.ts';
import { decodeIndexCache, encodeIndexCache } from './index-cache.ts';
import type { LocalIndex } from './local-index.ts';
import type { SyncedDoc } from './synced-doc.ts';

/**
 * The whole local index in one value beside the workspace document, so a restarted background can
 * badge pages as soon as the workspace document has loaded, before it has reopened every unit
 * document (the per-unit index cache, index-cache.ts, arrives unit by unit as each of a hundred
 * databases opens: BENCHMARKS.md, "Overlay from a cold background"). It is a stand-in only: the
 * background shows it until `openUnits()` has finished, then the live index replaces it. It is kept
 * sealed like the documents, goes with them on a wipe, is used only on the day and in the language
 * it was made for, and is filtered by the scope and grants in force when read, so a unit the user
 * can no longer read never shows from it. Only a workspace opened with `indexSnapshot: true` (the
 * background) reads and writes it: it is read with the workspace document's own small values, which
 * the document's load waits for, and other views would pay for unsealing it at every open.
 */

export const INDEX_SNAPSHOT_KEY = 'indexSnapshot';
/** Index changes come in bursts (a unit recomputed, then the next): one write after they settle. */
const WRITE_AFTER_MS = 3000;

const stampOf = (asOf: IsoDate, locale: Locale) => `whole:${asOf}|${locale}`;

/** The stable order the overlay sees, whatever order the units were loaded in. */
export function inIndexOrder(entries: readonly SubjectSummary[]): SubjectSummary[] {
  const sortKey = (e: SubjectSummary) => `${e.unitCode}\u0000${e.type}\u0000${e.id}`;
  return entries
    .map((e) => [sortKey(e), e] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, e]) => e);
}

export interface IndexSnapshot {
  /** The kept index for today and this language, within `inScope`; undefined when there is none. */
  read(): Promise<SubjectSummary[] | undefined>;
  /** From now on, keep the live index (after the units are open: a partial index is never kept). */
  keep(): void;
  /** Write a pending change now (before the documents are let go). */
  flush(): Promise<void>;
  stop(): void;
}

export function indexSnapshot(o: {
  workspaceSynced: SyncedDoc;
  index: LocalIndex;
  today: () => IsoDate;
  locale: Locale;
  inScope: (unitCode: string) => boolean;
}): IndexSnapshot {
  let keeping = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopIndex: (() => void) | undefined;
  const write = () => {
    clearTimeout(timer);
    timer = undefined;
    const text = encodeIndexCache(stampOf(o.today(), o.locale), inIndexOrder(o.index.all()));
    return o.workspaceSynced.writeLocal(INDEX_SNAPSHOT_KEY, text);
  };
  return {
    async read() {
      const entries = decodeIndexCache(
        await o.workspaceSynced.readLocal(INDEX_SNAPSHOT_KEY),
        stampOf(o.today(), o.locale),
      );
      return entries?.filter((e) => o.inScope(e.unitCode));
    },
    keep() {
      if (keeping) return;
      keeping = true;
      // Not at once: the first write waits until the start's own work (recomputing the units
      // shown from their caches) has settled, and is made again after every later change.
      timer = setTimeout(() => void write(), WRITE_AFTER_MS);
      stopIndex = o.index.onChange(() => {
        clearTimeout(timer);
        timer = setTimeout(() => void write(), WRITE_AFTER_MS);
      });
    },
    async flush() {
      if (timer !== undefined) await write();
    },
    stop() {
      clearTimeout(timer);
      timer = undefined;
      stopIndex?.();
    },
  };
}
