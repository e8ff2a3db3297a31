import { observeDoc } from '../../core/doc/observe.ts';
import type { SubjectSummary } from '../../core/model/summary.ts';
import { inIndexOrder, type Workspace, type WorkspaceStatus } from '../../core/sync/index.ts';
import { openConnectionWorkspace } from './connection-workspace.ts';
import { trackFirstSync, type FirstSyncTracker } from './first-sync.ts';
import { initI18n } from './i18n.ts';
import { openDossierPanel } from './panel.ts';
import type { OverlaySource } from './overlay-host.ts';
import { readConnection, saveGrants, type Connection } from './settings.ts';
import { fetchWhoami } from './whoami.ts';
import { DeviceLockedError, revokedNow } from './data-key.ts';
import type { Locked } from '../../core/sync/key-release.ts';

/**
 * The background's workspace: every unit document in the user's scope, kept in IndexedDB and in
 * step with the server, feeding the local index the overlay badges pages from.
 *
 * Extension pages (side panel, full-tab pages) open their own workspace on the same origin: the
 * same IndexedDB copies load locally in milliseconds, and y-websocket's BroadcastChannel keeps
 * every view of a document in step with the background's without a round trip through it. Each
 * page also has its own awareness, which is what presence means: who has this dossier open.
 */
export interface WorkspaceHost {
  current(): Workspace | undefined;
  /** Resolves once any opening in progress has finished (a just-woken worker is still loading). */
  settled(): Promise<void>;
  /**
   * Resolves once the workspace being opened is there (`current()`, `firstSync()`), before its
   * units have been read from this device: what is not indexed yet is then "syncing", not absent.
   */
  available(): Promise<void>;
  /** Closes and reopens with the enrolled connection (after enrolment, disconnect or a policy change). */
  reopen(): Promise<void>;
  /** Closes the workspace and deletes what it stored on this device. */
  wipe(): Promise<void>;
  overlaySource: OverlaySource;
  status(): WorkspaceStatus | undefined;
  /** How far the first sync of the open workspace has come (undefined: none open). */
  firstSync(): FirstSyncTracker | undefined;
  /** Every change of the sync status, including the workspace closing or reopening (undefined: none open). */
  onStatus(listener: (status: WorkspaceStatus | undefined) => void): () => void;
  /** Why no workspace is open although a connection is enrolled (undefined: not locked). */
  locked(): Locked | undefined;
}

export interface WorkspaceHostOptions {
  /** The server said the token is revoked: this device's data is gone (data-key.ts); finish the wipe. */
  onRevoked?: () => void;
}

