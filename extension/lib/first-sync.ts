import { parseDocName, unitDocName, WORKSPACE_DOC } from '../../core/doc/names.ts';
import type { Connection, SyncedDoc, Workspace } from '../../core/sync/index.ts';

/**
 * How far a workspace's first sync has come: whether the directory has arrived and how many of the
 * units in scope have exchanged state with the server since the workspace opened. Until it is
 * complete, a subject missing from the local index may be on its way, and a view must say so
 * rather than "not found" (a new device fetches a whole city before every dossier is here).
 *
 * Built on the sync client's public API only (each document's `whenSynced`, the workspace's
 * directory, scope and status), so it holds whatever carries the documents to the server.
 */

export interface SyncProgress {
  /** The directory or some unit in scope has not synced yet. */
  pending: boolean;
  /** Whether the workspace document (the directory) has synced. */
  directory: boolean;
  /** Units in scope that have synced, of `total`. */
  synced: number;
  total: number;
  connection: Connection;
}

export interface FirstSyncTracker {
  progress(): SyncProgress;
  /** Called whenever progress may have changed (a document synced or opened, the index changed). */
  onChange(listener: () => void): () => void;
  stop(): void;
}

export function trackFirstSync(ws: Workspace): FirstSyncTracker {
  /** Documents that synced, or were refused for good (waiting for those is pointless). */
  const done = new Set<string>();
  const watched = new Set<SyncedDoc>();
  const listeners = new Set<() => void>();
  let stopped = false;
  const notify = () => {
    if (stopped) return;
    for (const l of [...listeners]) l();
  };
  const settle = (name: string) => () => {
    done.add(name);
    notify();
  };
  /**
   * A unit is here once it synced and the workspace has indexed it (`unit()` resolves after its
   * first summary). A new device asks the server for a unit while its database is still being
   * created, so the unit can sync before it is indexed: counted then, its dossier read as not found.
   */
  const arrived = (doc: SyncedDoc): Promise<unknown> => {
    const parsed = parseDocName(doc.name);
    return parsed?.kind === 'unit' && parsed.unitCode !== undefined
      ? Promise.all([doc.whenSynced(), ws.unit(parsed.unitCode)])
      : doc.whenSynced();
  };
  const watchNew = () => {
    for (const doc of ws.docs()) {
      if (watched.has(doc)) continue;
      watched.add(doc);
      void arrived(doc).then(settle(doc.name), settle(doc.name));
    }
  };
  const onAnything = () => {
    watchNew();
    notify();
  };
  const stops = [ws.onStatus(onAnything), ws.index.onChange(onAnything)];
  watchNew();

  return {
    progress() {
      watchNew();
      const units = ws.workspace.units.ids().filter((code) => ws.inScope(code));
      const synced = units.filter((code) => done.has(unitDocName(code))).length;
      const directory = done.has(WORKSPACE_DOC);
      return {
        pending: !directory || synced < units.length,
        directory,
        synced,
        total: units.length,
        connection: ws.status().connection,
      };
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop() {
      stopped = true;
      listeners.clear();
      for (const s of stops) s();
    },
  };
}
