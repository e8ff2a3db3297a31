import type { IsoDate } from '../dates.ts';
import type { WorkspaceConfig } from '../model/config.ts';
import type { Locale } from '../model/messages.ts';
import type { Unit } from '../model/schemas.ts';
import type { UnitDossiers } from '../doc/unit-doc.ts';
import type { WorkspaceDoc } from '../doc/workspace-doc.ts';
import { decodeIndexCache, encodeIndexCache, indexStamp, INDEX_CACHE_KEY } from './index-cache.ts';
import type { WritableIndex } from './local-index.ts';
import { summariseUnitDoc, type Rules } from './summaries.ts';
import type { SyncedDoc } from './synced-doc.ts';

/**
 * How the workspace (workspace.ts) keeps its local index current, one unit at a time: a unit's
 * entries are recomputed when its document or the workspace document (configuration, directory)
 * changes; with the index cache (index-cache.ts) they are kept on this device, debounced, and a
 * unit opened at the next start shows its kept entries first and is recomputed shortly after, one
 * unit per macrotask, so that opening a hundred units never blocks for long.
 */
export interface UnitIndexer {
  /** Recompute a unit's entries now (and keep them, with the cache). */
  summarise(code: string, dossiers: UnitDossiers, synced: SyncedDoc): void;
  /** A unit just loaded: its kept entries if they still match (recomputed later), else computed now. */
  opened(code: string, dossiers: UnitDossiers, synced: SyncedDoc, cachedText: string | undefined): void;
  /** Write every pending cache entry now (before the documents are let go). */
  flush(): Promise<unknown>;
  /** Forget pending work: nothing more is computed or written. */
  stop(): void;
}

export interface UnitIndexerOptions {
  index: WritableIndex;
  workspaceSynced: SyncedDoc;
  workspace: WorkspaceDoc;
  locale: Locale;
  today: () => IsoDate;
  rules: Rules | undefined;
  /** Keep entries on this device (the index cache). */
  useCache: boolean;
  revalidateAfterMs: number;
  closed: () => boolean;
  /** A unit's entries were recomputed. */
  indexed: () => void;
}

export function unitIndexer(o: UnitIndexerOptions): UnitIndexer {
  const { index, locale, today } = o;
  const wsDoc = o.workspaceSynced.doc;

  /** Index cache writes, debounced per unit: the latest entries and the stamp they were made at. */
  const pendingCache = new Map<string, { synced: SyncedDoc; text: string; timer: ReturnType<typeof setTimeout> }>();
  const flushCache = (code: string) => {
    const p = pendingCache.get(code);
    if (!p) return Promise.resolve();
    clearTimeout(p.timer);
    pendingCache.delete(code);
    return p.synced.writeLocal(INDEX_CACHE_KEY, p.text);
  };

  /** Configuration and directory, read and validated once per workspace-document change. */
  let view: { config: WorkspaceConfig; lookup: (code: string) => Unit | undefined } | undefined;
  const dropView = () => {
    view = undefined;
  };
  // Before observers run: the re-grading (an afterTransaction observer) must see the change.
  wsDoc.on('beforeObserverCalls', dropView);
  const workspaceView = () => {
    if (!view) {
      const units = new Map<string, Unit>();
      for (const e of o.workspace.units.list()) if (e.ok) units.set(e.id, e.value);
      view = { config: o.workspace.config.get().value, lookup: (code) => units.get(code) };
    }
    return view;
  };

  const summarise = (code: string, dossiers: UnitDossiers, synced: SyncedDoc) => {
    if (o.closed()) return;
    const { config, lookup } = workspaceView();
    const asOf = today();
    const entries = summariseUnitDoc(dossiers, {
      config,
      unit: lookup,
      unitCode: code,
      asOf,
      locale,
      ...(o.rules ? { rules: o.rules } : {}),
    });
    index.setUnit(code, entries);
    o.indexed();
    if (!o.useCache) return;
    const text = encodeIndexCache(indexStamp(synced.doc, wsDoc, asOf, locale), entries);
    const previous = pendingCache.get(code);
    if (previous) clearTimeout(previous.timer);
    pendingCache.set(code, { synced, text, timer: setTimeout(() => void flushCache(code), 1000) });
  };

  /** Units shown from the cache, recomputed one per macrotask so opening never blocks for long. */
  const toRevalidate: (() => void)[] = [];
  let revalidating: ReturnType<typeof setTimeout> | undefined;
  const pump = () => {
    revalidating = undefined;
    const next = toRevalidate.shift();
    if (!next || o.closed()) return;
    next();
    revalidating = setTimeout(pump, 0);
  };

  return {
    summarise,
    opened(code, dossiers, synced, cachedText) {
      // Stamped after the read: if anything arrived meanwhile, the stamp no longer matches.
      const cached = decodeIndexCache(cachedText, indexStamp(synced.doc, wsDoc, today(), locale));
      if (cached && !o.closed()) {
        index.setUnit(code, cached);
        toRevalidate.push(() => summarise(code, dossiers, synced));
        revalidating ??= setTimeout(pump, o.revalidateAfterMs);
      } else summarise(code, dossiers, synced);
    },
    flush: () => Promise.all([...pendingCache.keys()].map(flushCache)),
    stop() {
      wsDoc.off('beforeObserverCalls', dropView);
      if (revalidating !== undefined) clearTimeout(revalidating);
      for (const p of pendingCache.values()) clearTimeout(p.timer);
      pendingCache.clear();
    },
  };
}
