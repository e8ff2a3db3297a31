import { observeDoc } from '../../core/doc/observe.ts';
import type { SubjectSummary } from '../../core/model/summary.ts';
import { openWorkspace, type Workspace, type WorkspaceStatus } from '../../core/sync/index.ts';
import { initI18n, uiLocale } from './i18n.ts';
import { openDossierPanel } from './panel.ts';
import type { OverlaySource } from './overlay-host.ts';
import { readConnection, wsUrl } from './settings.ts';

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
  /** Closes and reopens with the enrolled connection (after enrolment, disconnect or a policy change). */
  reopen(): Promise<void>;
  /** Closes the workspace and deletes what it stored on this device. */
  wipe(): Promise<void>;
  overlaySource: OverlaySource;
  status(): WorkspaceStatus | undefined;
}

export function createWorkspaceHost(): WorkspaceHost {
  let ws: Workspace | undefined;
  let stops: (() => void)[] = [];
  const indexListeners = new Set<() => void>();
  let opening: Promise<void> = Promise.resolve();

  const notifyIndex = () => {
    for (const l of indexListeners) l();
  };

  async function close() {
    for (const stop of stops) stop();
    stops = [];
    const old = ws;
    ws = undefined;
    notifyIndex();
    await old?.close();
  }

  async function open() {
    await close();
    const connection = await readConnection();
    if (!connection) return;
    // Index entries (grade reasons, warnings) are sentences in the user's language.
    await initI18n();
    const next = await openWorkspace({ serverUrl: wsUrl(connection.serverUrl), token: connection.token, locale: uiLocale() });
    ws = next;
    stops.push(next.index.onChange(notifyIndex));
    // Units added to the directory later (an import, an admin) join the index as they appear.
    stops.push(observeDoc(next.workspaceSynced.doc, () => void next.openUnits().catch(() => undefined)));
    await next.openUnits();
    notifyIndex();
  }

  const serialised = (fn: () => Promise<void>) => (opening = opening.then(fn, fn));

  return {
    current: () => ws,
    settled: () => opening,
    reopen: () => serialised(open),
    async wipe() {
      await serialised(async () => {
        const old = ws;
        for (const stop of stops) stop();
        stops = [];
        ws = undefined;
        notifyIndex();
        await old?.wipe();
      });
    },
    status: () => ws?.status(),
    overlaySource: {
      summaries: (): SubjectSummary[] => ws?.index.all() ?? [],
      onChange(cb) {
        indexListeners.add(cb);
        return () => indexListeners.delete(cb);
      },
      openDossier(tabId, target) {
        return openDossierPanel(tabId, 'candidates' in target ? { candidates: target.candidates } : { subject: target });
      },
    },
  };
}
