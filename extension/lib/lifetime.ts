import { browser } from 'wxt/browser';
import type { WorkspaceHost } from './workspace-host.ts';

/**
 * MV3 service-worker lifetime. Decision: no offscreen document and no keep-alive tricks.
 * - While online, the workspace's WebSockets carry traffic at least every 15 s (y-protocols
 *   awareness renewal), and since Chrome 116 WebSocket activity keeps an extension service worker
 *   alive; so the background stays up exactly while it has something to sync.
 * - When the browser does stop it (offline for a while, idle), nothing is lost: every document is
 *   in IndexedDB and every change made in a page was written there by that page's own workspace.
 *   Any event (a portal page connecting, a page's message, this alarm) starts it again, and it
 *   reopens the workspace from IndexedDB (~ tens of ms for the seed city's size).
 * - The alarm brings it back once a minute so local changes reach the server soon after the
 *   network returns even if no page is open. Firefox's MV2 background page is persistent anyway.
 * When the network comes back (the `online` event) the workspace tries the server at once instead
 * of waiting out its backoff.
 * An offscreen document was rejected: it needs a justification reason Chrome does not grant for
 * "keep a socket open", and Firefox has no equivalent.
 */
const ALARM = 'dossier-lens-sync';

export function keepSyncing(host: WorkspaceHost): void {
  void browser.alarms.create(ALARM, { periodInMinutes: 1 });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === ALARM && !host.current()) void host.reopen();
  });
  // The network is back: try the server now rather than at the end of the backoff (up to 30 s).
  globalThis.addEventListener?.('online', () => host.current()?.connect());
}
