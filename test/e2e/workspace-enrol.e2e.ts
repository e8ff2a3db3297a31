import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  extensionStorage,
  indexedDbNames,
  launchExtension,
  saveScreenshot,
  startTestServer,
  type ExtensionBrowser,
  type TestServer,
} from './support/index.ts';

/** Enrolment from the options page against the real server: the token decides who you are. */
describe('options page: enrolment', () => {
  let server: TestServer;
  let ext: ExtensionBrowser;

  beforeAll(async () => {
    server = await startTestServer();
    ext = await launchExtension();
  });
  afterAll(async () => {
    await ext?.close();
    await server?.close();
  });

  test('a refused token is reported under the token field and nothing is saved', async () => {
    const page = await ext.page('options.html');
    await page.getByLabel('服务器地址').fill(server.url);
    await page.getByLabel('访问令牌').fill('dl1.forged.token');
    await page.getByRole('button', { name: '连接' }).click();
    await expect.poll(() => page.locator('#token-err').textContent()).toContain('服务器拒绝了此令牌');
    expect(await extensionStorage(page)).not.toHaveProperty('connection');
    await page.close();
  });

  test('a valid token enrols: name, roles and documents come from GET /whoami', async () => {
    const token = server.token({
      user: 'alice',
      name: '张三',
      grants: [
        { role: 'editor', doc: 'unit:*' },
        { role: 'annotator', doc: 'notes:*' },
        { role: 'viewer', doc: 'workspace' },
      ],
    });
    const page = await ext.page('options.html');
    await page.getByLabel('服务器地址').fill(server.url);
    await page.getByLabel('访问令牌').fill(token);
    await page.getByRole('button', { name: '连接' }).click();
    await expect.poll(() => page.getByTestId('whoami-name').textContent()).toContain('张三');
    const rows = await page.locator('table tbody tr').allTextContents();
    expect(rows).toEqual([
      '档案：全部单位编辑人员阅读并编辑',
      '批注：全部单位批注人员阅读并批注',
      '工作区配置与单位目录查阅人员只读',
    ]);
    // The background's sync status is shown here too.
    await expect
      .poll(() => page.getByTestId('status-line').getAttribute('data-connection'), { timeout: 15_000 })
      .toBe('online');
    await saveScreenshot(page, 'options-enrolled');
    // The token is kept only in extension storage, and never shown back in the page.
    expect(await page.content()).not.toContain(token);
    await page.close();
  });

  test('the language follows the browser unless pinned; open pages switch at once', async () => {
    const page = await ext.page('options.html');
    await page.locator('#language').selectOption('en');
    await expect.poll(() => page.locator('h1').textContent(), { timeout: 10_000 }).toBe('Dossier Lens · Settings');
    await expect
      .poll(() => page.locator('table tbody tr').first().textContent())
      .toBe('Dossiers: all unitsEditorRead and edit');
    await page.locator('#language').selectOption('auto');
    await expect.poll(() => page.locator('h1').textContent(), { timeout: 10_000 }).toBe('政治生态档案助手 · 设置');
    await page.close();
  });

  test('disconnect forgets the token and stops syncing; the copies on this device stay for next time', async () => {
    const page = await ext.page('options.html');
    await expect
      .poll(() => page.getByTestId('status-line').getAttribute('data-connection'), { timeout: 15_000 })
      .toBe('online');
    const before = await indexedDbNames(page);
    expect(before.length).toBeGreaterThan(0);
    await page.getByRole('button', { name: '断开连接' }).click();
    await page.locator('#server-url').waitFor();
    expect(await extensionStorage(page)).not.toHaveProperty('connection');
    expect((await indexedDbNames(page)).sort()).toEqual(before.sort());
    await page.close();
  });
});
