import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_COMMISSION } from '../../core/model/workflow-config.ts';
import { cadre } from '../../core/doc/test/fixtures.ts';
import { expectAccessible } from './support/axe.ts';
import {
  enrol,
  launchExtension,
  saveScreenshot,
  seededServer,
  unitEditorToken,
  type ExtensionBrowser,
  type TestServer,
} from './support/index.ts';

/**
 * The seed article's canteen case played through the clue board (看点3): "一条反映市直某局食堂管理
 * 存在问题的线索进入系统。系统显示该单位出现一个黄点，市纪委监委第四监督检查室随即交办给驻市委政法委
 * 纪检监察组……向该局发出了监察建议书……2019年12月，该局书面汇报了整改落实情况". Each step is taken
 * on the board by an officer whose writes the server attributes; the unit's dossier (the side panel)
 * shows each effect as it happens.
 */
describe('problem clues: the canteen case, stage by stage', () => {
  let server: TestServer;
  let ext: ExtensionBrowser;
  let board: Page;
  let dossier: Page;

  beforeAll(async () => {
    ({ server } = await seededServer({
      units: [
        { code: 'ZF08', name: '澜江市司法局', aliases: ['市司法局'], kind: 'government' },
        { code: 'ZF09', name: '澜江市财政局', aliases: [], kind: 'government' },
      ],
      cadres: [cadre('LJ0101', { name: '周建国', birth: '1970-03', unitCode: 'ZF08' })],
      // An imported clue from before clues had steps: it stands where its file put it.
      clues: [
        {
          id: 'XS2019-007',
          subject: { type: 'cadre', id: 'LJ0101' },
          summary: '反映其违规接受宴请',
          received: '2019-09-02',
          source: '信访举报',
          stage: 'inquiry',
          assignee: '第一监督检查室',
        },
      ],
      config: {
        commission: {
          ...DEFAULT_COMMISSION,
          name: '中共澜江市纪律检查委员会',
          handlers: [
            ...DEFAULT_COMMISSION.handlers,
            { id: 'group-zfw', kind: 'stationed-group', name: '驻市委政法委纪检监察组' },
          ],
        },
      },
    }));
    ext = await launchExtension();
    // 第四监督检查室's officer: writes the unit dossiers, reads the workspace.
    await enrol(ext, server.url, unitEditorToken(server, 'li', '李明'));
    board = await ext.page('clues.html');
    await board.setViewportSize({ width: 1280, height: 900 });
    dossier = await ext.page('sidepanel.html#unit/ZF08');
  });
  afterAll(async () => {
    await ext?.close();
    await server?.close();
  });

  const detail = () => board.getByTestId('clue-detail');
  const yellowDots = () => dossier.locator('.dots .dot.yellow').textContent();

  async function step(stage: string, fields: Record<string, string> = {}) {
    await board.locator('#cs-stage').selectOption({ label: stage });
    for (const [id, value] of Object.entries(fields)) await board.locator(`#${id}`).fill(value);
    const before = await detail().locator('[data-testid=clue-steps] > li').count();
    await board.getByRole('button', { name: '保存办理环节' }).click();
    await expect.poll(() => detail().locator('[data-testid=clue-steps] > li').count()).toBe(before + 1);
  }

  test('the board lists every clue in scope with its stage; an imported one keeps the stage its file gave', async () => {
    await expect
      .poll(() => board.getByTestId('clue-count').textContent(), { timeout: 30_000 })
      .toBe('显示 1 条，共 1 条');
    const row = board.locator('tr[data-clue="XS2019-007"]');
    await expect(row.locator('[data-stage]').textContent()).resolves.toBe('谈话函询');
    await expect(row.textContent()).resolves.toContain('周建国（澜江市司法局）');
    await expectAccessible(board, 'clue board');
    await expect.poll(yellowDots, { timeout: 30_000 }).toContain('黄点 0');
  });

  test('受理: a clue on the bureau’s canteen gives the bureau a yellow dot', async () => {
    await board.getByRole('button', { name: '＋ 受理问题线索' }).click();
    await board.locator('#cr-unit').selectOption({ label: '澜江市司法局' });
    await board.locator('#cr-received').fill('2019-10-08');
    await board.getByRole('button', { name: '受理登记', exact: true }).click();
    // Nothing is written while anything is wrong, and each message sits under its field.
    await expect.poll(() => board.locator('#cr-summary-err').textContent()).toBe('摘要：不能为空');
    await expectAccessible(board, 'register form with errors');
    await board.locator('#cr-source').fill('信访举报');
    await board.locator('#cr-summary').fill('反映市直某局食堂管理存在问题');
    await board.locator('#cr-docTitle').fill('问题线索登记表');
    await board.getByRole('button', { name: '受理登记', exact: true }).click();
    await expect.poll(() => detail().getAttribute('data-stage'), { timeout: 10_000 }).toBe('received');
    await expect(detail().getByTestId('clue-dot').textContent()).resolves.toBe('2019年10月8日 记黄点（问题线索）');
    // The dossier shows the dot as it happens.
    await expect.poll(yellowDots, { timeout: 15_000 }).toContain('黄点 1');
    await expect(dossier.locator('#clues-h + ul').textContent()).resolves.toContain('受理');
    // Who registered it is the server's word (the clientID the write came under), once stored.
    await expect
      .poll(() => detail().locator('[data-step=received] [data-author]').getAttribute('data-author'), {
        timeout: 15_000,
      })
      .toBe('li');
  });

  test('交办 to the stationed group, 初步核实, then a 监察建议书 due in 30 days: the dot carries the deadline', async () => {
    // A disposal cannot come before the clue is assigned: only 交办 is offered.
    await expect(board.locator('#cs-stage option').allTextContents()).resolves.toEqual(['请选择', '交办']);
    await board.locator('#cs-stage').selectOption({ label: '交办' });
    await board.locator('#cs-on').fill('2019-10-10');
    await board.locator('#cs-assignee').fill('驻市委政法委纪检监察组');
    await board.locator('#cs-assignee').dispatchEvent('change');
    await expect(board.locator('#cs-kind').inputValue()).resolves.toBe('stationed-group');
    await board.locator('#cs-docNumber').fill('澜纪交〔2019〕8号');
    await board.getByRole('button', { name: '保存办理环节' }).click();
    await expect.poll(() => detail().getByTestId('clue-assignee').textContent()).toBe('驻市委政法委纪检监察组');
    await expect.poll(() => dossier.locator('#clues-h + ul').textContent()).toContain('驻市委政法委纪检监察组');

    await step('初步核实', { 'cs-on': '2019-10-20' });
    await expect.poll(() => dossier.locator('#clues-h + ul').textContent()).toContain('初步核实');

    await board.locator('#cs-stage').selectOption({ label: '监察建议书' });
    await board.locator('#cs-on').fill('2019-11-05');
    await board.getByRole('button', { name: '保存办理环节' }).click();
    await expect.poll(() => board.locator('#cs-due-err').textContent()).toBe('办结期限：监察建议书须写明整改期限');
    await expectAccessible(board, 'step form with an error');
    await board.getByRole('button', { name: '自办理日期起 30 日' }).click();
    await expect(board.locator('#cs-due').inputValue()).resolves.toBe('2019-12-05');
    await board.locator('#cs-docNumber').fill('驻政法委纪建〔2019〕2号');
    await board.getByRole('button', { name: '保存办理环节' }).click();
    await expect.poll(() => detail().getAttribute('data-stage')).toBe('recommendation');
    await expect(detail().getByTestId('clue-deadline').textContent()).resolves.toContain('2019年12月5日');
    // Past that day with no report: overdue on the board, and a warning on the unit's dossier.
    await expect(detail().getByTestId('clue-deadline').textContent()).resolves.toContain('已逾期');
    await expect
      .poll(() => dossier.locator('.warning').allTextContents())
      .toEqual(expect.arrayContaining([expect.stringContaining('整改期限2019年12月5日已过')]));
    await expect(detail().getByTestId('clue-dot').textContent()).resolves.toContain('整改期限 2019年12月5日');
    // The dossier says the same as the board: the rectification deadline, overdue.
    await expect
      .poll(() => dossier.locator('#clues-h + ul').textContent())
      .toContain('整改期限 2019年12月5日 ⚠ 已逾期');
  });

  test('整改报告 received, then 办结: the warning lifts, every step is dated, documented and attributed', async () => {
    await step('整改报告', {
      'cs-on': '2019-12-03',
      'cs-note': '制定了食堂管理制度；定点采购每月一结账，公对公付款；食堂账目单独建账，每月公开',
    });
    await expect
      .poll(() => dossier.locator('.warning').allTextContents())
      .not.toEqual(expect.arrayContaining([expect.stringContaining('整改期限')]));
    await expect(detail().getByTestId('clue-dot').textContent()).resolves.toContain('2019年12月3日 报送整改报告');
    await expect
      .poll(() => dossier.locator('#clues-h + ul').textContent())
      .toContain('整改期限 2019年12月5日 ✓ 已按期办理');
    await step('办结', { 'cs-on': '2019-12-20' });
    await expect.poll(() => detail().getAttribute('data-stage')).toBe('closed');
    await expect(board.getByTestId('clue-step-form').count()).resolves.toBe(0);
    const steps = detail().locator('[data-testid=clue-steps] > li');
    await expect(steps.locator('strong').allTextContents()).resolves.toEqual([
      '受理',
      '交办',
      '初步核实',
      '监察建议书',
      '整改报告',
      '办结',
    ]);
    await expect(steps.nth(1).textContent()).resolves.toContain('问题线索交办单（澜纪交〔2019〕8号）');
    await expect(steps.nth(3).textContent()).resolves.toContain('监察建议书（驻政法委纪建〔2019〕2号）');
    await expect.poll(() => detail().locator('[data-author=li]').count(), { timeout: 15_000 }).toBe(6);
    // Closed after its 整改报告: 办结, as the board names it.
    await expect.poll(() => dossier.locator('#clues-h + ul').textContent()).toContain('阶段：办结');
    // The dot stays: a unit's problem clue is a yellow dot on the record.
    await expect(yellowDots()).resolves.toContain('黄点 1');
    await expectAccessible(board, 'closed clue');
    await saveScreenshot(board, 'clues-page');
  });

  test('from the clue to its subject’s dossier and back', async () => {
    const href = await detail().getByTestId('dossier-link').getAttribute('href');
    expect(href).toBe(`chrome-extension://${ext.extensionId}/sidepanel.html#unit/ZF08`);
    const back = await dossier.locator('[data-testid=clue-board-link]').first().getAttribute('href');
    const page = await ext.context.newPage();
    await page.goto(back!);
    await expect
      .poll(() => page.getByTestId('clue-detail').locator('h2').textContent(), { timeout: 30_000 })
      .toBe('反映市直某局食堂管理存在问题');
    await page.close();
    // The board filters by stage, unit, assignee and deadline.
    await board.locator('a', { hasText: '返回线索台账' }).click();
    await board.locator('#f-stage').selectOption('all');
    await expect.poll(() => board.getByTestId('clue-count').textContent()).toBe('显示 2 条，共 2 条');
    await board.locator('#f-assignee').selectOption('驻市委政法委纪检监察组');
    await expect.poll(() => board.locator('tbody tr').count()).toBe(1);
    await board.locator('#f-assignee').selectOption('');
    await board.locator('#f-stage').selectOption('open');
    await expect.poll(() => board.locator('tbody tr').count()).toBe(1);
    await board.setViewportSize({ width: 320, height: 800 });
    await expect(board.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(320);
    await expectAccessible(board, 'board at 320 px');
    await board.setViewportSize({ width: 1280, height: 900 });
  });
});
