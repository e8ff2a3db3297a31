import { defineConfig } from 'wxt';
import { parsePortals } from './deploy/portal-patterns.ts';

/**
 * Portals an organisation pre-sets at build time, so a managed install badges them with no
 * clicks: `DOSSIER_LENS_PORTALS="https://gbxt.example.gov.cn/*,http://10.1.2.3:8080/*" npm run build`.
 * They become required host permissions (granted at install); the background reads them back from
 * the manifest and registers the overlay on them at startup (extension/lib/portals.ts). Every other
 * portal is added by the user from the options page, one optional permission at a time.
 */
const presetPortals = parsePortals(process.env.DOSSIER_LENS_PORTALS, 'DOSSIER_LENS_PORTALS');

/**
 * The oldest browsers the extension supports (README, "Browsers": each API it relies on, checked
 * against these, and what happens where one is missing). Chromium 109 is the last release for
 * Windows 7 and 8.1, which office machines still run; Firefox 128 is the oldest ESR line with
 * popovers (125) and storage.session (115).
 */
const MIN_CHROMIUM = '109';
const MIN_FIREFOX = '128.0';

/** Any http(s) site may become a portal, but only after the user grants it from the options page. */
const OPTIONAL_HOSTS = ['http://*/*', 'https://*/*'];

// The extension's manifest is assembled here so that every permission it asks for is visible in
// one place and reviewed as a whole (least privilege: see README "Permissions").
export default defineConfig({
  srcDir: 'extension',
  outDir: '.output',
  // WXT resolves publicDir from the project root, not srcDir; locales live with the extension.
  publicDir: 'extension/public',
  modules: ['@wxt-dev/module-svelte'],
  // Language features are lowered to what the minimum versions parse, whatever Vite's default.
  vite: () => ({ build: { target: [`chrome${MIN_CHROMIUM}`, `firefox${parseInt(MIN_FIREFOX, 10)}`] } }),
  manifest: ({ manifestVersion, browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'zh_CN',
    ...(browser !== 'firefox' && { minimum_chrome_version: MIN_CHROMIUM }),
    permissions: [
      // settings, the portal list and the local index cache
      'storage',
      // dossiers are kept offline in IndexedDB; they must not be evicted under storage pressure
      'unlimitedStorage',
      // the overlay is registered at runtime, per granted portal
      'scripting',
      // wakes the background to reconnect after the browser stopped it (see lib/lifetime.ts)
      'alarms',
      // 预警提醒: tells the officer when someone in scope newly comes under warning or a duty
      // becomes overdue (lib/alert-host.ts); each kind can be switched off in the options
      'notifications',
      // Firefox only: 统一身份认证 signs in with identity.launchWebAuthFlow there, because a window
      // opened from an extension page loses its opener on the provider's site (README "Single
      // sign-on"). Firefox does not offer `identity` as an optional permission; it shows no
      // install warning and reaches no data: it opens the provider's login and returns its answer.
      ...(browser === 'firefox' ? ['identity'] : []),
    ],
    host_permissions: presetPortals,
    ...(manifestVersion === 3
      ? { optional_host_permissions: OPTIONAL_HOSTS }
      : { optional_permissions: OPTIONAL_HOSTS }),
    // Organisations push the server URL and token through policy (chrome.storage.managed).
    // Firefox reads policy-managed storage from its enterprise policies, without a schema key.
    ...(browser !== 'firefox' && { storage: { managed_schema: 'managed_schema.json' } }),
    // No default popup: a click on the toolbar button toggles the badges on the page (overlay).
    action: { default_title: '__MSG_actionTitle__' },
    commands: {
      'toggle-badges': {
        suggested_key: { default: 'Alt+Shift+D' },
        description: '__MSG_commandToggleBadges__',
      },
    },
    ...(browser === 'firefox' && {
      browser_specific_settings: {
        gecko: {
          id: 'dossier-lens@example.gov.cn',
          strict_min_version: MIN_FIREFOX,
          // Nothing leaves the browser except to the organisation's own sync server.
          data_collection_permissions: { required: ['none'] },
        },
      },
    }),
  }),
});
