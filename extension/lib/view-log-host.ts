import { browser, type Browser } from 'wxt/browser';
import { flushViews } from '../../core/sync/view-queue.ts';
import { readConnection } from './settings.ts';
import { cipherFor } from './data-key.ts';
import { FLUSH_VIEWS_MESSAGE, ownerOf } from './view-log.ts';
import type { WorkspaceHost } from './workspace-host.ts';

/**
 * The background delivers the view queue (README "View log"; core/sync/view-queue.ts): when a page
 * queued a view, when the background starts, when the workspace's connection comes up, when the
 * network returns, on an alarm every minute (the service worker may have been stopped meanwhile),
 * and after a failed attempt with a growing delay while it runs. One delivery at a time.
 */
const ALARM = 'dossier-lens-view-log';
const RETRY_MS = [5_000, 15_000, 30_000, 60_000];

export function startViewLog(host: WorkspaceHost): void {
  let running: Promise<void> | undefined;
  let again = false;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const attempt = async () => {
    const connection = await readConnection();
    if (!connection) return;
    const cipher = await cipherFor(connection);
    const result = await flushViews(
      { serverUrl: connection.serverUrl, token: connection.token, ...ownerOf(connection) },
      undefined,
      cipher,
    );
    clearTimeout(timer);
    if (result.left === 0) {
      failures = 0;
      return;
    }
    timer = setTimeout(flush, RETRY_MS[Math.min(failures++, RETRY_MS.length - 1)]);
  };

  function flush(): void {
    if (running) {
      again = true;
      return;
    }
    running = attempt()
      .catch((error: unknown) => console.warn('view log: delivery failed', error))
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          flush();
        }
      });
  }

  browser.runtime.onMessage.addListener((message: unknown, sender: Browser.runtime.MessageSender) => {
    const ownPage = sender.id === browser.runtime.id && (sender.url ?? '').startsWith(browser.runtime.getURL('/'));
    if (ownPage && (message as { type?: unknown } | null)?.type === FLUSH_VIEWS_MESSAGE) flush();
    return undefined;
  });
  let wasConnected = false;
  host.onStatus((status) => {
    const connected = status?.connection === 'online' || status?.connection === 'syncing';
    if (connected && !wasConnected) flush();
    wasConnected = connected;
  });
  globalThis.addEventListener?.('online', flush);
  void browser.alarms.create(ALARM, { periodInMinutes: 1 });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === ALARM) flush();
  });
  flush();
}
