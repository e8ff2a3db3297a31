import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { OverlayScanner } from './scanner.ts';
import { startPageSummary } from './page-summary-setup.ts';
import { OVERLAY_PORT, type HostMessage, type OpenRequest } from './protocol.ts';
import { overlayText } from './text.ts';

/**
 * The content script's glue: connect to the background's overlay host, feed its index to the
 * scanner, relay badge clicks, follow the hide/show toggle and SPA navigation. Nothing else.
 */
export function startOverlay(ctx: ContentScriptContext): void {
  const onOpen = (target: OpenRequest['target']) => {
    const req: OpenRequest = { type: 'overlay:open', target };
    void browser.runtime.sendMessage(req).catch(() => undefined);
  };
  const summary = startPageSummary(document, onOpen);
  const scanner = new OverlayScanner(document, {
    text: overlayText(),
    onOpen,
    onBadge: summary.noteBadge,
    onSettled: summary.update,
  });
  ctx.onInvalidated(() => {
    scanner.stop();
    summary.stop();
  });
  ctx.addEventListener(window, 'wxt:locationchange', () => scanner.requestFull());

  let retry = 500;
  let sleeping = false;
  // The background re-sends the index after it restarts (MV3) or on any change elsewhere in the
  // workspace; an identical index must not cost a rescan of the page.
  let lastIndex = '';
  let live: ReturnType<typeof browser.runtime.connect> | undefined;
  const connect = () => {
    if (ctx.isInvalid || live) return;
    const port = browser.runtime.connect({ name: OVERLAY_PORT });
    live = port;
    port.onMessage.addListener((msg: HostMessage) => {
      retry = 500;
      if (msg.type === 'index') {
        scanner.setVisible(msg.visible);
        const key = JSON.stringify([msg.subjects, msg.hints]);
        if (key === lastIndex) return;
        lastIndex = key;
        scanner.setIndex(msg.subjects, msg.hints);
      } else if (msg.type === 'visible') {
        scanner.setVisible(msg.visible);
      }
    });
    // The background may be stopped by the browser (MV3); badges stay, and we reconnect to hear
    // about index changes again. A refused page (not a portal) is disconnected at once: the
    // backoff keeps that from becoming a loop that matters.
    port.onDisconnect.addListener(() => {
      // Reading lastError marks it handled: the bfcache disconnect is expected, not an error.
      void browser.runtime.lastError;
      live = undefined;
      if (ctx.isInvalid || sleeping) return;
      ctx.setTimeout(connect, retry);
      retry = Math.min(retry * 2, 60_000);
    });
  };
  // A page kept in the back/forward cache loses its port, and the content script is not always
  // told (the page came back deaf to index changes). So the page lets go of the port itself
  // when it goes to sleep and connects afresh when it is shown again.
  ctx.addEventListener(window, 'pagehide', (e) => {
    if (!e.persisted) return;
    sleeping = true;
    try {
      live?.disconnect();
    } catch {
      // already closed by the browser
    }
    live = undefined;
  });
  ctx.addEventListener(window, 'pageshow', (e) => {
    if (!e.persisted) return;
    sleeping = false;
    retry = 500;
    connect();
  });

  connect();
}
