import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import {
  launchExtension,
  ROOT,
  saveScreenshot,
  seededServer,
  type ExtensionBrowser,
  type TestServer,
} from './support/index.ts';
import { expectAccessible } from './support/axe.ts';

/**
 * WCAG 2.1 AA on the options page, the side panel and the import page (issue 19): axe-core in each
 * main state (empty, filled, results, forms open, errors), the contrast of the dot glyphs axe does
 * not measure (1.4.11), reflow at 320 CSS px (1.4.10), and the side panel by keyboard alone: every
 * control reachable, its focus visible and never under the pinned status bar (2.4.7, 2.4.11).
 */

/**
 * These pages are held to more than the suite's bar: no violation of any impact, so the minor ones
 * issue 19 found (a status role on a footer, an empty table header, no h1 before a subject opens)
 * stay fixed too.
 */
async function expectClean(page: Page, state: string): Promise<void> {
  const rest = await expectAccessible(page, state);
  expect(
    rest.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    state,
  ).toEqual([]);
}

/** Whether the page needs horizontal scrolling at its current width. */
const overflowsX = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);

/** Contrast ratio of an element's text colour against the page background (both opaque here). */
async function glyphContrast(page: Page, selector: string): Promise<number> {
  return page.evaluate((sel) => {
    const parse = (c: string) => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    const lum = ([r, g, b]: number[]) => {
      const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
    };
    const el = document.querySelector(sel)!;
    let bgEl: Element | null = el;
    let bg = 'rgba(0, 0, 0, 0)';
    while (bgEl && /rgba\(0, 0, 0, 0\)|transparent/.test(bg)) {
      bg = getComputedStyle(bgEl).backgroundColor;
      bgEl = bgEl.parentElement;
    }
    const [a, b] = [
      lum(parse(getComputedStyle(el).color)),
      lum(parse(bg.includes('0, 0, 0, 0') ? 'rgb(255,255,255)' : bg)),
    ].sort((x, y) => y - x);
    return (a! + 0.05) / (b! + 0.05);
  }, selector);
}

