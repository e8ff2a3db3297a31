import { afterAll, describe, expect, test } from 'vitest';
import { launchExtension, type ExtensionBrowser } from './support/index.ts';

/**
 * Portals preset at build time (DOSSIER_LENS_PORTALS → host_permissions) need no clicks: the
 * overlay is registered on them at startup, and they are listed as the organisation's.
 */
describe('preset portals and the options page in English', () => {
  const browsers: ExtensionBrowser[] = [];
  afterAll(async () => {
    for (const b of browsers) await b.close();
  });

  test('a preset portal is registered at startup and cannot be removed by the user', async () => {
    const ext = await launchExtension({ portals: ['http://127.0.0.1/*'] });
    browsers.push(ext);
    const options = await ext.page('options.html');
    const registered = () =>
      options.evaluate(
        async () =>
          (await (globalThis as any).chrome.scripting.getRegisteredContentScripts()) as {
            id: string;
            matches: string[];
            js: string[];
          }[],
      );
    await expect.poll(registered, { timeout: 10_000 }).toEqual([
      expect.objectContaining({
        id: 'dossier-lens-overlay',
        matches: ['http://127.0.0.1/*'],
        js: ['content-scripts/overlay.js'],
      }),
    ]);
    const item = options.locator('ul.portals li', { hasText: 'http://127.0.0.1/*' });
    await expect(item.textContent()).resolves.toContain('单位预设');
    await expect(item.getByRole('button').count()).resolves.toBe(0);
    // A typo is explained under the field, and nothing is requested.
    await options.locator('#portal-input').fill('ftp://files.example.cn');
    await options.getByRole('button', { name: '添加并授权' }).click();
    await expect(options.locator('#portal-err').textContent()).resolves.toBe('不是有效的网站地址');
  });

  test('with no preset portal nothing is registered and nothing is granted', async () => {
    const ext = await launchExtension({ locale: 'en-US' });
    browsers.push(ext);
    const options = await ext.page('options.html');
    await expect(options.locator('h1').textContent()).resolves.toBe('Dossier Lens · Settings');
    await options.getByLabel('Server address').waitFor();
    await expect(options.locator('ul.portals').count()).resolves.toBe(0);
    const state = await options.evaluate(async () => {
      const c = (globalThis as any).chrome;
      return {
        scripts: await c.scripting.getRegisteredContentScripts(),
        origins: (await c.permissions.getAll()).origins,
      };
    });
    expect(state).toEqual({ scripts: [], origins: [] });
  });
});
