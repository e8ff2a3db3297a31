import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Server } from 'node:http';
import { badges } from './support/cdp-badges.ts';
import { stopBackground, type ExtensionBrowser, type TestServer } from './support/index.ts';
import { WANG_FANG_COMMENDATION } from './support/portal-fixtures.ts';
import { openPortalScene } from './support/portal-scene.ts';
import { putRecordElsewhere } from './support/seed.ts';

/**
 * The overlay's life around the page's (issue 18, small things): a tab opened before the overlay
 * was registered is badged without a reload, and a page that goes into the back/forward cache and
 * comes back keeps its badges and reconnects to hear changes.
 */
describe('the overlay before registration and across the back/forward cache', () => {
  let server: TestServer;
  let ext: ExtensionBrowser;
  let fixtures: { origin: string; server: Server };
  let admin: string;

  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ server, admin, fixtures, ext, close } = await openPortalScene({ backForwardCache: true }));
  });

  afterAll(async () => {
    await close?.();
  });

  test('a portal tab opened before the overlay is registered gets its badges without a reload', async () => {
    const options = await ext.page('options.html');
    // The state of a new profile's first moments: nothing registered yet.
    await options.evaluate(() =>
      (globalThis as any).chrome.scripting.unregisterContentScripts({ ids: ['dossier-lens-overlay'] }),
    );
    const page = await ext.context.newPage();
    await page.goto(`${fixtures.origin}/legacy-gbk.html`);
    expect(await badges(page)).toEqual([]);
    const loads = await page.evaluate(() => performance.getEntriesByType('navigation').length);
    // The background starts again (as after the browser stopped it) and registers the overlay.
    await stopBackground(ext, options);
    await options.reload();
    await expect.poll(async () => (await badges(page)).length, { timeout: 20_000 }).toBeGreaterThan(5);
    // Same document, not reloaded; and exactly one overlay running in it (no doubled badges).
    expect(await page.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(loads);
    const seen = await badges(page);
    expect(new Set(seen.map((b) => b.button)).size).toBe(seen.length);
    await page.close();
    await options.close();
  });

  test('a page back from the back/forward cache keeps its badges and hears changes again', async () => {
    const page = await ext.context.newPage();
    await page.addInitScript(() => {
      addEventListener('pageshow', (e) => ((globalThis as any).restored = e.persisted));
    });
    await page.goto(`${fixtures.origin}/legacy-gbk.html`);
    await expect.poll(async () => (await badges(page)).length, { timeout: 20_000 }).toBeGreaterThan(5);
    const before = (await badges(page)).map((b) => b.label);
    await page.goto(`${fixtures.origin}/profile.html`);
    await expect.poll(async () => (await badges(page)).length, { timeout: 20_000 }).toBeGreaterThan(0);
    // A page restored from the cache fires no load event.
    await page.goBack({ waitUntil: 'commit' });
    // The test means something only if the browser really kept the page in the cache.
    await expect.poll(() => page.evaluate(() => (globalThis as any).restored), { timeout: 10_000 }).toBe(true);
    await expect.poll(async () => (await badges(page)).map((b) => b.label), { timeout: 20_000 }).toEqual(before);
    // Its port was closed while it slept; a colleague's change must reach it again.
    const wangFang = async () => (await badges(page)).find((b) => b.label.startsWith('王　芳'))?.label ?? '';
    expect(await wangFang()).not.toContain('红点1');
    await putRecordElsewhere(server.url, admin, 'U01', WANG_FANG_COMMENDATION);
    await expect.poll(wangFang, { timeout: 20_000 }).toContain('红点1');
    await page.close();
  });
});
