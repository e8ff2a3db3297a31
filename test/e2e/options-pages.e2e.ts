import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { oneOfficer, type ExtensionBrowser } from './support/index.ts';

/**
 * The full-tab pages (integrity review, unit pictures, import) are reachable from the options
 * page and from the side panel, by keyboard, each opening in a new tab; and their shared left
 * navigation marks the page it is on, the import page included.
 */
describe('links to the full-tab pages', () => {
  let ext: ExtensionBrowser;
  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ ext, close } = await oneOfficer());
  });
  afterAll(async () => {
    await close?.();
  });

  /** Focuses `link` with the keyboard (Tab until it has focus) and presses Enter; returns the tab it opened. */
  async function activateByKeyboard(page: Page, name: RegExp): Promise<Page> {
    const link = page.getByRole('navigation', { name: '工作页面' }).getByRole('link', { name });
    for (let i = 0; i < 200 && !(await link.evaluate((el) => el === document.activeElement)); i++)
      await page.keyboard.press('Tab');
    expect(await link.evaluate((el) => el === document.activeElement)).toBe(true);
    const opened = ext.context.waitForEvent('page');
    await page.keyboard.press('Enter');
    const tab = await opened;
    await tab.waitForLoadState();
    return tab;
  }

  test('from the options page, in a new tab, the options page staying', async () => {
    const page = await ext.page('options.html');
    const links = page.getByRole('navigation', { name: '工作页面' }).getByRole('link');
    await expect
      .poll(() => links.allTextContents())
      .toEqual([
        '主体责任提醒卡 （在新标签页中打开）',
        '问题线索 （在新标签页中打开）',
        '廉政意见回复 （在新标签页中打开）',
        '单位画像 （在新标签页中打开）',
        '导入与导出 （在新标签页中打开）',
        '干部查询 （在新标签页中打开）',
        '分析研判 （在新标签页中打开）',
        '预警提醒 （在新标签页中打开）',
      ]);
    const tab = await activateByKeyboard(page, /廉政意见回复/);
    expect(new URL(tab.url()).pathname).toBe('/review.html');
    await expect
      .poll(() => tab.getByRole('navigation', { name: '页面导航' }).locator('a[aria-current=page]').textContent())
      .toBe('廉政意见回复');
    expect(new URL(page.url()).pathname).toBe('/options.html');
    await tab.close();
    await page.close();
  });

  test('from the side panel; the import page marks itself in the left navigation', async () => {
    const panel = await ext.page('sidepanel.html#cadre/C001');
    await panel.getByRole('navigation', { name: '工作页面' }).waitFor();
    const tab = await activateByKeyboard(panel, /导入与导出/);
    expect(new URL(tab.url()).pathname).toBe('/import.html');
    await expect
      .poll(() => tab.getByRole('navigation', { name: '页面导航' }).locator('a[aria-current=page]').allTextContents())
      .toEqual(['导入与导出']);
    // The panel is still the panel.
    expect(new URL(panel.url()).pathname).toBe('/sidepanel.html');
    await tab.close();
    await panel.close();
  });
});
