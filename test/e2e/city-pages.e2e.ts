import mammoth from 'mammoth';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { today } from '../../core/dates.ts';
import type { DemoCity } from '../../core/demo/index.ts';
import { QUERIES_DOC } from '../../core/doc/names.ts';
import { sharedQueries } from '../../core/doc/queries-doc.ts';
import { expectAccessible } from './support/axe.ts';
import { demoCityServer } from './support/demo-city.ts';
import { nodeWorkspace } from './support/seed.ts';
import {
  enrol,
  launchExtension,
  saveScreenshot,
  unitEditorToken,
  viewerToken,
  type ExtensionBrowser,
  type TestServer,
} from './support/index.ts';

/**
 * The city-wide pages over the demo city (98 units, 1,072 cadres, loaded through the import as
 * `npm start` loads it): a search that finds exactly the cadres it describes, shared and
 * exported; the analysis page's charts drilling down to people and its Word report; one cadre's
 * printable dossier as a print view and as Word. What each test expects is computed from the
 * generated city directly, not through the code under test.
 */

const docxText = async (path: string) => (await mammoth.extractRawText({ buffer: await readFile(path) })).value;
/** The document is no wider than the window: nothing scrolls sideways (WCAG 1.4.10). */
const scrollWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

describe('city-wide pages (干部查询 · 分析研判 · 廉政档案)', () => {
  let server: TestServer;
  let ext: ExtensionBrowser;
  let city: DemoCity;

  beforeAll(async () => {
    ({ server, city } = await demoCityServer());
    ext = await launchExtension();
    await enrol(ext, server.url, unitEditorToken(server, 'li', '李审查'));
  }, 240_000);
  afterAll(async () => {
    await ext?.close();
    await server?.close();
  });

  test(
    'search: a filter finds exactly the cadres it describes; the query is shared and exported',
    { timeout: 240_000 },
    async () => {
      const page = await ext.page('search.html');
      await page.setViewportSize({ width: 1280, height: 900 });
      const count = page.getByTestId('search-count');
      await expect.poll(() => count.textContent(), { timeout: 120_000 }).toBe('找到 1,072 人（共 1,072 人）');
      await expectAccessible(page, 'search: every cadre');

      // Townships' cadres with a black dot, from the generated city itself.
      const townships = new Set(city.units.filter((u) => u.kind === 'township').map((u) => u.code));
      const black = new Set(
        city.records
          .filter((r) => r.colour === 'black' && r.subject.type === 'cadre' && r.decisionDate <= today())
          .map((r) => r.subject.id),
      );
      const expected = city.cadres
        .filter((c) => townships.has(c.unitCode) && black.has(c.id))
        .map((c) => c.id)
        .sort();
      expect(expected.length).toBeGreaterThan(0);

      await page.getByRole('checkbox', { name: /黑点/ }).check();
      await page.getByText('更多条件').click();
      await page.getByRole('group', { name: '单位类别' }).getByRole('checkbox', { name: '乡镇街道' }).check();
      await expect.poll(() => count.textContent()).toBe(`找到 ${expected.length} 人（共 1,072 人）`);
      const found = await page
        .locator('table.results tbody tr')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-cadre')!).sort());
      expect(found).toEqual(expected);
      // Each row: the badge with its black dot, the name linked to the dossier.
      const first = page.locator('table.results tbody tr').first();
      await expect(first.locator('.badge').textContent()).resolves.toMatch(/黑点\d/);
      await expect(first.getByRole('link').first().getAttribute('href')).resolves.toMatch(/^\/sidepanel\.html#cadre\//);
      expect(decodeURIComponent(new URL(page.url()).hash)).toContain('"unitKinds":["township"]');
      await expectAccessible(page, 'search: results, more conditions open');

      // Saved for colleagues: another officer's client reads it from the shared document.
      await page.getByLabel('将当前查询保存为').fill('乡镇有黑点的干部');
      await page.getByRole('button', { name: '保存并共享' }).click();
      await expect.poll(() => page.getByTestId('saved-queries').textContent()).toContain('乡镇有黑点的干部');
      const colleague = await nodeWorkspace(server.url, viewerToken(server, 'wang', '王审查'));
      try {
        const synced = await colleague.doc(QUERIES_DOC, 'queries');
        await synced.whenSynced();
        const saved = sharedQueries(synced.doc).active();
        expect(saved.map((q) => [q.name, q.byName, q.query.unitKinds, q.query.colours])).toEqual([
          ['乡镇有黑点的干部', '李审查', ['township'], ['black']],
        ]);
      } finally {
        await colleague.close();
      }

      // For the organisation department: CSV with one line per cadre found.
      const [csv] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: '导出 CSV' }).click(),
      ]);
      const lines = (await readFile((await csv.path())!, 'utf8'))
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
      expect(lines[0]).toMatch(/^干部编号,姓名,单位,职务,职级,等次/);
      expect(
        lines
          .slice(1)
          .map((l) => l.split(',')[0])
          .sort(),
      ).toEqual(expected);
      await saveScreenshot(page, 'search-page');

      // Pinyin: the initials of a name nobody else in the city shares find that person.
      const names = new Map<string, number>();
      for (const c of city.cadres) names.set(c.name, (names.get(c.name) ?? 0) + 1);
      await page.getByRole('button', { name: '清除条件' }).click();
      await page.getByLabel('姓名、拼音、干部编号或单位').fill('LJ0113');
      await expect
        .poll(() =>
          page.locator('table.results tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-cadre'))),
        )
        .toEqual(['LJ0113']);
      await page.getByLabel('姓名、拼音、干部编号或单位').fill('qqqqxyz');
      await expect.poll(() => page.getByText('没有符合条件的干部。').isVisible()).toBe(true);
      await expectAccessible(page, 'search: no results');

      await page.setViewportSize({ width: 320, height: 800 });
      await expect.poll(() => scrollWidth(page)).toBeLessThanOrEqual(320);
      await page.close();
    },
  );

  test(
    'analysis: the city page renders its charts, each drills down to the people; the report downloads as Word',
    { timeout: 240_000 },
    async () => {
      const page = await ext.page('analysis.html');
      await page.setViewportSize({ width: 1280, height: 1000 });
      const summary = page.getByTestId('analysis-summary');
      await expect.poll(() => summary.textContent(), { timeout: 120_000 }).toContain('98 个单位，1,072 名干部');
      for (const id of ['grades', 'grades-by-unit', 'risk', 'dots-by-year', 'kinds', 'items', 'clues', 'cards']) {
        await expect
          .poll(() => page.locator(`[data-testid="chart-${id}"] svg path`).count(), { timeout: 30_000 })
          .toBeGreaterThan(3);
      }
      await expectAccessible(page, 'analysis: city charts');

      // A click on a bar: the grade chart's tallest bar lists exactly that many people.
      const bars = await page.locator('[data-testid="chart-grades"] svg path').evaluateAll((paths) =>
        paths
          .map((p) => ({ box: p.getBoundingClientRect(), fill: p.getAttribute('fill') ?? '' }))
          .filter((p) => p.fill.toLowerCase() === '#1a7f37' && p.box.height > 4 && p.box.width > 4)
          .map((p) => ({ x: p.box.x + p.box.width / 2, y: p.box.y + p.box.height / 2, h: p.box.height })),
      );
      const tallest = bars.sort((a, b) => b.h - a.h)[0]!;
      await page.mouse.click(tallest.x, tallest.y);
      const drill = page.getByTestId('drill-list');
      await drill.waitFor();
      const heading = (await drill.locator('h2').textContent())!;
      const n = Number(/（(\d[\d,]*)）$/.exec(heading)![1]!.replace(/,/g, ''));
      expect(heading).toMatch(/^名单：等次分布 · [A-D]（/);
      await expect(drill.locator('li').count()).resolves.toBe(Math.min(n, 200));
      await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('drill-h');
      await expectAccessible(page, 'analysis: drill-down list');

      // The same by keyboard, from the data table: the unit at the top of the risk ranking.
      const risk = page.locator('[data-chart="risk"]');
      await risk.getByText('数据表').click();
      const warnedCell = risk.locator('table tbody tr').first().locator('td').nth(1);
      const warned = Number(await warnedCell.textContent());
      if (warned > 0) {
        await warnedCell.getByRole('button').click();
        await expect.poll(() => drill.locator('li').count()).toBe(warned);
      }
      await expectAccessible(page, 'analysis: data table open');
      await drill.getByRole('button', { name: '关闭名单' }).click();
      await saveScreenshot(page, 'analysis-page', { fullPage: false });

      // A region's picture is a smaller one.
      await page.getByLabel('分析范围', { exact: true }).selectOption({ label: '澄溪区' });
      await expect.poll(() => summary.textContent()).not.toContain('98 个单位');

      await page.getByLabel('分析范围', { exact: true }).selectOption('city');
      const [report] = await Promise.all([
        page.waitForEvent('download', { timeout: 120_000 }),
        page.getByRole('button', { name: '下载分析研判报告（Word）' }).click(),
      ]);
      const text = await docxText((await report.path())!);
      for (const section of [
        '全市政治生态分析研判报告',
        '一、总体情况',
        '二、等次分布',
        '四、单位风险排名（每百名干部）',
        '红黄蓝黑点（按年度）',
        '负面清单事项（按频次）',
        '问题线索处置阶段及逾期',
        '主体责任提醒卡落实情况（按季度）',
        '预警人员名单',
      ]) {
        expect(text).toContain(section);
      }
      expect(text).toContain('共98个单位、1,072名干部');
      // The charts travel as images.
      const zip = (await import('jszip')).default;
      const files = Object.keys((await zip.loadAsync(await readFile((await report.path())!))).files);
      expect(files.filter((f) => f.startsWith('word/media/')).length).toBeGreaterThanOrEqual(8);

      await page.setViewportSize({ width: 320, height: 800 });
      await expect.poll(() => scrollWidth(page)).toBeLessThanOrEqual(320);
      await page.close();
    },
  );

  test(
    "a cadre's printable dossier: the sections such files have, the printer's watermark, as Word",
    { timeout: 180_000 },
    async () => {
      const black = city.records.find((r) => r.colour === 'black' && r.docNumber && r.subject.type === 'cadre')!;
      const cadre = city.cadres.find((c) => c.id === black.subject.id)!;
      const page = await ext.page(`dossier.html#cadre/${cadre.id}`);
      await page.setViewportSize({ width: 1100, height: 1000 });
      const sheet = page.getByTestId('dossier-sheet');
      await sheet.waitFor({ timeout: 120_000 });
      await expect(sheet.locator('h2').textContent()).resolves.toBe(`${cadre.name}同志廉政档案`);
      for (const h of ['基本信息', '预警', '影响期', '负面清单事项', '问题线索'])
        await expect(sheet.getByRole('heading', { name: h, exact: true }).count()).resolves.toBe(1);
      await expect(sheet.locator('[data-section="records-black"] table').textContent()).resolves.toContain(
        black.docNumber!,
      );
      await expect(page.getByTestId('print-stamp').textContent()).resolves.toMatch(/^李审查 打印于 .+ · 仅供工作使用$/);
      // No internal record ids anywhere a person reads.
      await expect(sheet.textContent()).resolves.not.toMatch(/\b(rec|r|imp|flag)-[0-9a-z]{6,}/);
      await expectAccessible(page, 'dossier sheet');
      await page.emulateMedia({ media: 'print' });
      await expect(page.locator('nav').isVisible()).resolves.toBe(false);
      await expect(page.getByRole('button', { name: '打印' }).isVisible()).resolves.toBe(false);
      await page.emulateMedia({ media: 'screen' });
      await saveScreenshot(page, 'dossier-page');
      await page.setViewportSize({ width: 320, height: 800 });
      await expect.poll(() => scrollWidth(page)).toBeLessThanOrEqual(320);
      await page.setViewportSize({ width: 1100, height: 1000 });

      const [word] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: '下载 Word' }).click(),
      ]);
      const text = await docxText((await word.path())!);
      for (const s of [
        `${cadre.name}同志廉政档案`,
        '基本信息',
        `等次：`,
        '■ 黑点',
        black.docNumber!,
        '负面清单事项',
        '问题线索',
      ])
        expect(text).toContain(s);

      // Someone outside the user's scope (or not synced yet) is said so, not shown as an empty sheet.
      await page.goto(page.url().replace(/#.*$/, '#cadre/NOBODY'));
      await expect
        .poll(() => page.getByRole('alert').textContent(), { timeout: 60_000 })
        .toContain('您的查看范围内没有这名干部');
      await expectAccessible(page, 'dossier sheet: not in scope');
      // The watermark: the printer and the time on every page (the header, with the tiled image behind the text).
      const zip = await (await import('jszip')).default.loadAsync(await readFile((await word.path())!));
      const headers = await Promise.all(
        Object.keys(zip.files)
          .filter((f) => /^word\/header\d*\.xml$/.test(f))
          .map((f) => zip.file(f)!.async('string')),
      );
      expect(headers.join('')).toMatch(/李审查 打印于 .+ · 仅供工作使用/);
      expect(headers.join('')).toContain('behindDoc="1"');
      await page.close();
    },
  );
});
