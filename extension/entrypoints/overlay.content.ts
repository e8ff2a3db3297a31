import { startOverlay } from '../overlay/client.ts';

/**
 * Badges beside cadre and unit names on the portals the user enabled. Not in the manifest: the
 * background registers it at runtime for exactly the granted portals (lib/portals.ts).
 */
export default defineContentScript({
  registration: 'runtime',
  main(ctx) {
    startOverlay(ctx);
  },
});
