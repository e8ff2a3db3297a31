import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cadre } from '../../core/doc/test/fixtures.ts';
import { expectAccessible } from './support/axe.ts';
import { enrol, launchExtension, startTestServer, type ExtensionBrowser, type TestServer } from './support/index.ts';
import { seed } from './support/seed.ts';

/**
 * The workflows' settings in the workspace configuration, edited by an admin on the pages that use
 * them: the commission's letter settings (a reply is not drafted without the contact its 附注 must
 * give) and who receives reminder cards (post words and unit kinds).
 */
describe('workflow settings (admins)', () => {
  let server: TestServer;
  let ext: ExtensionBrowser;
  let page: Page;

  beforeAll(async () => {
    server = await startTestServer();
    const admin = server.token({ user: 'admin', name: '管理员', grants: [{ role: 'admin', doc: '*' }] });
    await seed(server.url, admin, {
      units: [{ code: 'ZF09', name: '澜江市林业局', aliases: [], kind: 'government' }],
      cadres: [
        cadre('C4', { name: '刘政忠', birth: '1978-01', unitCode: 'ZF09' }),
        cadre('C5', { name: '丁某', birth: '1985-01', unitCode: 'ZF09', post: '副局长', rank: '副处级' }),
      ],
    });
    ext = await launchExtension();
    await enrol(ext, server.url, admin);
    page = await ext.page('review.html#new');
    await page.setViewportSize({ width: 1280, height: 900 });
  });
  afterAll(async () => {
    await ext?.close();
    await server?.close();
  });

  test('no reply is drafted until the letter settings give a contact; a bad 发文字号 pattern is explained', async () => {
    await expect.poll(() => page.getByTestId('review-scope').textContent(), { timeout: 30_000 }).toContain('2 名干部');
    await page.locator('#rq-letterNo').fill('澜组干函〔2019〕45号');
    await page.locator('#rq-purpose').selectOption('promotion');
    await page.locator('#rq-people').fill('刘政忠');
    await page.getByRole('button', { name: '开始审查' }).click();
    await expect
      .poll(() => page.locator('#draft-blocked').textContent())
      .toBe('发文设置中尚未填写联系人和电话，不能拟稿（回复函附注须写明）。');

    await page.getByRole('link', { name: '发文设置' }).click();
    const form = page.getByTestId('commission-settings');
    await form.waitFor();
    await expectAccessible(page, 'letter settings');
    await page.locator('#set-number').fill('澜纪函');
    await page.getByRole('button', { name: '保存' }).click();
    await expect
      .poll(() => page.locator('#set-number-err').textContent())
      .toBe('发文字号格式：须包含 {year} 和 {n}，如 澜纪函〔{year}〕{n}号');
    await expectAccessible(page, 'letter settings with an error');
    await page.locator('#set-number').fill('澜纪函〔{year}〕{n}号');
    await page.locator('#set-name').fill('中共澜江市纪律检查委员会');
    await page.locator('#set-person').fill('王明');
    await page.locator('#set-phone').fill('0744-8221234');
    await page.getByRole('button', { name: '＋ 添加承办部门' }).click();
    await page.locator('#h-name-4').fill('驻市委政法委纪检监察组');
    await page.locator('#h-kind-4').selectOption('stationed-group');
    await page.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => form.locator('[role=status]').textContent()).toBe('已保存。');

    await page.getByRole('link', { name: '新来函' }).click();
    await page.locator('#rq-letterNo').fill('澜组干函〔2019〕45号');
    await page.locator('#rq-purpose').selectOption('promotion');
    await page.locator('#rq-people').fill('刘政忠');
    await page.getByRole('button', { name: '开始审查' }).click();
    await expect.poll(() => page.getByRole('button', { name: '提交拟稿' }).isEnabled()).toBe(true);
  });

  test('who gets a card is set by post words and unit kind', async () => {
    const cards = await ext.page('cards.html');
    await cards.setViewportSize({ width: 1280, height: 900 });
    const preview = () =>
      cards
        .locator('[data-testid=issue-preview] tbody tr')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-holder')));
    await expect.poll(preview, { timeout: 30_000 }).toEqual(['C4']);
    await cards.getByTestId('card-settings').locator('summary').click();
    await expectAccessible(cards, 'card settings open');
    // Deputies of government departments count as 政府党组副职 here.
    await cards.locator('#cset-posts-1').fill('副市长，副县长，副局长');
    await cards.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => cards.getByTestId('card-settings').locator('[role=status]').textContent()).toBe('已保存。');
    await expect.poll(preview).toEqual(['C4', 'C5']);
    await expect(cards.locator('[data-testid=issue-preview] tr[data-holder=C5]').textContent()).resolves.toContain(
      '政府党组副职',
    );
    await cards.close();
  });
});