describe('accessibility of the options page, the side panel and the import page', () => {
  let server: TestServer;
  let ext: ExtensionBrowser;
  let token: string;

  beforeAll(async () => {
    ({ server } = await seededServer());
    token = server.token({ user: 'alice', name: '张三', grants: [{ role: 'admin', doc: '*' }] });
    ext = await launchExtension();
  });
  afterAll(async () => {
    await ext?.close();
    await server?.close();
  });

  test('options page: not enrolled, a form with errors, enrolled, a portal error, the wipe question; reflows at 320 px', async () => {
    const page = await ext.page('options.html');
    await page.locator('#server-url').waitFor({ timeout: 20_000 });
    await expectClean(page, 'options: not enrolled');
    const panelBefore = await ext.page('sidepanel.html');
    await panelBefore.locator('h1').first().waitFor({ timeout: 20_000 });
    await expectClean(panelBefore, 'side panel: not connected');
    await panelBefore.close();

    await page.locator('form button[type=submit]').first().click();
    await page.locator('#server-url-err').waitFor();
    await expectClean(page, 'options: enrolment errors');
    await page.locator('#server-url').fill(server.url);
    await page.locator('#token').fill(token);
    await page.locator('form button[type=submit]').first().click();
    await page.getByTestId('whoami-name').waitFor({ timeout: 20_000 });
    await expectClean(page, 'options: enrolled');
    await page.locator('#portal-input').fill('ftp://files.example');
    await page.locator('#portal-input').press('Enter');
    await page.locator('#portal-err').waitFor();
    await page.getByRole('button', { name: '清除本机数据' }).click();
    await page.getByRole('alertdialog').waitFor();
    await expectClean(page, 'options: portal error and the wipe question');
    await page.getByRole('alertdialog').getByRole('button', { name: '取消' }).click();
    await page.setViewportSize({ width: 320, height: 800 });
    expect(await overflowsX(page)).toBe(false);
    await page.close();
  });

  test('side panel: empty, search results, a dossier, filters off, forms open, errors, history; glyph contrast; 320 px', async () => {
    const page = await ext.page('sidepanel.html');
    await page.locator('#subject-search').waitFor({ timeout: 20_000 });
    await expect
      .poll(() => page.getByTestId('status-line').getAttribute('data-connection'), { timeout: 20_000 })
      .toBe('online');
    await expectClean(page, 'side panel: empty');
    await page.locator('#subject-search').fill('张');
    await page.locator('.results li').first().waitFor({ timeout: 20_000 });
    await expectClean(page, 'side panel: search results');
    await page.locator('.results button').first().click();
    await expect.poll(() => page.locator('[data-record-id]').count(), { timeout: 20_000 }).toBe(3);
    await expectClean(page, 'side panel: dossier');

    // A switched-off filter chip keeps its text contrast (it was 4.08:1).
    await page.getByRole('button', { name: /黑点/ }).first().click();
    await expectClean(page, 'side panel: a filter switched off');
    await page.getByRole('button', { name: /黑点/ }).first().click();
    // The yellow ▲ (a glyph: 3:1) on white and on the chips' soft background.
    expect(await glyphContrast(page, '.dots .dot.yellow > span')).toBeGreaterThanOrEqual(3);
    expect(await glyphContrast(page, '.chip.yellow > span')).toBeGreaterThanOrEqual(3);

    await page.getByRole('button', { name: /新增记录/ }).click();
    await page.getByRole('button', { name: '登记负面清单事项' }).click();
    await page
      .getByRole('button', { name: /^更正记录/ })
      .first()
      .click();
    await expectClean(page, 'side panel: forms open');
    await page.locator('form[aria-labelledby=add-record-h] button[type=submit]').click();
    await page.locator('form[aria-labelledby=add-flag-h] button[type=submit]').click();
    await page.locator('#rec-summary-err').waitFor();
    await page.locator('#flag-item-err').waitFor();
    await expectClean(page, 'side panel: errors under the fields');
    await page.getByTestId('history-toggle').click();
    await expectClean(page, 'side panel: history open');

    await page.setViewportSize({ width: 320, height: 800 });
    expect(await overflowsX(page)).toBe(false);
    await page.close();
  });

  test('side panel by keyboard: every control reached in order, focus visible and never under the status bar', async () => {
    const page = await ext.page('sidepanel.html#cadre/C001');
    await page.setViewportSize({ width: 360, height: 640 });
    await expect.poll(() => page.locator('[data-record-id]').count(), { timeout: 20_000 }).toBe(3);
    const reached: string[] = [];
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab');
      const focus = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return undefined;
        const r = el.getBoundingClientRect();
        const bar = document.querySelector('[data-testid=status-line]')!.getBoundingClientRect();
        const style = getComputedStyle(el);
        return {
          name: (el.getAttribute('aria-label') ?? el.textContent ?? el.id).trim().slice(0, 30),
          hidden: r.bottom > bar.top + 1 || r.top < 0,
          ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
        };
      });
      if (!focus) break;
      expect(focus.hidden, `focus under the status bar or off screen: ${focus.name}`).toBe(false);
      expect(focus.ring, `no visible focus ring: ${focus.name}`).toBe(true);
      reached.push(focus.name);
      if (focus.name.includes('登记负面清单事项')) break;
    }
    // In reading order: the page links, search, the dossier's unit, the grade, filters, records, flags.
    const at = (s: string) => reached.findIndex((n) => n.includes(s));
    expect(at('搜索')).toBeLessThan(at('打开单位档案'));
    expect(at('打开单位档案')).toBeLessThan(at('红点'));
    expect(at('红点')).toBeLessThan(at('新增记录'));
    expect(at('新增记录')).toBeLessThan(at('登记负面清单事项'));
    expect(at('登记负面清单事项')).toBeGreaterThan(0);

    // Filters and forms work from the keyboard: Space toggles a chip, Enter opens the form.
    await page.locator('.chip.black').focus();
    await page.keyboard.press('Space');
    expect(await page.locator('.chip.black').getAttribute('aria-pressed')).toBe('false');
    await page.keyboard.press('Space');
    await page.getByRole('button', { name: /新增记录/ }).focus();
    await page.keyboard.press('Enter');
    await page.locator('#rec-colour').waitFor();
    await page.close();
  });

  test('import page: nothing chosen, a file checked with problems and notes, imported; reflows at 320 px', async () => {
    const page = await ext.page('import.html');
    await page.locator('#file').waitFor({ timeout: 20_000 });
    await expectClean(page, 'import: nothing chosen');
    await page.locator('#file').setInputFiles(join(ROOT, 'test/fixtures/imports/clues-utf8.csv'));
    await page.getByTestId('import-problems').waitFor({ timeout: 20_000 });
    await page.locator('[data-testid=import-notes] summary').click();
    await expectClean(page, 'import: checked, with problems and notes');
    await page.locator('input[value=good-rows]').check();
    await page.locator('section[aria-labelledby=in-h] button.primary').click();
    await page.getByTestId('import-outcome').waitFor({ timeout: 20_000 });
    await expectClean(page, 'import: imported, with its history');
    await page.setViewportSize({ width: 320, height: 800 });
    expect(await overflowsX(page)).toBe(false);
    await saveScreenshot(page, 'import-page-narrow', { fullPage: false });
    await page.close();
  });
});
