import { browser, type Browser } from 'wxt/browser';
import type { WorkspaceStatus } from '../../core/sync/index.ts';
import type { WorkspaceHost } from './workspace-host.ts';

/**
 * The background's sync status pushed to extension pages over a port, as it changes: the options
 * page says 在线 the moment the last document is in step, rather than at its next poll. When the
 * browser stops the background the port closes; the page connects again, which starts it again.
 */

export const STATUS_PORT = 'dossier-lens-status';

interface StatusMessage {
  status: WorkspaceStatus | null;
}

/**
 * While many documents sync at once their status changes hundreds of times a second: a page gets
 * the latest at most this often (the first change at once).
 */
const PUSH_INTERVAL_MS = 50;

/** Background side: answers every extension page that connects to STATUS_PORT. */
export function serveStatus(host: WorkspaceHost): void {
  browser.runtime.onConnect.addListener((port: Browser.runtime.Port) => {
    if (port.name !== STATUS_PORT) return;
    const sender = port.sender;
    // Our own pages only: a content script on a portal has no business with the sync status.
    if (sender?.id !== browser.runtime.id || !(sender.url ?? '').startsWith(browser.runtime.getURL('/'))) {
      port.disconnect();
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lastSent = 0;
    const post = () => {
      timer = undefined;
      lastSent = Date.now();
      try {
        port.postMessage({ status: host.status() ?? null } satisfies StatusMessage);
      } catch {
        stop();
      }
    };
    const schedule = () => {
      if (timer !== undefined) return;
      timer = setTimeout(post, Math.max(0, lastSent + PUSH_INTERVAL_MS - Date.now()));
    };
    const off = host.onStatus(schedule);
    const stop = () => {
      off();
      clearTimeout(timer);
    };
    port.onDisconnect.addListener(stop);
    // After a wake-up the workspace is still opening: the first answer waits for it.
    void host.settled().then(post);
  });
}

/** Page side: `onStatus` with every status the background pushes; returns a stop function. */
export function watchStatus(onStatus: (status: WorkspaceStatus | undefined) => void): () => void {
  let stopped = false;
  let port: Browser.runtime.Port | undefined;
  const connect = () => {
    if (stopped) return;
    try {
      port = browser.runtime.connect({ name: STATUS_PORT });
    } catch {
      return; // the extension was reloaded or removed: this page is stale
    }
    port.onMessage.addListener((message: StatusMessage) => onStatus(message.status ?? undefined));
    port.onDisconnect.addListener(() => {
      port = undefined;
      onStatus(undefined);
      // The background was stopped (or restarts): connecting again wakes it.
      if (!stopped) setTimeout(connect, 100);
    });
  };
  connect();
  return () => {
    stopped = true;
    port?.disconnect();
  };
}