export function createWorkspaceHost(options: WorkspaceHostOptions = {}): WorkspaceHost {
  let ws: Workspace | undefined;
  let locked: Locked | undefined;
  let tracker: FirstSyncTracker | undefined;
  let stops: (() => void)[] = [];
  /**
   * What the overlay is given while the units reopen after a start: the whole index as it was
   * last kept (core/sync/index-snapshot.ts), undefined once `openUnits()` has finished or when
   * none is kept. A cold background badges pages from it as soon as the workspace document has
   * loaded, instead of unit by unit (BENCHMARKS.md, "Overlay from a cold background").
   */
  let standIn: SubjectSummary[] | undefined;
  const indexListeners = new Set<() => void>();
  const statusListeners = new Set<(status: WorkspaceStatus | undefined) => void>();
  let opening: Promise<void> = Promise.resolve();
  let available: Promise<void> = Promise.resolve();

  /** The live index in the overlay's order, made once per change. */
  let ordered: SubjectSummary[] | undefined;
  const notifyIndex = () => {
    ordered = undefined;
    for (const l of indexListeners) l();
  };
  const notifyStatus = (status = ws?.status()) => {
    for (const l of statusListeners) l(status);
  };

  async function close() {
    for (const stop of stops) stop();
    stops = [];
    const old = ws;
    ws = undefined;
    standIn = undefined;
    tracker = undefined;
    notifyIndex();
    notifyStatus();
    await old?.close();
  }

  async function open(onAvailable: () => void = () => undefined) {
    await close();
    const connection = await readConnection();
    if (!connection) return;
    // Index entries (grade reasons, warnings) are sentences in the user's language.
    await initI18n();
    let next: Workspace;
    try {
      // It opens every unit at once: those in step last time connect before their copies are read.
      next = await openConnectionWorkspace(connection, undefined, {
        remembered: 'connect',
        indexSnapshot: true,
      });
      locked = undefined;
    } catch (error) {
      if (!(error instanceof DeviceLockedError)) throw error;
      // Locked (offline after a restart, waiting for a PIN or a renewed token) or wiped (revoked).
      locked = error.locked;
      notifyStatus();
      if (locked === 'revoked') options.onRevoked?.();
      return;
    }
    ws = next;
    let unitsOpen = false;
    void next.indexSnapshot().then((entries) => {
      if (ws !== next || unitsOpen || !entries?.length) return;
      standIn = entries;
      notifyIndex();
    });
    tracker = trackFirstSync(next);
    stops.push(tracker.stop);
    onAvailable();
    void refreshGrants(connection);
    stops.push(next.index.onChange(notifyIndex));
    stops.push(next.onStatus((status) => notifyStatus(status)));
    // The server ended a document's connection for good (4401: the token expired or was revoked,
    // mid-session): ask whether it was revoked, and if so the device is wiped (data-key.ts).
    stops.push(
      next.onStatus((status) => {
        if (status.closed.some((c) => c.code === 4401 || c.httpStatus === 401))
          void revokedNow(connection).then((revoked) => revoked && options.onRevoked?.());
      }),
    );
    notifyStatus();
    // Units added to the directory later (an import, an admin) join the index as they appear.
    stops.push(observeDoc(next.workspaceSynced.doc, () => void next.openUnits().catch(() => undefined)));
    await next.openUnits();
    unitsOpen = true;
    standIn = undefined;
    notifyIndex();
  }

  // An administrator may have widened or narrowed the grants since they were stored. A change is
  // written beside the connection, and onConnectionChange reopens with it; unchanged grants write
  // nothing. Unreachable (offline) keeps what is stored.
  async function refreshGrants(connection: Connection) {
    const answer = await fetchWhoami(connection.serverUrl, connection.token);
    const current = await readConnection();
    if (!answer.ok || current?.serverUrl !== connection.serverUrl || current.token !== connection.token) return;
    await saveGrants(connection, answer.whoami.grants);
  }

  const serialised = (fn: () => Promise<void>) => (opening = opening.then(fn, fn));

  return {
    current: () => ws,
    settled: () => opening,
    available: () => available,
    reopen() {
      let onAvailable!: () => void;
      const there = new Promise<void>((resolve) => (onAvailable = resolve));
      const done = serialised(() => open(onAvailable));
      available = Promise.race([there, done]);
      return done;
    },
    async wipe() {
      await (available = serialised(async () => {
        const old = ws;
        for (const stop of stops) stop();
        stops = [];
        ws = undefined;
        standIn = undefined;
        tracker = undefined;
        notifyIndex();
        await old?.wipe();
      }));
    },
    status: () => ws?.status(),
    locked: () => locked,
    firstSync: () => tracker,
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    overlaySource: {
      // In one order whatever order the units loaded in: the overlay rescans a page only when what
      // it is given changes, and the stand-in and the live index then compare equal.
      summaries: (): SubjectSummary[] => standIn ?? (ordered ??= inIndexOrder(ws?.index.all() ?? [])),
      onChange(cb) {
        indexListeners.add(cb);
        return () => indexListeners.delete(cb);
      },
      openDossier(tabId, target) {
        return openDossierPanel(
          tabId,
          'candidates' in target ? { candidates: target.candidates } : { subject: target },
        );
      },
    },
  };
}
