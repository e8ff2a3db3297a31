import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './extension.ts';

/**
 * The built Firefox extension (`.output/firefox-mv2`) in a real headless Firefox ESR, driven over
 * WebDriver BiDi by puppeteer-core — the same spirit as extension.ts for Chromium: a temporary
 * profile, a copy of the build, extension pages opened by URL. Never downloads a browser:
 * Debian's firefox-esr is at /usr/bin/firefox-esr (`.ci/run` installs it when absent).
 *
 * Firefox gives every installed extension a random internal UUID (its moz-extension:// host);
 * the profile pins it through the `extensions.webextensions.uuids` pref so tests know the
 * extension's pages' URLs before it is installed. The extension goes in as a temporary add-on
 * (BiDi webExtension.install), which is why an unsigned build is accepted.
 */

export const FIREFOX_BUILD = join(ROOT, '.output/firefox-mv2');
const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
/** browser_specific_settings.gecko.id in wxt.config.ts. */
export const GECKO_ID = 'dossier-lens@example.gov.cn';

/** Builds the Firefox MV2 extension unless a build is already there (or E2E_REBUILD=1). */
export function ensureFirefoxBuilt(): string {
  if (process.env.E2E_REBUILD === '1' || !existsSync(join(FIREFOX_BUILD, 'manifest.json'))) {
    execFileSync('npx', ['wxt', 'build', '-b', 'firefox'], { cwd: ROOT, stdio: 'inherit' });
  }
  return FIREFOX_BUILD;
}

export interface FirefoxLaunchOptions {
  /** Preset portals, as DOSSIER_LENS_PORTALS would write them (MV2: into `permissions`). */
  portals?: string[];
  /** Extra preferences for the profile. */
  prefs?: Record<string, unknown>;
  /** Install the extension as a temporary add-on (default); false when policy installs it. */
  install?: boolean;
  /** Another Firefox executable (e.g. one started in a private mount namespace: managed-browsers.ts). */
  executablePath?: string;
}

export interface FirefoxExtension {
  browser: Browser;
  /** moz-extension://<uuid> */
  origin: string;
  /** Opens an extension page in a new tab, e.g. page('options.html'). */
  page(path: string): Promise<Page>;
  /** Opens a web page in a new tab. */
  open(url: string): Promise<Page>;
  /** A raw WebDriver BiDi command (for what puppeteer does not expose, e.g. closed shadow roots). */
  bidi<T = unknown>(method: string, params: object): Promise<T>;
  close(): Promise<void>;
}

export async function launchFirefoxExtension(opts: FirefoxLaunchOptions = {}): Promise<FirefoxExtension> {
  const extDir = mkdtempSync(join(tmpdir(), 'dl-ffext-'));
  cpSync(ensureFirefoxBuilt(), extDir, { recursive: true });
  const manifestPath = join(extDir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { permissions: string[] };
  // The presets are the test's own, whoever built .output last (see extension.ts).
  manifest.permissions = [...manifest.permissions.filter((p) => !p.includes('://')), ...(opts.portals ?? [])];
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));

  const uuid = randomUUID();
  const browser = await puppeteer.launch({
    browser: 'firefox',
    protocol: 'webDriverBiDi',
    executablePath: opts.executablePath ?? FIREFOX,
    headless: true,
    dumpio: process.env.FIREFOX_DUMPIO === '1',
    // WebDriver refuses to navigate to moz-extension:// pages unless this is given.
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: uuid }),
      // The extension's pages follow navigator.languages: zh-CN, the product's default.
      'intl.accept_languages': 'zh-CN, zh',
      ...opts.prefs,
    },
  });
  // puppeteer's own BiDi connection; its type is internal.
  const connection = (
    browser as unknown as { connection: { send(m: string, p: object): Promise<{ result: unknown }> } }
  ).connection;
  const bidi = async <T>(method: string, params: object) => (await connection.send(method, params)).result as T;
  try {
    if (opts.install !== false) {
      const id = await browser.installExtension(extDir);
      if (id !== GECKO_ID) throw new Error(`installed ${id}, expected ${GECKO_ID}`);
    }
  } catch (e) {
    await browser.close();
    throw e;
  }
  const origin = `moz-extension://${uuid}`;
  const self: FirefoxExtension = {
    browser,
    origin,
    bidi,
    async page(path) {
      const page = await browser.newPage();
      // puppeteer's goto never sees a moz-extension navigation finish (the tab moves to the
      // extension process); BiDi's own navigate does.
      try {
        await bidi('browsingContext.navigate', {
          context: contextId(page),
          url: `${origin}/${path}`,
          wait: 'complete',
        });
      } catch (e) {
        await page.close();
        throw e;
      }
      return page;
    },
    async open(url) {
      const page = await browser.newPage();
      await page.goto(url);
      return page;
    },
    async close() {
      await browser.close();
      rmSync(extDir, { recursive: true, force: true });
    },
  };
  return self;
}

