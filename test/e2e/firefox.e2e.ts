import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Server } from 'node:http';
import type { Page } from 'puppeteer-core';
import type { SubjectSummary } from '../../core/model/summary.ts';
import { editorToken, type TestServer } from './support/index.ts';
import {
  closeSidebar,
  dossierTabs,
  launchFirefoxExtension,
  sidebarText,
  tabText,
  type FirefoxExtension,
} from './support/firefox.ts';
import { clickBadge, firefoxBadges } from './support/firefox-dom.ts';
import { fixtureBadges, type Want } from './support/fixture-badges.ts';
import {
  dossierOnlyStrings,
  runProbe,
  expectedIndex,
  expectedLabel,
  PORTAL_CADRES,
  startFixtureServer,
} from './support/portal-fixtures.ts';
import { portalServer } from './support/portal-scene.ts';
import { nodeWorkspace } from './support/seed.ts';

/**
 * The core scenes in Firefox ESR: the built `.output/firefox-mv2` installed in a real headless
 * Firefox (WebDriver BiDi), against the real server on loopback — enrolment from the options
 * page, badges on the fixture portals with the privacy probe, a badge opening the dossier, and
 * an edit made offline merging with a colleague's when the server returns.
 */
describe('Firefox ESR: the core scenes', () => {
  let server: TestServer;
  let ff: FirefoxExtension;
  let fixtures: { origin: string; server: Server };
  let index: SubjectSummary[] = [];
  let admin = '';

  const want: Want = (after, who, name = after) => [after, expectedLabel(index, who, name)];
  const seen = async (page: Page) => (await firefoxBadges(ff, page)).map((b) => [b.after, b.label] as [string, string]);
  const text = (page: Page, selector: string) => page.$eval(selector, (e) => e.textContent ?? '').catch(() => '');
  const session = async () => {
    const page = await ff.page('options.html');
    try {
      return await page.evaluate(
        async () =>
          (
            await (
              globalThis as unknown as {
                browser: {
                  storage: { session: { get(k: string): Promise<Record<string, { target: unknown } | undefined>> } };
                };
              }
            ).browser.storage.session.get('panelTarget')
          ).panelTarget?.target,
      );
    } finally {
      await page.close();
    }
  };

  beforeAll(async () => {
    ({ server, admin } = await portalServer());
    fixtures = await startFixtureServer();
    ff = await launchFirefoxExtension({ portals: ['http://127.0.0.1/*'] });
  });

  afterAll(async () => {
    await ff?.close();
    await server?.close();
    fixtures?.server.close();
  });

  const officer = () => editorToken(server, 'officer', '李四');

  test('enrol from the options page: who the server says we are', async () => {
    const token = officer();
    index = await expectedIndex(server.url, token, PORTAL_CADRES);
    const page = await ff.page('options.html');
    // The page mounts after its top-level await (the language setting); BiDi's "complete" can come first.
    await expect.poll(() => page.title(), { timeout: 10_000 }).toBe('政治生态档案助手 · 设置');
    await page.locator('#server-url').fill(server.url);
    await page.locator('#token').fill(token);
    await page.locator('form button[type=submit]').click();
    await expect.poll(() => text(page, '[data-testid=whoami-name]'), { timeout: 20_000 }).toContain('李四');
    await page.close();
  });

  test('badges on the fixture portals: GBK roster, profile form, letter with a frame, SPA, hostile strings', async () => {
    const expected = fixtureBadges(want);
    let page = await ff.open(`${fixtures.origin}/legacy-gbk.html`);
    expect(await page.$eval('#roster tr:nth-child(4) td:nth-child(2)', (e) => e.textContent)).toBe('王芳芳');
    await expect.poll(() => seen(page), { timeout: 20_000 }).toEqual(expected['legacy-gbk.html']);
    for (const b of await firefoxBadges(ff, page)) expect([b.mode, b.hostAttributes]).toEqual(['closed', ['style']]);
    await page.close();

    page = await ff.open(`${fixtures.origin}/profile.html`);
    await expect.poll(() => seen(page), { timeout: 20_000 }).toEqual(expected['profile.html']);
    expect(await page.$eval('#candidate', (e) => (e as HTMLInputElement).value)).toBe('张伟');
    await page.close();

    page = await ff.open(`${fixtures.origin}/letter.html`);
    await expect.poll(() => seen(page), { timeout: 20_000 }).toEqual(expected['letter.html']);
    await page.close();

    page = await ff.open(`${fixtures.origin}/spa.html`);
    await expect.poll(() => seen(page), { timeout: 20_000 }).toEqual(expected['spa.html']);
    await page.click('#page2');
    await expect.poll(() => seen(page), { timeout: 20_000 }).toEqual(expected['spa.html?page=2']);
    await page.close();

    page = await ff.open(`${fixtures.origin}/hostile.html`);
    await expect.poll(() => seen(page), { timeout: 20_000 }).toEqual(expected['hostile.html']);
    // Hovering builds each card from the dossier's strings: nothing may run.
    for (const b of await firefoxBadges(ff, page)) await clickBadge(ff, page, b, 'hover');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    await page.close();
  });

  test('privacy probe: a page script walking the DOM finds no dossier content on any fixture', async () => {
    const forbidden = dossierOnlyStrings(index);
    for (const file of ['legacy-gbk.html', 'profile.html', 'letter.html', 'hostile.html', 'spa.html']) {
      const page = await ff.open(`${fixtures.origin}/${file}`);
      await expect
        .poll(async () => (await firefoxBadges(ff, page)).length, { timeout: 20_000 })
        .toBeGreaterThanOrEqual(1);
      expect(await runProbe(page, fixtures.origin, forbidden), file).toEqual([]);
      await page.close();
    }
  });

  test('a badge click shows the dossier in the open sidebar; with the sidebar closed, in one tab that follows later clicks', async () => {
    const page = await ff.open(`${fixtures.origin}/legacy-gbk.html`);
    await expect.poll(async () => (await firefoxBadges(ff, page)).length, { timeout: 20_000 }).toBeGreaterThan(5);
    const badge = async (name: string) => (await firefoxBadges(ff, page)).find((b) => b.label.startsWith(`${name} ·`))!;
    // Firefox opens an extension's sidebar when it is installed: the dossier shows there.
    await expect.poll(() => sidebarText(ff), { timeout: 10_000 }).toContain('搜索干部或单位');
    await clickBadge(ff, page, await badge('欧阳明'));
    await expect.poll(session, { timeout: 10_000 }).toEqual({ subject: { type: 'cadre', id: 'C004' } });
    await expect.poll(() => sidebarText(ff, '#dossier-name'), { timeout: 20_000 }).toContain('欧阳明');
    expect(await dossierTabs(ff)).toEqual([]);

    // The user closes the sidebar. A click cannot open it again (Firefox allows that only from
    // its own toolbar and menus): the dossier opens in a tab instead.
    await closeSidebar(ff);
    await expect.poll(() => sidebarText(ff)).toBe('');
    await clickBadge(ff, page, await badge('李娜'));
    await expect
      .poll(() => dossierTabs(ff), { timeout: 10_000 })
      .toEqual([expect.stringMatching(/sidepanel\.html#cadre\/C005$/)]);
    await expect
      .poll(async () => tabText(ff, (await dossierTabs(ff))[0]!, '#dossier-name'), { timeout: 20_000 })
      .toContain('李娜');
    // The next click reuses that tab rather than opening another.
    await clickBadge(ff, page, await badge('欧阳明'));
    await expect
      .poll(() => dossierTabs(ff), { timeout: 10_000 })
      .toEqual([expect.stringMatching(/sidepanel\.html#cadre\/C004$/)]);
    await expect
      .poll(async () => tabText(ff, (await dossierTabs(ff))[0]!, '#dossier-name'), { timeout: 20_000 })
      .toContain('欧阳明');
    await page.close();
  });

  test("an edit made offline merges with a colleague's when the server returns", async () => {
    const colleague = await nodeWorkspace(server.url, admin);
    try {
      const { dossiers, synced } = await colleague.unit('U03');
      await synced.whenSynced();
      const panel = await ff.page('sidepanel.html#cadre/C004');
      const records = () => panel.$$eval('[data-record-id]', (els) => els.map((e) => e.textContent ?? ''));
      const connection = () =>
        panel.$eval('[data-testid=status-line]', (e) => e.getAttribute('data-connection')).catch(() => null);
      await expect.poll(records, { timeout: 20_000 }).toHaveLength(1);
      await expect.poll(connection, { timeout: 20_000 }).toBe('online');

      await server.stop();
      await expect.poll(connection, { timeout: 20_000 }).toBe('offline');
      // Both write while the server is away: the officer in Firefox, the colleague elsewhere.
      await panel.locator('::-p-text(新增记录)').click();
      await panel.select('#rec-colour', 'blue');
      await panel.select('#rec-kind', 'personal-matters-report');
      await panel.locator('#rec-date').fill('2025-03-01');
      await panel.locator('#rec-dept').fill('市委组织部');
      await panel.locator('#rec-summary').fill('火狐离线：个人事项报告');
      await panel.locator('form button[type=submit]').click();
      await expect.poll(records).toEqual(expect.arrayContaining([expect.stringContaining('火狐离线：个人事项报告')]));
      expect(
        dossiers.records.put({
          id: 'R-colleague',
          subject: { type: 'cadre', id: 'C004' },
          colour: 'red',
          kind: 'commendation',
          decisionDate: '2025-08-01',
          sourceDept: '市委组织部',
          summary: '同事离线：嘉奖',
          status: 'active',
        }).ok,
      ).toBe(true);

      await server.restart();
      await expect
        .poll(records, { timeout: 45_000 })
        .toEqual(
          expect.arrayContaining([
            expect.stringContaining('火狐离线：个人事项报告'),
            expect.stringContaining('同事离线：嘉奖'),
          ]),
        );
      await expect.poll(connection, { timeout: 20_000 }).toBe('online');
      // The colleague has the officer's record too: the same dossier on both sides.
      await expect
        .poll(
          () =>
            dossiers.records
              .list()
              .map((r) => (r.ok ? r.value.summary : r.id))
              .sort(),
          { timeout: 20_000 },
        )
        .toEqual(['同事离线：嘉奖', '火狐离线：个人事项报告', '诫勉'].sort());
      await panel.close();
    } finally {
      await colleague.close();
    }
  });
});
