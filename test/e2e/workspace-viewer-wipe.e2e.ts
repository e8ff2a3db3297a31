import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { nodeWorkspace } from './support/seed.ts';
import {
  enrol,
  extensionStorage,
  indexedDbNames,
  launchExtension,
  saveScreenshot,
  seededServer,
  type ExtensionBrowser,
  type TestServer,
} from './support/index.ts';

describe('a viewer reads but cannot write; wiping the device leaves nothing behind', () => {
  let server: TestServer;
  let ext: ExtensionBrowser;
  let admin: string;
  let viewer: string;

  beforeAll(async () => {
    ({ server, admin } = await seededServer());
    viewer = server.token({ user: 'vera', name: '王五', docs: ['workspace', 'unit:*', 'notes:*'], role: 'viewer' });
    ext = await launchExtension();
    await enrol(ext, server.url, viewer);
  });
  afterAll(async () => {
    await ext?.close();
    await server?.close();
  });

  test("a viewer's edit controls are disabled", async () => {
    const panel = await ext.page('sidepanel.html#cadre/C001');
    await expect.poll(() => panel.locator('[data-record-id]').count(), { timeout: 20_000 }).toBe(3);
    await expect(panel.getByTestId('readonly-note').isVisible()).resolves.toBe(true);
    await expect(panel.getByRole('button', { name: /新增记录/ }).isDisabled()).resolves.toBe(true);
    await expect(panel.getByRole('button', { name: /^撤销记录/ }).count()).resolves.toBe(0);
    await expect(panel.getByRole('button', { name: /^改为：/ }).count()).resolves.toBe(0);
    await expect(panel.locator('#note-text').isDisabled()).resolves.toBe(true);
    await expect(panel.getByRole('button', { name: '发表批注' }).isDisabled()).resolves.toBe(true);
    await panel.close();
  });

  test("a viewer's forced write is refused by the server and reaches no one", async () => {
    // Bypassing the interface: the sync library used directly with the viewer's token.
    const forced = await nodeWorkspace(server.url, viewer);
    const { dossiers, synced } = await forced.unit('A01');
    await synced.whenSynced();
    const put = dossiers.records.put({
      id: 'FORCED',
      subject: { type: 'cadre', id: 'C001' },
      colour: 'black',
      kind: 'party-warning',
      decisionDate: '2025-01-01',
      sourceDept: '伪造',
      summary: '伪造的处分',
      status: 'active',
    });
    expect(put.ok).toBe(true); // accepted locally: the library does not police roles, the server does
    await expect.poll(() => forced.status().denied.map((d) => d.doc), { timeout: 10_000 }).toContain('unit:A01');
    expect(forced.status().unconfirmed).toBeGreaterThan(0);
    await forced.close();

    // A fresh reader sees no trace of it, and neither does the viewer's own side panel.
    const check = await nodeWorkspace(server.url, admin);
    const unit = await check.unit('A01');
    await unit.synced.whenSynced();
    expect(unit.dossiers.records.get('FORCED')).toBeUndefined();
    expect(unit.dossiers.records.ids().sort()).toEqual(['R001', 'R002', 'R003']);
    await check.close();
    const panel = await ext.page('sidepanel.html#cadre/C001');
    await expect.poll(() => panel.locator('[data-record-id]').count(), { timeout: 20_000 }).toBe(3);
    await expect(panel.locator('[data-record-id="FORCED"]').count()).resolves.toBe(0);
    await panel.close();
  });

  test('wipe this device removes every IndexedDB database and all settings', async () => {
    const panel = await ext.page('sidepanel.html#cadre/C001');
    await expect.poll(() => panel.locator('[data-record-id]').count(), { timeout: 20_000 }).toBe(3);
    const options = await ext.page('options.html');
    expect((await indexedDbNames(options)).length).toBeGreaterThan(0);

    await options.getByRole('button', { name: '清除本机数据' }).click();
    await options.getByRole('button', { name: '确认清除' }).click();
    await expect
      .poll(() => options.getByRole('status').last().textContent(), { timeout: 20_000 })
      .toMatch(/已清除，删除了 \d+ 个本地数据库/);
    // The open side panel lets go of its copies and shows that it is no longer connected.
    await expect.poll(() => panel.locator('body').textContent(), { timeout: 10_000 }).toContain('尚未连接同步服务器');
    await expect.poll(() => indexedDbNames(options), { timeout: 10_000 }).toEqual([]);
    expect(await extensionStorage(options)).toEqual({});
    // Back to the enrolment form.
    await expect(options.locator('#server-url').isVisible()).resolves.toBe(true);
    await saveScreenshot(options, 'options-after-wipe');
    await options.close();
    await panel.close();
  });
});
