import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { oneOfficer, stopBackground, type ExtensionBrowser, type TestServer } from './support/index.ts';

/**
 * The MV3 lifetime decision (extension/lib/lifetime.ts): the browser may stop the background at
 * any time; the next event starts it again and it reopens the workspace from IndexedDB — with the
 * server down too, since everything needed is on this device.
 */
describe('the background survives being stopped, offline', () => {
  let server: TestServer;
  let ext: ExtensionBrowser;
  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ server, ext, close } = await oneOfficer());
  });
  afterAll(async () => {
    await close?.();
  });

  test('search and a dossier still work after the service worker is stopped with the server down', async () => {
    const panel = await ext.page('sidepanel.html');
    await panel.getByLabel('搜索干部或单位').fill('张伟');
    await expect.poll(() => panel.locator('.results li').count(), { timeout: 20_000 }).toBe(1);
    await panel.getByLabel('搜索干部或单位').fill('');

    await server.stop();
    const worker = await stopBackground(ext, panel);

    // The search message wakes the worker; it answers once the workspace is open from IndexedDB.
    await panel.getByLabel('搜索干部或单位').fill('欧阳');
    await expect
      .poll(() => panel.locator('.results li').allTextContents(), { timeout: 20_000 })
      .toEqual([expect.stringContaining('欧阳芳')]);
    expect(worker.running()).toBe(true);
    await panel.locator('.results button').click();
    await expect.poll(() => panel.locator('#dossier-name').textContent(), { timeout: 10_000 }).toContain('欧阳芳');
    await expect.poll(() => panel.getByTestId('status-line').getAttribute('data-connection')).toBe('offline');
    await panel.close();
  });
});
