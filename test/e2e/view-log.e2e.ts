import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../../sync-server/cli.ts';
import { expectAccessible } from './support/axe.ts';
import {
  enrol,
  launchExtension,
  saveScreenshot,
  seededServer,
  viewerToken,
  type ExtensionBrowser,
  type TestServer,
} from './support/index.ts';

/**
 * 查阅留痕 end to end: an officer opens a dossier in the side panel while the server is down, closes
 * the panel and even the browser; once the server is back the view reaches it from the device's
 * queue, and the administrator finds it (right user, subject and view) with the CLI, over HTTP and
 * on the 查阅记录 page.
 */
describe('view log', () => {
  let server: TestServer;
  let profile: string;
  let officer: ExtensionBrowser | undefined;
  let admin: ExtensionBrowser | undefined;

  beforeAll(async () => {
    ({ server } = await seededServer());
    profile = mkdtempSync(join(tmpdir(), 'dl-profile-viewlog-'));
  });
  afterAll(async () => {
    await officer?.close();
    await admin?.close();
    await server?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  // Each launch loads its own copy of the build; a manifest key keeps the extension's id (and so its
  // IndexedDB and settings in the profile) the same across the restart, as an installed one's is.
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 })
    .publicKey.export({ type: 'spki', format: 'der' })
    .toString('base64');
  const sameExtension = { userDataDir: '', patch: { manifest: (m: Record<string, unknown>) => void (m.key = key) } };
  const wangLi = () => viewerToken(server, 'wang', '王丽');
  const connection = (p: Page) => p.getByTestId('status-line').getAttribute('data-connection');
  /** Entries waiting in the device's queue (core/sync/view-queue.ts), read from an extension page. */
  const queued = (p: Page) =>
    p.evaluate(
      () =>
        new Promise<{ subject: { id: string }; view: string; user: string }[]>((resolve, reject) => {
          const req = indexedDB.open('dossierlens-view-log', 1);
          req.onupgradeneeded = () => req.result.createObjectStore('queue', { keyPath: 'id' });
          req.onerror = () => reject(req.error);
          req.onsuccess = () => {
            const all = req.result.transaction('queue').objectStore('queue').getAll();
            all.onsuccess = () => {
              req.result.close();
              resolve(all.result);
            };
          };
        }),
    );
  async function cliViews(
    ...args: string[]
  ): Promise<{ user: string; name: string; subject: { id: string }; view: string }[]> {
    const lines: string[] = [];
    await runCli(['views', '--data', server.dataDir, ...args, '--json'], { out: (line) => lines.push(line) });
    return JSON.parse(lines[0] ?? '[]');
  }

  test('a dossier opened offline is logged once the server is back, under the user who opened it', async () => {
    officer = await launchExtension({ ...sameExtension, userDataDir: profile });
    await enrol(officer, server.url, wangLi());
    // Online first, so the unit's documents are on the device.
    const first = await officer.page('sidepanel.html#cadre/C001');
    await expect.poll(() => first.locator('[data-record-id]').count(), { timeout: 30_000 }).toBe(3);
    await expect.poll(() => connection(first), { timeout: 20_000 }).toBe('online');
    await expect
      .poll(() => cliViews('--subject', 'C001'), { timeout: 20_000 })
      .toEqual([expect.objectContaining({ user: 'wang', view: 'sidepanel' })]);
    await first.close();

    await server.stop();
    const offline = await officer.page('sidepanel.html#cadre/C002');
    await expect.poll(() => offline.locator('#dossier-name').textContent(), { timeout: 30_000 }).toContain('欧阳芳');
    await expect.poll(() => connection(offline), { timeout: 20_000 }).toBe('offline');
    // Queued, and sealed like everything kept on the device (README "Encrypted at rest"): an id
    // and ciphertext, no subject, view or user readable.
    await expect
      .poll(() => queued(offline), { timeout: 10_000 })
      .toEqual([{ id: expect.any(String), sealed: expect.anything() }]);
    await offline.close();
    // The browser goes too; the queue is on disk in the profile.
    await officer.close();
    officer = await launchExtension({ ...sameExtension, userDataDir: profile });
    const options = await officer.page('options.html');
    expect(await queued(options)).toHaveLength(1);
    expect(await cliViews('--subject', 'C002')).toEqual([]);

    await server.restart();
    await expect
      .poll(() => cliViews('--subject', 'C002'), { timeout: 90_000, interval: 1000 })
      .toEqual([
        expect.objectContaining({
          user: 'wang',
          name: '王丽',
          subject: { type: 'cadre', id: 'C002' },
          view: 'sidepanel',
        }),
      ]);
    await expect.poll(() => queued(options), { timeout: 10_000 }).toEqual([]);
    // The same over HTTP, for an administrator over everything, and for nobody else.
    const adminToken = server.token({ user: 'root', name: '系统管理员', grants: [{ role: 'admin', doc: '*' }] });
    const answer = (await (
      await fetch(`${server.httpUrl}/views?subject=C002`, { headers: { Authorization: `Bearer ${adminToken}` } })
    ).json()) as { views: unknown[] };
    expect(answer.views).toEqual([
      expect.objectContaining({ user: 'wang', subject: { type: 'cadre', id: 'C002' }, unit: 'A01', view: 'sidepanel' }),
    ]);
    expect(
      (await fetch(`${server.httpUrl}/views?subject=C002`, { headers: { Authorization: `Bearer ${wangLi()}` } }))
        .status,
    ).toBe(403);
    await options.close();
  });

  test('the printable dossier, a page of search results, an export and a review are logged too, each as its view', async () => {
    const sheet = await officer!.page('dossier.html#cadre/C001');
    await sheet.getByTestId('dossier-sheet').waitFor({ timeout: 30_000 });
    await expect
      .poll(() => cliViews('--subject', 'C001'), { timeout: 30_000 })
      .toContainEqual(expect.objectContaining({ user: 'wang', view: 'print' }));
    await sheet.close();

    const search = await officer!.page('search.html');
    await expect
      .poll(() => search.getByTestId('search-results').locator('tbody tr').count(), { timeout: 30_000 })
      .toBe(2);
    await search.getByRole('button', { name: '导出 CSV' }).click();
    const logged = async () => (await cliViews('--user', 'wang')).map((e) => `${e.subject.id} ${e.view}`).sort();
    await expect
      .poll(logged, { timeout: 30_000 })
      .toEqual([
        'C001 export',
        'C001 print',
        'C001 search',
        'C001 sidepanel',
        'C002 export',
        'C002 search',
        'C002 sidepanel',
      ]);
    await search.close();

    // An integrity review that finds 张伟 reads his records out: logged as a review.
    const review = await officer!.page('review.html');
    await expect
      .poll(() => review.getByTestId('review-scope').textContent(), { timeout: 30_000 })
      .toContain('1 个单位，2 名干部');
    await review.locator('#rq-letterNo').fill('澜组干函〔2026〕1号');
    await review.locator('#rq-requester').fill('中共澜江市委组织部');
    await review.locator('#rq-purpose').selectOption('promotion');
    await review.locator('#rq-asOf').fill(new Date().toISOString().slice(0, 10));
    await review.locator('#rq-people').fill('张伟');
    await review.getByRole('button', { name: '开始审查' }).click();
    await review.locator('table.results tbody tr').first().waitFor({ timeout: 30_000 });
    await expect
      .poll(() => cliViews('--subject', 'C001'), { timeout: 30_000 })
      .toContainEqual(expect.objectContaining({ user: 'wang', view: 'review' }));
    await review.close();
  });

  test('the 查阅记录 page shows the administrator who viewed a cadre, and tells anyone else it is not theirs', async () => {
    // The officer, not an administrator, is told so on the page.
    const refused = await officer!.page('views.html');
    await refused.getByTestId('views-not-admin').waitFor({ timeout: 30_000 });
    await expectAccessible(refused, 'view log page, not an administrator');
    await refused.close();

    admin = await launchExtension();
    await enrol(
      admin,
      server.url,
      server.token({ user: 'root', name: '系统管理员', grants: [{ role: 'admin', doc: '*' }] }),
    );
    const options = await admin.page('options.html');
    await options.getByTestId('open-view-log').waitFor();
    await options.close();
    const page = await admin.page('views.html');
    await page.setViewportSize({ width: 1100, height: 800 });
    await page.getByLabel('干部姓名').fill('欧阳芳');
    const results = page.getByTestId('views-results');
    // Asked again until this device's copy of the dossiers knows the name (the first sync).
    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: '查询' }).click();
          await results.or(page.getByTestId('views-error')).waitFor();
          return results.locator('tbody tr').count();
        },
        { timeout: 30_000 },
      )
      .toBe(3)
      .catch(async (error: unknown) => {
        await saveScreenshot(page, 'view-log-failed');
        throw new Error(`${String(error)}; the page said: ${await page.locator('main').textContent()}`);
      });
    // The side panel (offline), the search page and the export; newest first.
    const rows = await results.locator('tbody tr').allTextContents();
    for (const row of rows) expect(row).toMatch(/王丽 \(wang\).*欧阳芳 · 市财政局/u);
    expect(await results.locator('tbody tr td:nth-child(4)').allTextContents()).toEqual(['导出', '查询结果', '侧边栏']);
    await expect(results.getByRole('heading').textContent()).resolves.toBe('查阅过 欧阳芳 档案的人');
    await expectAccessible(page, 'view log page, who viewed a cadre');
    await saveScreenshot(page, 'view-log', { fullPage: false });

    // From the user's name to what they viewed: both dossiers, from every view.
    await results.getByRole('button', { name: '王丽' }).first().click();
    await expect
      .poll(() => results.getByRole('heading').textContent(), { timeout: 10_000 })
      .toBe('用户 王丽 查阅过的档案');
    // Newest first: the printable dossier, the search page, the export and the review come after the side panel's two.
    await expect.poll(() => results.locator('tbody tr').count(), { timeout: 10_000 }).toBe(8);
    const views = await results.locator('tbody tr td:nth-child(4)').allTextContents();
    expect(views.slice(-2)).toEqual(['侧边栏', '侧边栏']);
    expect(new Set(views)).toEqual(new Set(['侧边栏', '打印页', '查询结果', '导出', '廉政审查']));
    expect(await results.locator('tbody tr').last().textContent()).toContain('张伟');
    await expectAccessible(page, 'view log page, what a user viewed');
    // Since a day to come: nothing yet.
    await page.getByLabel('起始日期（可选）').fill('2999-01-01');
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByTestId('views-none').waitFor();
    await expectAccessible(page, 'view log page, nothing since that day');
    await page.close();
  });
});
