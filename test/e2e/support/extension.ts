import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The built extension in a real headless Chromium. Tests use the build that `npm test` made just
 * before them (`.output/chrome-mv3`); when it is missing (running one e2e file by hand) it is
 * built once. Never downloads a browser: Debian's Chromium is at /usr/bin/chromium.
 */

export const ROOT = resolve(import.meta.dirname, '../../..');
/** DL_CHROME_BUILD: another build to run the same test against (e.g. main's, for a before/after). */
export const CHROME_BUILD = process.env.DL_CHROME_BUILD ?? join(ROOT, '.output/chrome-mv3');
/**
 * Where screenshots go: the README's own (docs/screenshots) only when asked with
 * UPDATE_SCREENSHOTS=1, so that an ordinary test run leaves the working tree clean; otherwise
 * under test/.tmp (ignored by git), to look at after a run.
 */
export const SCREENSHOTS =
  process.env.UPDATE_SCREENSHOTS === '1' ? join(ROOT, 'docs/screenshots') : join(ROOT, 'test/.tmp/screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Builds the Chrome MV3 extension unless a build is already there (or E2E_REBUILD=1). */
export function ensureBuilt(): string {
  if (process.env.E2E_REBUILD === '1' || !existsSync(join(CHROME_BUILD, 'manifest.json'))) {
    execFileSync('npx', ['wxt', 'build'], { cwd: ROOT, stdio: 'inherit' });
  }
  return CHROME_BUILD;
}

export interface LaunchOptions {
  /**
   * Preset portals, as an organisation would set DOSSIER_LENS_PORTALS at build time (default:
   * none). The copy's manifest host_permissions are replaced, which is exactly what the env var
   * produces: the background reads the preset list from the manifest at startup.
   */
  portals?: string[];
  /** Reuse a profile directory (e.g. to restart the browser on the same IndexedDB). */
  userDataDir?: string;
  /** Browser UI language, e.g. 'en-US' (default zh-CN, the product's default language). */
  locale?: string;
  /**
   * Changes to this browser's copy of the build, to run the real extension as an older browser
   * would: `manifest` edits the manifest (an older Chromium ignores keys it does not know);
   * `prepend` puts code before a built file's own, e.g. removing an API in background.js before
   * the background runs (see older-chromium.e2e.ts).
   */
  patch?: { manifest?: (m: Record<string, unknown>) => void; prepend?: Record<string, string> };
  /** Keep the back/forward cache on (Playwright turns it off by default), as a user's browser has it. */
  backForwardCache?: boolean;
}

export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  userDataDir: string;
  /** The extension's service worker (its console and evaluate are useful in tests). */
  background: Worker;
  /** Opens an extension page, e.g. page('options.html') or page('sidepanel.html#cadre/C001'). */
  page(path: string): Promise<Page>;
  /** Closes the browser and removes the temporary profile and extension copy. */
  close(): Promise<void>;
}

export async function launchExtension(opts: LaunchOptions = {}): Promise<ExtensionBrowser> {
  // Each browser loads its own copy: a rebuild of .output while a test runs (several people
  // share this checkout) must not pull files from under a running extension.
  const extDir = mkdtempSync(join(tmpdir(), 'dl-ext-'));
  cpSync(ensureBuilt(), extDir, { recursive: true });
  const cleanup: string[] = [extDir];
  // The presets are always the test's own: `npm start` builds .output with the demo portal
  // preset, and a test must not depend on who built last.
  const manifestPath = join(extDir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  manifest.host_permissions = opts.portals ?? [];
  opts.patch?.manifest?.(manifest);
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  for (const [file, code] of Object.entries(opts.patch?.prepend ?? {})) {
    writeFileSync(join(extDir, file), `${code}\n${readFileSync(join(extDir, file), 'utf8')}`);
  }
  const userDataDir = opts.userDataDir ?? mkdtempSync(join(tmpdir(), 'dl-profile-'));
  if (!opts.userDataDir) cleanup.push(userDataDir);
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: false, // --headless=new below: the old headless mode cannot load extensions
    locale: opts.locale ?? 'zh-CN',
    // Chromium picks the extension's message bundle from the process locale, not from --lang.
    env: {
      ...process.env,
      LANG: `${(opts.locale ?? 'zh-CN').replace('-', '_')}.UTF-8`,
      LANGUAGE: (opts.locale ?? 'zh-CN').replace('-', '_'),
    },
    viewport: { width: 420, height: 900 },
    // Playwright disables extensions by default; this is the one place we want them.
    ignoreDefaultArgs: ['--disable-extensions', ...(opts.backForwardCache ? ['--disable-back-forward-cache'] : [])],
    args: [
      // Chromium 137+ ignores --load-extension unless this feature is turned off.
      '--disable-features=DisableLoadExtensionCommandLineSwitch',
      '--headless=new',
      `--disable-extensions-except=${extDir}`,
      `--load-extension=${extDir}`,
      `--lang=${opts.locale ?? 'zh-CN'}`,
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const background = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
  const extensionId = new URL(background.url()).host;
  return {
    context,
    extensionId,
    userDataDir,
    background,
    async page(path: string) {
      const page = await context.newPage();
      await page.goto(`chrome-extension://${extensionId}/${path}`);
      return page;
    },
    async close() {
      await context.close();
      for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * What the browser does to an idle background (MV3: after ~30 s), done now through the DevTools
 * protocol from `page` (any page of the browser). Resolves once the worker has stopped; `running()`
 * then says whether something has started it again.
 */
export async function stopBackground(ext: ExtensionBrowser, page: Page): Promise<{ running(): boolean }> {
  const cdp = await ext.context.newCDPSession(page);
  const states = new Map<string, string>();
  // Seen in the events, not only now: a page's port may start it again right after.
  let stopped = false;
  let asked = false;
  cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
    for (const v of versions) states.set(v.versionId, v.runningStatus);
    if (asked && [...states.values()].every((s) => s === 'stopped')) stopped = true;
  });
  const until = async (done: () => boolean, what: string) => {
    const deadline = Date.now() + 10_000;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`the background did not ${what}: ${[...states.values()].join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  await cdp.send('ServiceWorker.enable');
  await until(() => [...states.values()].includes('running'), 'report running');
  asked = true;
  await cdp.send('ServiceWorker.stopAllWorkers');
  await until(() => stopped, 'stop');
  return { running: () => [...states.values()].includes('running') };
}

/** Names of the IndexedDB databases visible to the extension's origin (all its pages share it). */
export async function indexedDbNames(page: Page): Promise<string[]> {
  return page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? ''));
}

/** Saves a screenshot into docs/screenshots/ for the README (only from real test runs). */
export async function saveScreenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  // A viewport shot shows the top of the page, whatever the test last scrolled to.
  if (opts.fullPage === false) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path, fullPage: opts.fullPage ?? true });
  return path;
}

/** Everything in the extension's storage.local, read from one of its pages. */
export async function extensionStorage(page: Page): Promise<Record<string, unknown>> {
  // `chrome` exists in extension pages; the test's own types know nothing of it.
  return page.evaluate(() => (globalThis as any).chrome.storage.local.get(null));
}

/** Enrols through the options page, as a user would, and waits for the server's confirmation. */
export async function enrol(ext: ExtensionBrowser, serverUrl: string, token: string): Promise<void> {
  const page = await ext.page('options.html');
  await page.locator('#server-url').fill(serverUrl);
  await page.locator('#token').fill(token);
  await page.locator('form button[type=submit]').first().click();
  await page.getByTestId('whoami-name').waitFor();
  await page.close();
}
