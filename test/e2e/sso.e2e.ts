import { rmSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningServer } from '../../sync-server/server.ts';
import type { TestProvider } from '../../sync-server/sso/test-provider.ts';
import { startSsoServers } from './support/sso.ts';
import { expectAccessible } from './support/axe.ts';
import { extensionStorage, launchExtension, saveScreenshot, type ExtensionBrowser } from './support/index.ts';

/**
 * Single sign-on in the real extension, against a real OpenID Connect provider (oidc-provider) and
 * the real server on loopback: the options page opens the provider's login page in a window, the
 * user signs in there, and the extension comes back online as that user with the roles the
 * user's groups map to; renewal follows a group change; sign-out revokes.
 */

describe('options page: single sign-on', () => {
  let provider: TestProvider;
  let server: RunningServer;
  let ext: ExtensionBrowser;
  let dir: string;
  let http: string;

  beforeAll(async () => {
    ({ provider, server, http, dir } = await startSsoServers({
      alice: { name: '张三', groups: ['纪检监察室'] },
      carol: { name: '王五', groups: ['后勤'] },
    }));
    ext = await launchExtension();
  });
  afterAll(async () => {
    await ext?.close();
    await server?.close();
    await provider?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Starts the sign-in from the options page and fills in the provider's login page as `user`. */
  async function signIn(page: Page, user: string): Promise<void> {
    await page.getByLabel('服务器地址').fill(server.url);
    const popup = ext.context.waitForEvent('page');
    await page.getByRole('button', { name: '统一身份认证登录' }).click();
    const login = await popup;
    await login.locator('input[name="login"]').fill(user);
    await login.locator('input[name="password"]').fill('any password');
    await login.getByRole('button', { name: 'Sign-in' }).click();
  }

  test('a user in no mapped group is told so, and nothing is saved', async () => {
    const page = await ext.page('options.html');
    await signIn(page, 'carol');
    await expect
      .poll(() => page.getByRole('alert').textContent(), { timeout: 20_000 })
      .toContain('您所在的分组没有任何档案权限');
    expect(await extensionStorage(page)).not.toHaveProperty('connection');
    await expectAccessible(page, 'options: single sign-on refused');
    await saveScreenshot(page, 'options-sso-refused');
    await page.close();
    // Leave the provider's session (single sign-on would otherwise sign carol in again at once).
    await ext.context.clearCookies();
  });

  test('signing in at the provider enrols: online, with the name and the roles the groups map to', async () => {
    const page = await ext.page('options.html');
    await signIn(page, 'alice');
    await expect.poll(() => page.getByTestId('whoami-name').textContent(), { timeout: 20_000 }).toContain('张三');
    expect(await page.locator('table tbody tr').allTextContents()).toEqual([
      '档案：全部单位编辑人员阅读并编辑',
      '批注：全部单位批注人员阅读并批注',
      '工作区配置与单位目录查阅人员只读',
    ]);
    await expect
      .poll(() => page.getByTestId('status-line').getAttribute('data-connection'), { timeout: 20_000 })
      .toBe('online');
    await expect.poll(() => page.getByTestId('sso-note').textContent()).toContain('已通过统一身份认证登录');
    await expectAccessible(page, 'options: signed in through single sign-on');
    await saveScreenshot(page, 'options-sso');
    // The device holds only the server's token: nothing of the provider's (no refresh token).
    const stored = await extensionStorage(page);
    expect(JSON.stringify(stored)).not.toMatch(/refresh|id_token/u);
    expect(await page.content()).not.toContain((stored.connection as { token: string }).token);
    await page.close();
  });

  test('renewal in the background gives a fresh token whose roles follow a group change', async () => {
    const page = await ext.page('options.html');
    const before = ((await extensionStorage(page)).connection as { token: string }).token;
    provider.users.get('alice')!.groups = ['admins'];
    // The renewal alarm, brought forward (it would fire two thirds into the token's life).
    await ext.background.evaluate(() =>
      (
        globalThis as unknown as { chrome: { alarms: { create(name: string, info: { when: number }): Promise<void> } } }
      ).chrome.alarms.create('dossier-lens-sso-renew', { when: Date.now() + 100 }),
    );
    await expect
      .poll(async () => ((await extensionStorage(page)).connection as { token: string }).token, { timeout: 30_000 })
      .not.toBe(before);
    await expect
      .poll(() => page.locator('table tbody tr').allTextContents(), { timeout: 20_000 })
      .toEqual(['全部单位管理员全部权限（含工作区配置）']);
    await expect
      .poll(() => page.getByTestId('status-line').getAttribute('data-connection'), { timeout: 20_000 })
      .toBe('online');
    // The token it replaced is no longer accepted for renewal.
    const res = await fetch(`${http}/sso/renew`, { method: 'POST', headers: { authorization: `Bearer ${before}` } });
    expect(res.status).toBe(401);
    await page.close();
  });

  test('sign-out revokes the token at the server and opens the provider’s sign-out page', async () => {
    const page = await ext.page('options.html');
    const token = ((await extensionStorage(page)).connection as { token: string }).token;
    const logout = ext.context.waitForEvent('page');
    await page.getByRole('button', { name: '退出登录' }).click();
    expect((await logout).url().startsWith(provider.issuer)).toBe(true);
    await page.locator('#server-url').waitFor();
    expect(await extensionStorage(page)).not.toHaveProperty('connection');
    const whoami = await fetch(`${http}/whoami`, { headers: { authorization: `Bearer ${token}` } });
    expect(await whoami.json()).toMatchObject({ reason: 'revoked' });
    await page.close();
  });

  test('a user disabled at the provider loses access at the next renewal: the device is wiped, saying so, and can sign in again', async () => {
    await ext.context.clearCookies();
    provider.users.get('alice')!.groups = ['纪检监察室'];
    const page = await ext.page('options.html');
    await signIn(page, 'alice');
    await expect
      .poll(() => page.getByTestId('status-line').getAttribute('data-connection'), { timeout: 20_000 })
      .toBe('online');
    provider.users.get('alice')!.disabled = true;
    await ext.background.evaluate(() =>
      (
        globalThis as unknown as { chrome: { alarms: { create(name: string, info: { when: number }): Promise<void> } } }
      ).chrome.alarms.create('dossier-lens-sso-renew', { when: Date.now() + 100 }),
    );
    // The server revokes the token at the refused renewal; a revoked token wipes this device's
    // (sealed) copies and says so (README "Encrypted at rest"), leaving the sign-in form.
    await expect.poll(() => page.getByTestId('revocation-notice').count(), { timeout: 30_000 }).toBe(1);
    await page.getByRole('button', { name: '统一身份认证登录' }).waitFor();
    await expectAccessible(page, 'options: single sign-on session ended, device wiped');
    await saveScreenshot(page, 'options-sso-ended');
    // Enabled again: signing in brings everything back from the server.
    provider.users.get('alice')!.disabled = false;
    await ext.context.clearCookies();
    await signIn(page, 'alice');
    await expect
      .poll(() => page.getByTestId('status-line').getAttribute('data-connection'), { timeout: 30_000 })
      .toBe('online');
    await page.close();
  });
});
