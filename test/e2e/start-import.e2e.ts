import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import {
  launchExtension,
  ROOT,
  saveScreenshot,
  startTestServer,
  type ExtensionBrowser,
  type TestServer,
} from './support/index.ts';
import { expectAccessible } from './support/axe.ts';
import { nodeWorkspace } from './support/seed.ts';
import { parseExportJson } from '../../core/import/index.ts';

/**
 * The extension's full-tab import page (import.html) against the real server: the departmental
 * fixture files (UTF-8, UTF-8 with BOM, GBK and XLSX — the XLSX read by exceljs inside the
 * extension's CSP) are checked, reported row by row, applied, re-imported as a no-op and undone.
 */

const FIXTURES = join(ROOT, 'test/fixtures/imports');

describe('import page', () => {
  let server: TestServer;
  let ext: ExtensionBrowser;
  let page: Page;
  let token: string;

  beforeAll(async () => {
    server = await startTestServer();
    token = server.token({ user: 'clerk', name: '录入员', grants: [{ role: 'admin', doc: '*' }] });
    ext = await launchExtension();
    const options = await ext.page('options.html');
    await options.getByLabel('服务器地址').fill(server.url);
    await options.getByLabel('访问令牌').fill(token);
    await options.getByRole('button', { name: '连接' }).click();
    await options.getByTestId('whoami-name').getByText('录入员').waitFor({ timeout: 20_000 });
    await options.close();
    page = await ext.page('import.html');
    await page.setViewportSize({ width: 1100, height: 900 });
    await page.getByLabel('选择文件（CSV 或 XLSX）').waitFor({ timeout: 20_000 });
  });
  afterAll(async () => {
    await ext?.close();
    await server?.close();
  });

  async function importFile(file: string, mode: 'all' | 'good'): Promise<string> {
    await page.getByLabel('选择文件（CSV 或 XLSX）').setInputFiles(join(FIXTURES, file));
    await page.getByTestId('import-summary').waitFor({ timeout: 20_000 });
    await page
      .getByLabel(mode === 'all' ? '整批导入：任何一行有问题则全部不导入' : '只导入无问题的行，跳过有问题的行')
      .check();
    await page.getByRole('button', { name: '导入', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('import-outcome').textContent(), { timeout: 20_000 })
      .toMatch(/导入|未导入|一致/);
    return (await page.getByTestId('import-outcome').textContent()) ?? '';
  }

  test('guesses the kind and columns, reports every bad row with line, column and reason', async () => {
    expect(await importFile('units-utf8.csv', 'good')).toContain('单位名录：新增 4');
    await page.getByLabel('选择文件（CSV 或 XLSX）').setInputFiles(join(FIXTURES, 'cadres-utf8-bom.csv'));
    await expect
      .poll(() => page.getByTestId('import-summary').textContent())
      .toBe('共读取 11 行：可导入 4 条，有问题 7 行（将被跳过）');
    expect(await page.locator('#kind').inputValue()).toBe('cadres');
    const rows = await page.getByTestId('import-problems').locator('tbody tr').allTextContents();
    expect(rows[0]).toBe('6姓名*姓名：不能为空');
    expect(rows).toContain('9所在单位单位：不是已知单位（请先导入单位）');
    // All or nothing: refused, nothing written.
    expect(await importFile('cadres-utf8-bom.csv', 'all')).toBe(
      '未导入：有 7 行存在问题。请修正后重试，或选择“只导入无问题的行”。',
    );
    expect(await importFile('cadres-utf8-bom.csv', 'good')).toContain('干部花名册：新增 4');
  });

  test('XLSX is read inside the extension; GBK CSV too; re-import changes nothing', async () => {
    await page.getByLabel('选择文件（CSV 或 XLSX）').setInputFiles(join(FIXTURES, 'records.xlsx'));
    await expect
      .poll(() => page.getByTestId('import-summary').textContent(), { timeout: 20_000 })
      .toBe('共读取 15 行：可导入 5 条，有问题 10 行（将被跳过）');
    // The title line above the header was recognised as such.
    expect(await page.getByLabel('表头行').locator('option:checked').textContent()).toMatch(
      /^第 2 行：干部编号 \| 姓名/,
    );
    expect(await importFile('records-gbk.csv', 'good')).toContain('红蓝黄黑点记录：新增 5');
    await saveScreenshot(page, 'import-page');
    expect(await importFile('records-gbk.csv', 'good')).toBe('文件内容与现有档案一致，没有新增或更新。');
  });

  test("exports one cadre's dossier as JSON that parses back", async () => {
    await page.getByLabel('只导出一名干部的档案（干部编号，可选）').fill('C002');
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '导出 JSON（可完整导回）' }).click(),
    ]);
    expect(file.suggestedFilename()).toMatch(/^dossiers-C002-\d{4}-\d{2}-\d{2}\.json$/);
    const parsed = parseExportJson(readFileSync((await file.path())!, 'utf8'));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    expect(parsed.value.cadres.map((c) => c.id)).toEqual(['C002']);
    expect(parsed.value.records.map((r) => r.kind).sort()).toEqual(['admonishment', 'gov-demerit']);
    await page.getByLabel('只导出一名干部的档案（干部编号，可选）').fill('');
  });

  test('undo says what it will change and asks for its own reason before anything happens; then withdraws the import everywhere', async () => {
    const history = page.getByTestId('import-history');
    const row = history.locator('tbody tr', { hasText: 'records-gbk.csv' }).filter({ hasText: '新增 5' });
    await row.getByRole('button', { name: /^撤销导入“records-gbk\.csv”/ }).click();

    // Nothing is undone by the click: the confirmation states the effect, per kind and unit.
    const confirm = page.getByTestId('undo-confirm');
    await confirm.waitFor();
    expect(await confirm.getByRole('heading').textContent()).toBe('撤销导入“records-gbk.csv”');
    expect(await page.getByTestId('undo-effects').locator('li').allTextContents()).toEqual([
      '撤回 5 条记录（标为已撤销，不删除）',
    ]);
    expect(await page.getByTestId('undo-units').textContent()).toMatch(/^涉及 \d+ 个单位：/);
    expect(await history.locator('tbody tr.undone', { hasText: 'records-gbk.csv' }).count()).toBe(0);
    await expectAccessible(page, 'import: undo confirmation open');
    await saveScreenshot(page, 'import-undo-confirm');

    // Its own reason, required.
    await confirm.getByRole('button', { name: '确认撤销此次导入' }).click();
    expect(await confirm.locator('.field-error').textContent()).toBe('请填写撤销理由。');
    expect(await history.locator('tbody tr.undone', { hasText: 'records-gbk.csv' }).count()).toBe(0);
    await expectAccessible(page, 'import: undo confirmation with an error');
    await confirm.getByLabel('撤销理由（必填）').fill('重复报送');
    await confirm.getByRole('button', { name: '确认撤销此次导入' }).click();
    // The row now says who undid it and why, struck through; the re-import (nothing new) stays.
    await expect
      .poll(() => history.locator('tbody tr.undone', { hasText: 'records-gbk.csv' }).textContent())
      .toContain('重复报送');
    expect(await page.getByTestId('undo-outcome').textContent()).toBe('已撤销导入“records-gbk.csv”（重复报送）。');

    const ws = await nodeWorkspace(server.url, token);
    try {
      const end = Date.now() + 20_000;
      const revoked = async () => {
        await ws.openUnits();
        const all = await Promise.all(
          ['U01', 'U02', 'U03', 'U04'].map(async (c) => (await ws.unit(c)).dossiers.records.list()),
        );
        return all.flat().filter((e) => e.ok && e.value.status === 'revoked' && e.value.revoked?.reason === '重复报送')
          .length;
      };
      while ((await revoked()) < 5 && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
      expect(await revoked()).toBe(5);
    } finally {
      await ws.close();
    }
  });
});
