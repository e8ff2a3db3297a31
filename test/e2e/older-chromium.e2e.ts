import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Server } from 'node:http';
import type { Page } from 'playwright-core';
import { enrol, launchExtension, type ExtensionBrowser, type TestServer } from './support/index.ts';
import { accessibleTexts, badges, clickBackendNode, focusBackendNode } from './support/cdp-badges.ts';
import { startFixtureServer, tx } from './support/portal-fixtures.ts';
import { portalServer } from './support/portal-scene.ts';

/**
 * The real build run as the older Chromium kernels the README supports would run it (minimum 109):
 * the APIs they lack are taken away from this browser's copy of the extension before its own code
 * runs, and what the user meets instead is checked.
 * - Chromium 109–113: no side panel (the manifest's `sidePanel` permission and `side_panel` key
 *   are unknown there, so chrome.sidePanel is undefined) and no popovers (the overlay's card).
 * - Chromium 114–115: a side panel, but no `sidePanel.open()` (116).
 */

/**
 * Chromium 109–113: what it does with the manifest's side panel (ignores it), and no popover API in
 * the overlay's world.
 */
const CHROMIUM_109 = {
  manifest: (m: Record<string, unknown>) => {
    m.permissions = (m.permissions as string[]).filter((p) => p !== 'sidePanel');
    delete m.side_panel;
  },
  prepend: {
    'content-scripts/overlay.js':
      'for (const k of ["showPopover", "hidePopover", "togglePopover"]) delete HTMLElement.prototype[k];',
  },
};

/** Chromium 114–115: chrome.sidePanel without open(). */
const CHROMIUM_114 = {
  prepend: {
    'background.js': 'Object.defineProperty(chrome.sidePanel, "open", { value: undefined, configurable: true });',
  },
};

describe('older Chromium kernels: the fallbacks', () => {
  let server: TestServer;
  let fixtures: { origin: string; server: Server };
  let token = '';

  beforeAll(async () => {
    ({ server } = await portalServer());
    token = server.token({
      user: 'officer',
      name: '李四',
      grants: [
        { role: 'viewer', doc: 'workspace' },
        { role: 'viewer', doc: 'unit:*' },
        { role: 'viewer', doc: 'notes:*' },
      ],
    });
    fixtures = await startFixtureServer();
  });
  afterAll(async () => {
    await server?.close();
    fixtures?.server.close();
  });

  async function roster(ext: ExtensionBrowser): Promise<Page> {
    const page = await ext.context.newPage();
    await page.goto(`${fixtures.origin}/legacy-gbk.html`);
    await expect.poll(async () => (await badges(page)).length, { timeout: 20_000 }).toBeGreaterThan(5);
    return page;
  }
  const badgeOf = async (page: Page, name: string) =>
    (await badges(page)).find((b) => b.label.startsWith(`${name} ·`))!.button;
  const dossierTabs = (ext: ExtensionBrowser) =>
    ext.context.pages().filter((p) => p.url().startsWith(`chrome-extension://${ext.extensionId}/sidepanel.html`));
  const dossierName = (p: Page) =>
    p
      .locator('#dossier-name')
      .textContent({ timeout: 1000 })
      .catch(() => '');
  /** The dossier opened in a tab, the only one: at `hash`, showing `name`. */
  const expectDossierTab = async (ext: ExtensionBrowser, hash: string, name: string) => {
    await expect.poll(() => dossierTabs(ext).map((p) => new URL(p.url()).hash), { timeout: 10_000 }).toEqual([hash]);
    await expect.poll(() => dossierName(dossierTabs(ext)[0]!), { timeout: 20_000 }).toContain(name);
  };

  test('Chromium 109–113: the badge card shows without popovers; the dossier opens in one tab that follows later clicks', async () => {
    const ext = await launchExtension({ portals: ['http://127.0.0.1/*'], patch: CHROMIUM_109 });
    try {
      expect(
        await ext.background.evaluate(
          () => typeof (globalThis as unknown as { chrome: { sidePanel?: unknown } }).chrome.sidePanel,
        ),
      ).toBe('undefined');
      await enrol(ext, server.url, token);
      const page = await roster(ext);

      // Focus (as Tab would) shows the card; Escape hides it.
      const where = '市卫生健康委员会 · 副主任';
      expect(await accessibleTexts(page)).not.toContain(where);
      await focusBackendNode(page, await badgeOf(page, '李娜'));
      await expect
        .poll(() => accessibleTexts(page), { timeout: 10_000 })
        .toEqual(expect.arrayContaining([where, tx.legend]));
      await page.keyboard.press('Escape');
      await expect.poll(() => accessibleTexts(page)).not.toContain(where);

      // Enter opens the dossier: no side panel, so in a tab.
      await page.keyboard.press('Enter');
      await expectDossierTab(ext, '#cadre/C005', '李娜');
      // The next badge reuses that tab.
      await clickBackendNode(page, await badgeOf(page, '欧阳明'));
      await expectDossierTab(ext, '#cadre/C004', '欧阳明');
    } finally {
      await ext.close();
    }
  });

  test('Chromium 114–115: a side panel that cannot be opened from a click: the dossier opens in a tab', async () => {
    const ext = await launchExtension({ portals: ['http://127.0.0.1/*'], patch: CHROMIUM_114 });
    try {
      expect(
        await ext.background.evaluate(
          () => typeof (globalThis as unknown as { chrome: { sidePanel: { open?: unknown } } }).chrome.sidePanel.open,
        ),
      ).toBe('undefined');
      await enrol(ext, server.url, token);
      const page = await roster(ext);
      await clickBackendNode(page, await badgeOf(page, '欧阳明'));
      await expectDossierTab(ext, '#cadre/C004', '欧阳明');
    } finally {
      await ext.close();
    }
  });
});