/** The BiDi browsing-context id of a page's main frame. */
export function contextId(page: Page): string {
  return (page.mainFrame() as unknown as { _id: string })._id;
}

type EvalResult =
  | { type: 'success'; result: { type: string; value?: unknown } }
  | { type: 'exception'; exceptionDetails: { text: string } };

async function evaluateIn(ff: FirefoxExtension, context: string, expression: string): Promise<unknown> {
  const r = await ff.bidi<EvalResult>('script.evaluate', { expression, target: { context }, awaitPromise: true });
  if (r.type !== 'success') throw new Error(`evaluate: ${r.exceptionDetails.text}`);
  return r.result.value;
}

/** Extension tabs showing the dossier page (the side panel's page in a tab), by address. */
export async function dossierTabs(ff: FirefoxExtension): Promise<string[]> {
  const { contexts } = await ff.bidi<{ contexts: { url: string }[] }>('browsingContext.getTree', { maxDepth: 0 });
  return contexts.map((c) => c.url).filter((u) => u.startsWith(`${ff.origin}/sidepanel.html`));
}

/** Text of `selector` (default the body) in the dossier tab at `url`. */
export async function tabText(ff: FirefoxExtension, url: string, selector = 'body'): Promise<string> {
  const { contexts } = await ff.bidi<{ contexts: { url: string; context: string }[] }>('browsingContext.getTree', {
    maxDepth: 0,
  });
  const tab = contexts.find((c) => c.url === url);
  if (!tab) return '';
  return String(
    (await evaluateIn(ff, tab.context, `document.querySelector(${JSON.stringify(selector)})?.textContent ?? ''`)) ?? '',
  );
}

/**
 * Text of `selector` (default the body) in the extension's sidebar, '' when it is closed. The
 * sidebar is not a tab, so WebDriver has no handle on it; an extension page can reach it, as the
 * extension's own pages reach each other (`extension.getViews`).
 */
export async function sidebarText(ff: FirefoxExtension, selector = 'body'): Promise<string> {
  const page = await ff.page('options.html');
  try {
    return String(
      (await evaluateIn(
        ff,
        contextId(page),
        "(browser.extension.getViews({ type: 'sidebar' })[0]?.document" +
          `.querySelector(${JSON.stringify(selector)})?.textContent ?? '')`,
      )) ?? '',
    );
  } finally {
    await page.close();
  }
}

/** Closes the sidebar as the user would with its close button (in the browser's own window). */
export async function closeSidebar(ff: FirefoxExtension): Promise<void> {
  const { contexts } = await ff.bidi<{ contexts: { url: string; context: string }[] }>('browsingContext.getTree', {
    maxDepth: 0,
    'moz:scope': 'chrome',
  });
  const window = contexts.find((c) => c.url === 'chrome://browser/content/browser.xhtml');
  if (!window) throw new Error('no browser window');
  await evaluateIn(ff, window.context, 'SidebarController.hide()');
}
