import mammoth from 'mammoth';
import type { Page } from 'playwright-core';
import QRCode from 'qrcode';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { today as chinaToday } from '../../core/dates.ts';
import { DEFAULT_REMINDER_CARDS } from '../../core/model/workflow-config.ts';
import { quarterOf } from '../../core/workflow/card-flow.ts';
import { cadre } from '../../core/doc/test/fixtures.ts';
import { expectAccessible } from './support/axe.ts';
import {
  enrol,
  launchExtension,
  saveScreenshot,
  seededServer,
  type ExtensionBrowser,
  type TestServer,
} from './support/index.ts';

/**
 * A quarter of reminder cards (一季一提醒、一季一总结, seed 看点1): the quarter's list set in the
 * workspace, issued to everyone the holder rules select after a preview, acknowledged, reported on
 * duty by duty, summed up; a holder who did not carry out the duties escalated from a reminder talk
 * to an admonishment talk that lands on the dossier; the printed card's QR code; the quarterly report.
 */
const today = chinaToday();
const quarter = quarterOf(today);

describe('reminder cards: a quarter issued, acknowledged, reported, escalated, reported to the committee', () => {
  let server: TestServer;
  let ext: ExtensionBrowser;
  let page: Page;

  beforeAll(async () => {
    let admin: string;
    ({ server, admin } = await seededServer({
      units: [
        { code: 'QX01', name: '澜江市澄溪区', aliases: [], kind: 'government' },
        { code: 'XZ01', name: '澄溪区青石镇', aliases: [], kind: 'township', parentCode: 'QX01' },
        { code: 'ZF09', name: '澜江市林业局', aliases: [], kind: 'government' },
      ],
      cadres: [
        cadre('C1', { name: '彭剑锋', birth: '1975-01', unitCode: 'QX01', post: '县（区）委书记' }),
        cadre('C2', { name: '单铸飞', birth: '1976-01', unitCode: 'QX01', post: '副县（区）长', rank: '副处级' }),
        cadre('C3', { name: '熊振', birth: '1980-01', unitCode: 'XZ01', post: '党委书记', rank: '正科级' }),
        cadre('C4', { name: '刘政忠', birth: '1978-01', unitCode: 'ZF09' }),
        cadre('C5', { name: '丁某', birth: '1985-01', unitCode: 'ZF09', post: '副局长', rank: '副处级' }),
      ],
      config: { reminderCards: { ...DEFAULT_REMINDER_CARDS, issuer: '中共澜江市委' } },
    }));
    ext = await launchExtension();
    await enrol(ext, server.url, admin);
    page = await ext.page('cards.html');
    await page.setViewportSize({ width: 1280, height: 900 });
  });
  afterAll(async () => {
    await ext?.close();
    await server?.close();
  });

  const row = (holder: string) => page.locator('[data-testid=issue-preview] tr', { hasText: holder });

  test('the quarter’s list is kept in the workspace; the preview shows who gets what before anything is sent', async () => {
    await expect
      .poll(() => page.locator('[data-holder-type=subordinate-head] h3').textContent(), { timeout: 30_000 })
      .toBe('下级党委（党组）一把手');
    await expect(row('彭剑锋').getAttribute('data-status')).resolves.toBe('no-template');
    await expectAccessible(page, 'cards page, no list yet');
    await page.getByRole('button', { name: '设置“下级党委（党组）一把手”清单' }).click();
    await page
      .locator('#tpl-items')
      .fill('巡察整改：落实巡察反馈问题整改\n作风建设：带头加强干部队伍作风建设\n扶贫领域：督促扶贫领域专项整治');
    await expectAccessible(page, 'template form open');
    await page.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => page.locator('[data-holder-type=subordinate-head] .items li').count()).toBe(3);

    // 县委书记, 镇党委书记 and 局长 are heads of subordinate committees; the 副县长 is a deputy of the
    // government party group, whose list is not set; the 副局长 is not a holder at all.
    await expect.poll(() => row('彭剑锋').getAttribute('data-status')).toBe('new');
    await expect(
      page
        .locator('[data-testid=issue-preview] tbody tr')
        .evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-holder'), r.getAttribute('data-status')])),
    ).resolves.toEqual([
      ['C1', 'new'],
      ['C2', 'no-template'],
      ['C3', 'new'],
      ['C4', 'new'],
    ]);
    await expect(row('单铸飞').textContent()).resolves.toContain('政府党组副职');
    await expect(page.locator('[data-testid=issue-preview]').textContent()).resolves.not.toContain('丁某');

    await page.getByRole('button', { name: '发放 3 张提醒卡' }).click();
    await expect
      .poll(() => page.locator('#issue-h ~ .actions [role=status]').textContent())
      .toBe(`已发放 3 张 ${quarter} 提醒卡。`);
    await expect.poll(() => page.locator('[data-testid=card-list] tbody tr').count()).toBe(3);
    // Issuing again sends nothing twice.
    await expect(page.getByRole('button', { name: '发放 0 张提醒卡' }).isDisabled()).resolves.toBe(true);
    await expect(page.locator('[data-testid=card-list] [data-card-stage]').allTextContents()).resolves.toEqual([
      '已发放',
      '已发放',
      '已发放',
    ]);
    await expectAccessible(page, 'cards issued');
    await saveScreenshot(page, 'cards-page');
  });

  async function openCard(holder: string) {
    await page.goto(`chrome-extension://${ext.extensionId}/cards.html#list`);
    await page.locator('[data-testid=card-list] a', { hasText: holder }).click();
    await expect
      .poll(() => page.getByTestId('card-detail').locator('h2').textContent(), { timeout: 20_000 })
      .toContain(holder);
  }

  test('a card is acknowledged, reported on duty by duty and summed up, each entry dated and attributed by the server', async () => {
    await openCard('熊振');
    const detail = page.getByTestId('card-detail');
    await expect(detail.getAttribute('data-card-stage')).resolves.toBe('issued');
    await expectAccessible(page, 'card, issued');
    await page.getByRole('button', { name: '签收', exact: true }).click();
    await expect.poll(() => detail.getAttribute('data-card-stage')).toBe('received');
    const items = detail.locator('[data-testid=card-items] > li');
    await items.nth(0).getByRole('button', { name: '提交落实情况' }).click();
    await expect.poll(() => items.nth(0).locator('[id$=text-err]').textContent()).toBe('内容：不能为空');
    await expectAccessible(page, 'report form with an error');
    const reports = [
      '已完成巡察反馈的 5 个问题整改',
      '召开作风建设专题会议，开展作风纪律整顿',
      '督促各村开展扶贫领域专项整治',
    ];
    for (const [i, text] of reports.entries()) {
      await items.nth(i).locator('textarea').fill(text);
      await items.nth(i).getByRole('button', { name: '提交落实情况' }).click();
      await expect.poll(() => items.nth(i).locator('.report').textContent()).toContain(text);
    }
    await expect.poll(() => detail.getAttribute('data-card-stage')).toBe('reported');
    await page.locator('#sum-text').fill('本季度主体责任清单 3 项已全部落实。');
    await page.getByRole('button', { name: '报送总结' }).click();
    await expect.poll(() => detail.getAttribute('data-card-stage')).toBe('summarised');
    // Who made each entry is what the server attributed the writes to.
    await expect.poll(() => detail.locator('[data-author=admin]').count(), { timeout: 15_000 }).toBe(5);
    await expectAccessible(page, 'card, summed up');
  });

  test('duties not carried out: a reminder talk, then an admonishment talk that shows on the holder’s dossier', async () => {
    await openCard('刘政忠');
    const form = page.getByTestId('followup-form');
    await expect(form.locator('#fu-level').inputValue()).resolves.toBe('reminder-talk');
    await form.locator('#fu-note').fill('巡察反馈问题整改进度滞后');
    await form.getByRole('button', { name: '记入档案' }).click();
    await expect.poll(() => form.locator('[role=status]').textContent()).toBe('已记入档案：提醒谈话');
    // The next level is offered.
    await expect.poll(() => form.locator('#fu-level').inputValue()).toBe('admonishment');
    await form.locator('#fu-doc').fill('澜纪诫〔2026〕7号');
    await form.getByRole('button', { name: '记入档案' }).click();
    await expect
      .poll(() => page.locator('[data-testid=card-followups] > li').allTextContents())
      .toEqual([expect.stringContaining('提醒谈话'), expect.stringMatching(/诫勉谈话.*诫勉（澜纪诫〔2026〕7号）/)]);
    await expectAccessible(page, 'card with follow-ups');

    const dossier = await ext.page('sidepanel.html#cadre/C4');
    await expect
      .poll(() => dossier.locator('[data-record-id]').allTextContents(), { timeout: 20_000 })
      .toEqual(expect.arrayContaining([expect.stringContaining('诫勉'), expect.stringContaining('提醒谈话')]));
    // 诫勉 runs six months: the dossier's grade and periods follow.
    await expect(dossier.locator('.periods li').first().textContent()).resolves.toContain('诫勉');
    await expect(dossier.getByTestId('grade').textContent()).resolves.toBe('C');
    await dossier.close();
  });

  test('the analysis counts the quarter as the cards left it; the printable dossier shows a card’s follow-ups', async () => {
    // 熊振 reported his three duties on the card and summed up; 刘政忠 was followed up; nobody is late yet.
    const analysis = await ext.page('analysis.html');
    await analysis.setViewportSize({ width: 1280, height: 1000 });
    const figure = analysis.locator('[data-chart="cards"]');
    await figure.locator('summary').click({ timeout: 60_000 });
    await expect(figure.locator('thead th').allTextContents()).resolves.toEqual([
      '季度',
      '发卡人次',
      '已落实',
      '待落实',
      '已逾期',
      '已总结',
      '逾期未签收',
      '逾期未总结',
      '跟进处理',
    ]);
    const row = figure.locator('tbody tr', { has: analysis.locator('th', { hasText: quarter }) });
    // A cell with people behind it also holds their description for screen readers: the number comes first.
    const figures = async () =>
      (await row.locator('td').allTextContents()).map((s) => Number(/^\s*([\d,]+)/.exec(s)?.[1]?.replace(/,/g, '')));
    await expect.poll(figures, { timeout: 30_000 }).toEqual([3, 3, 6, 0, 1, 0, 0, 1]);
    await row.locator('td').nth(1).getByRole('button').click();
    await expect
      .poll(() => analysis.getByTestId('drill-list').locator('li').allTextContents())
      .toEqual([expect.stringContaining('熊振')]);
    await expectAccessible(analysis, 'analysis: the quarter’s cards');
    await analysis.close();

    const sheet = await ext.page('dossier.html#cadre/C4');
    const cards = sheet.locator('[data-section="cards"] tbody tr');
    await expect.poll(() => cards.count(), { timeout: 60_000 }).toBe(1);
    await expect(cards.textContent()).resolves.toMatch(/提醒谈话.*诫勉谈话 · 诫勉（澜纪诫〔2026〕7号）/);
    await expect(sheet.getByTestId('dossier-sheet').textContent()).resolves.not.toContain(`card-${quarter}`);
    await sheet.close();
  });

  test('the printed card: A5 or A4, Word, and a QR code that opens this card’s page', async () => {
    await openCard('熊振');
    const cardUrl = page.url();
    const qr = page.getByTestId('card-qr');
    await expect(qr.getAttribute('data-url')).resolves.toBe(cardUrl);
    // The image is the QR code of that address (drawn by the same library from the URL alone).
    const svg = await QRCode.toString(cardUrl, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
    await expect(qr.getAttribute('src')).resolves.toBe(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);

    await page.emulateMedia({ media: 'print' });
    await expect(page.getByTestId('card-detail').isVisible()).resolves.toBe(false);
    await expect(page.locator('nav').first().isVisible()).resolves.toBe(false);
    await expect(page.getByTestId('printed-card').isVisible()).resolves.toBe(true);
    await page.emulateMedia({ media: 'screen' });

    await page.locator('#print-size').selectOption('A4');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '下载 Word 提醒卡' }).click(),
    ]);
    const { value: text } = await mammoth.extractRawText({ buffer: await readFile(await download.path()) });
    for (const expected of [
      '中共澜江市委',
      '党风廉政建设主体责任提醒卡',
      '熊振同志（澄溪区青石镇党委书记）：',
      '1．巡察整改：落实巡察反馈问题整改',
      '扫描二维码进入电子版',
    ])
      expect(text).toContain(expected);

    const other = await ext.context.newPage();
    await other.goto(cardUrl);
    await expect
      .poll(() => other.getByTestId('card-detail').getAttribute('data-card-stage'), { timeout: 30_000 })
      .toBe('summarised');
    await other.setViewportSize({ width: 320, height: 800 });
    await expect(other.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(320);
    await other.close();
  });

  test('the quarterly report counts as the article does, by quarter and by unit, on screen and in Word', async () => {
    await page.goto(`chrome-extension://${ext.extensionId}/cards.html#report`);
    const current = page.locator(`[data-testid=report-by-quarter] tr[data-quarter="${quarter}"]`);
    const count = (field: string) => current.locator(`[data-count=${field}]`).textContent();
    await expect.poll(() => count('cards'), { timeout: 20_000 }).toBe('3');
    await expect(count('items')).resolves.toBe('9');
    await expect(count('summarised')).resolves.toBe('1');
    await expect(count('reminderTalks')).resolves.toBe('1');
    await expect(count('admonishments')).resolves.toBe('1');
    await expect(count('accountability')).resolves.toBe('0');
    const forestry = page.locator('[data-testid=report-by-unit] tr[data-unit=ZF09]');
    await expect(forestry.locator('th').textContent()).resolves.toBe('澜江市林业局');
    await expect(forestry.locator('[data-count=admonishments]').textContent()).resolves.toBe('1');
    await expectAccessible(page, 'quarterly report');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '下载 Word 报告' }).click(),
    ]);
    const { value: text } = await mammoth.extractRawText({ buffer: await readFile(await download.path()) });
    expect(text).toContain(`${today.slice(0, 4)}年度党风廉政建设主体责任提醒卡落实情况报告`);
    expect(text).toContain('发卡人次');
    expect(text).toContain('澜江市林业局');
    await saveScreenshot(page, 'cards-report');
  });
});
