import { browser } from 'wxt/browser';
import { startAlertHost } from '../lib/alert-host.ts';
import { handleRequest, wipeDevice } from '../lib/background-requests.ts';
import { noteRevocationWipe, onDataKeyChange } from '../lib/data-key.ts';
import { onLanguageChange } from '../lib/i18n.ts';
import { keepSyncing } from '../lib/lifetime.ts';
import { startOverlayHost } from '../lib/overlay-host.ts';
import { syncOverlayRegistration } from '../lib/portals.ts';
import { onConnectionChange, readConnection, whenManagedSettles, wsUrl } from '../lib/settings.ts';
import { serveStatus } from '../lib/status-port.ts';
import { keepSsoFresh } from '../lib/sso-renewal.ts';
import { createWorkspaceHost } from '../lib/workspace-host.ts';
import { startViewLog } from '../lib/view-log-host.ts';

/**
 * The background: owns the workspace and its local index, serves the index to the overlay on
 * the granted portals, opens the side panel on a subject, and answers the extension pages
 * (wipe). Listeners are added synchronously so the event that woke the service worker
 * is not missed; the workspace opens from IndexedDB behind them.
 */
export default defineBackground(() => {
  // A revoked token: data-key.ts has deleted the data; the rest of "清除本机数据" (the open
  // workspace, user-added portals) follows, and the options page says why.
  const host = createWorkspaceHost({
    onRevoked: () => {
      void wipeDevice(host)
        .then(noteRevocationWipe)
        .then(() => browser.runtime.openOptionsPage());
    },
  });

  // Every start re-checks the overlay registration against the granted permissions: cheap,
  // idempotent, and it heals drift (a permission revoked in the browser's own UI).
  void syncOverlayRegistration();
  browser.permissions.onAdded.addListener(() => void syncOverlayRegistration());
  browser.permissions.onRemoved.addListener(() => void syncOverlayRegistration());

  startOverlayHost(host.overlaySource);
  serveStatus(host);
  browser.runtime.onMessage.addListener((message, sender) => handleRequest(message, sender, host));
  onConnectionChange(() => void host.reopen());
  onLanguageChange(() => void host.reopen());
  // Unlocked with the offline PIN in a page: open what was locked.
  onDataKeyChange(() => {
    if (host.locked()) void host.reopen();
  });
  keepSyncing(host);
  startAlertHost(host);
  // 查阅留痕: delivers the views pages queued, offline ones included (lib/view-log-host.ts).
  startViewLog(host);
  keepSsoFresh();
  const opened = host.reopen();
  // The browser's policy store can answer seconds after a start (readConnection stops waiting
  // after 500 ms), and a policy that was there all along announces no change: once it has
  // answered, the policy's connection is opened if the first opening went ahead without it.
  void Promise.all([opened, whenManagedSettles()]).then(async () => {
    const c = await readConnection();
    if (c?.managed && host.current()?.serverUrl !== wsUrl(c.serverUrl)) await host.reopen();
  });
});
