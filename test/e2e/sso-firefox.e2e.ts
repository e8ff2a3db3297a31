import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningServer } from '../../sync-server/server.ts';
import type { TestProvider } from '../../sync-server/sso/test-provider.ts';
import { GECKO_ID, launchFirefoxExtension, type FirefoxExtension } from './support/firefox.ts';
import { startSsoServers } from './support/sso.ts';

/**
 * Single sign-on in Firefox ESR: identity.launchWebAuthFlow (a window loses its opener there),
 * with Firefox's redirect URL for the add-on id registered with the provider and the server.
 */
const firefoxRedirect = `https://${createHash('sha1').update(GECKO_ID).digest('hex')}.extensions.allizom.org/`;
describe('Firefox ESR: single sign-on', () => {
  let provider: TestProvider;
  let server: RunningServer;
  let ff: FirefoxExtension;
  let dir: string;

  beforeAll(async () => {
    ({ provider, server, dir } = await startSsoServers({ alice: { name: '张三', groups: ['纪检监察室'] } }, [
      firefoxRedirect,
    ]));
    ff = await launchFirefoxExtension();
  });
  afterAll(async () => {
    await ff?.close();
    await server?.close();
    await provider?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('signing in at the provider from the options page enrols, with the mapped roles', async () => {
    const page = await ff.page('options.html');
    const text = (selector: string) => page.$eval(selector, (e) => e.textContent ?? '').catch(() => '');
    await page.locator('#server-url').fill(server.url);
    const buttons = await page.$$('form button[type=button]');
    await buttons[0]!.click();
    // puppeteer does not follow the sign-in window's navigations over BiDi: find it by address and
    // fill in the provider's login form there.
    const loginContext = async () => {
      const { contexts } = await ff.bidi<{ contexts: { context: string; url: string }[] }>('browsingContext.getTree', {
        maxDepth: 0,
      });
      return contexts.find((c) => c.url.startsWith(`${provider.issuer}/interaction/`))?.context;
    };
    await expect.poll(loginContext, { timeout: 20_000 }).toBeDefined();
    const context = (await loginContext())!;
    const filled = await ff.bidi<{ type: string }>('script.evaluate', {
      expression:
        "(() => { const f = document.querySelector('form'); " +
        "f.login.value = 'alice'; f.password.value = 'any password'; f.submit(); return true; })()",
      target: { context },
      awaitPromise: false,
      userActivation: true,
    });
    expect(filled.type).toBe('success');
    await expect.poll(() => text('[data-testid=whoami-name]'), { timeout: 30_000 }).toContain('张三');
    await expect.poll(() => text('[data-testid=sso-note]')).toContain('已通过统一身份认证登录');
    const rows = await page.$$eval('table tbody tr', (trs) => trs.map((tr) => tr.textContent ?? ''));
    expect(rows).toEqual([
      '档案：全部单位编辑人员阅读并编辑',
      '批注：全部单位批注人员阅读并批注',
      '工作区配置与单位目录查阅人员只读',
    ]);
    await page.close();
  });
});
