import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { revoke } from '../../sync-server/admin.ts';
import { expectAccessible } from './support/axe.ts';
import {
  CHROME_BUILD,
  editorToken,
  enrol,
  indexedDbNames,
  launchExtension,
  seededServer,
  type ExtensionBrowser,
  type TestServer,
} from './support/index.ts';
import { searchProfile } from './support/profile-search.ts';

/**
 * README "Encrypted at rest", in the real browser: after use, nothing of the dossiers is readable
 * anywhere in the profile; after a restart while the server is down the device is locked and opens
 * with the offline PIN (where policy allows; refused where it forbids); a revoked user's device is
 * wiped, saying so.
 */

/** Known texts of the small city (test/e2e/support/seed.ts): names, summaries, a document number. */
const SECRETS = [
  '欧阳芳',
  '违规收受礼品',
  '市纪发〔2025〕12号',
  '接受管理服务对象宴请',
  '反映其亲属经商问题',
  '提醒谈话：工作作风',
];
const PIN = '802417';

async function panelShowsRecords(ext: ExtensionBrowser): Promise<Page> {
  const panel = await ext.page('sidepanel.html#cadre/C001');
  await expect.poll(() => panel.locator('[data-record-id]').count(), { timeout: 30_000 }).toBe(3);
  return panel;
}

// Each launch loads its own copy of the build; a manifest key keeps the extension's id (and so its
// IndexedDB and settings in the profile) the same across restarts, as an installed one's is.
const key = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .publicKey.export({ type: 'spki', format: 'der' })
  .toString('base64');
const manifest = (m: Record<string, unknown>) => void (m.key = key);

/** The build with storage.managed answering `policy` in the background and the options page. */
function withPolicy(policy: Record<string, unknown>) {
  const stub = `globalThis.chrome.storage.managed.get = async () => (${JSON.stringify(policy)});`;
  const options = readdirSync(join(CHROME_BUILD, 'chunks')).filter(
    (f) => f.startsWith('options-') && f.endsWith('.js'),
  );
  return {
    manifest,
    prepend: Object.fromEntries(['background.js', ...options.map((f) => `chunks/${f}`)].map((f) => [f, stub])),
  };
}

describe('encrypted at rest', () => {
  let server: TestServer;
  let token: string;
  const profile = mkdtempSync(join(tmpdir(), 'dl-profile-at-rest-'));

  beforeAll(async () => {
    ({ server } = await seededServer());
    token = editorToken(server, 'eve', '李四');
  });
  afterAll(async () => {
    await server?.close();
    rmSync(profile, { recursive: true, force: true });
  });

  test('after use, no file of the profile holds a name, a summary or a document number', async () => {
    const ext = await launchExtension({ userDataDir: profile, patch: { manifest } });
    await enrol(ext, server.url, token);
    const panel = await panelShowsRecords(ext);
    await expect(panel.locator('body').textContent()).resolves.toContain('违规收受礼品');
    await ext.context.close();
    expect(searchProfile(profile, SECRETS)).toEqual([]);
  });

  test('restarted while the server is down: locked, then opened with the PIN', async () => {
    const before = await launchExtension({ userDataDir: profile, patch: { manifest } });
    const settings = await before.page('options.html');
    await expect.poll(() => settings.getByTestId('lock-state').textContent(), { timeout: 20_000 }).toContain('已解锁');
    await settings.locator('#offline-pin').fill(PIN);
    await settings.getByRole('button', { name: '保存 PIN' }).click();
    // PBKDF2 with 600,000 iterations takes a moment on a loaded machine.
    await expect
      .poll(() => settings.getByRole('status').last().textContent(), { timeout: 30_000 })
      .toContain('已设置离线解锁 PIN');
    await expectAccessible(settings, 'options, unlocked with a PIN set');
    await before.context.close();

    await server.stop();
    const ext = await launchExtension({ userDataDir: profile, patch: { manifest } });
    try {
      const options = await ext.page('options.html');
      await expect
        .poll(() => options.getByTestId('lock-state').textContent(), { timeout: 30_000 })
        .toContain('可输入离线解锁 PIN');
      await expectAccessible(options, 'options, locked offline');
      await options.locator('#offline-pin').fill('000000');
      await options.getByRole('button', { name: '解锁' }).click();
      await expect
        .poll(() => options.getByRole('alert').last().textContent(), { timeout: 30_000 })
        .toContain('PIN 不正确');
      await options.locator('#offline-pin').fill(PIN);
      await options.getByRole('button', { name: '解锁' }).click();
      await expect.poll(() => options.getByTestId('lock-state').textContent(), { timeout: 30_000 }).toContain('已解锁');
      const panel = await panelShowsRecords(ext);
      await expect(panel.locator('body').textContent()).resolves.toContain('违规收受礼品');
    } finally {
      await ext.context.close();
    }
  });

  test('where the organisation forbids offline PINs, the restarted device stays locked', async () => {
    const ext = await launchExtension({ userDataDir: profile, patch: withPolicy({ offlinePin: false }) });
    try {
      const options = await ext.page('options.html');
      await expect
        .poll(() => options.getByTestId('lock-state').textContent(), { timeout: 30_000 })
        .toContain('需连接服务器后才能解锁');
      await expect(options.getByTestId('pin-forbidden').isVisible()).resolves.toBe(true);
      await expect(options.locator('#offline-pin').count()).resolves.toBe(0);
      await expectAccessible(options, 'options, locked, PIN forbidden');
      // Nothing opens: the panel has no dossier to show.
      const panel = await ext.page('sidepanel.html#cadre/C001');
      await expect(panel.locator('[data-record-id]').count()).resolves.toBe(0);
    } finally {
      await ext.context.close();
    }
    await server.restart();
  });

  test('a revoked user’s device is wiped on its next contact with the server, and told so', async () => {
    const ext = await launchExtension({ userDataDir: profile, patch: { manifest } });
    try {
      await panelShowsRecords(ext);
      const optionsOpened = ext.context.waitForEvent('page', {
        predicate: (p) => p.url().includes('options.html'),
        timeout: 60_000,
      });
      await revoke(server.dataDir, { user: 'eve' });
      const options = await optionsOpened;
      // Opened by the extension itself, not through Playwright, so in Chromium's own language
      // (Playwright's zh-CN emulation applies only to the pages it opens).
      await expect
        .poll(() => options.getByTestId('revocation-notice').textContent(), { timeout: 30_000 })
        .toMatch(/访问权限已被撤销|access has been revoked/);
      await expectAccessible(options, 'options, wiped on revocation');
      await expect
        .poll(async () => (await indexedDbNames(options)).filter((n) => n.startsWith('dossierlens')), {
          timeout: 20_000,
        })
        .toEqual([]);
      await expect(options.locator('#server-url').isVisible()).resolves.toBe(true);
    } finally {
      await ext.context.close();
    }
  });
});
