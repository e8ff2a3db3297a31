import { startOverlay } from '../overlay/client.ts';

/**
 * Badges beside cadre and unit names on the portals the user enabled. Not in the manifest: the
 * background registers it at runtime for exactly the granted portals (lib/portals.ts).
 */
export default defineContentScript({
  registration: 'runtime',
  main(ctx) {
    // The background also injects this script into tabs that were open before the overlay was
    // registered (lib/portals.ts); a frame already running a live copy keeps it.
    const live = globalThis as { dossierLensOverlay?: { isInvalid: boolean } };
    if (live.dossierLensOverlay && !live.dossierLensOverlay.isInvalid) return;
    live.dossierLensOverlay = ctx;
    startOverlay(ctx);
  },
});
