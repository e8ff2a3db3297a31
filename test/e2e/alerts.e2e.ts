import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { today } from '../../core/dates.ts';
import { expectAccessible } from './support/axe.ts';
import { monthsAgo, SMALL_CITY, writeElsewhere, type SeedData } from './support/seed.ts';
import {
  enrol,
  launchExtension,
  saveScreenshot,
  seededServer,
  unitEditorToken,
  viewerToken,
  type ExtensionBrowser,
  type TestServer,
} from './support/index.ts';

/**
 * 预警提醒 end to end: one officer (alice, a reader) on two devices (two browser profiles), a
 * colleague (bob) who writes. Bob's second yellow dot within a year puts 欧阳芳 under warning; one
 * of alice's devices shows a browser notification — only one, the alert being told once per user
 * through her own `user:alice` document — both show it in the inbox and count it on the toolbar
 * button, and marking it seen on one device clears the count on the other. On a portal page the
 * optional one-line summary counts the people there and who is under warning.
 */

// The small city's unit and two cadres (support/seed.ts), with one yellow dot of its own.
const CITY: SeedData = {
  units: SMALL_CITY.units,
  cadres: SMALL_CITY.cadres,
  records: [
    {
      id: 'R1',
      subject: { type: 'cadre', id: 'C002' },
      colour: 'yellow',
      kind: 'reminder-talk',
      decisionDate: monthsAgo(3),
      sourceDept: '市纪委监委',
      summary: '提醒谈话：工作作风',
      status: 'active',
    },
  ],
};

const ext = (p: Page) => p.evaluate.bind(p);
const notifications = (p: Page) =>
  ext(p)(async () => Object.keys(await (globalThis as any).chrome.notifications.getAll()));
const badgeText = (p: Page) => ext(p)(() => (globalThis as any).chrome.action.getBadgeText({}));
const lastCheck = (p: Page) =>
  ext(p)(
    async () =>
      ((await (globalThis as any).chrome.storage.local.get('alertCheck')).alertCheck?.at as string | undefined) ?? '',
  );

/** The accessibility tree's text (closed shadow roots included: what assistive technology reads). */
async function axTexts(page: Page): Promise<{ role: string; name: string }[]> {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
    nodes: { role?: { value: string }; name?: { value: string } }[];
  };
  await cdp.detach();
  return nodes.map((n) => ({ role: n.role?.value ?? '', name: n.name?.value ?? '' }));
}

describe('alerts (预警提醒)', () => {
  let server: TestServer;
  let portal: Server;
  let origin: string;
  let a: ExtensionBrowser;
  let b: ExtensionBrowser;
  let inboxA: Page;
  let inboxB: Page;
  /** Bob, the colleague who writes (from a Node client, not a browser). */
  const bob = () => unitEditorToken(server, 'bob', '李四');

  beforeAll(async () => {
    ({ server } = await seededServer(CITY));
    portal = createServer((_req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(
          '<!doctype html><title>干部名册</title><table>' +
            '<tr><td>张伟</td><td>市财政局</td><td>局长</td></tr>' +
            '<tr><td>欧阳芳</td><td>市财政局</td><td>副局长</td></tr>' +
            '</table>',
        ),
    );
    await new Promise<void>((ok) => portal.listen(0, '127.0.0.1', ok));
    origin = `http://127.0.0.1:${(portal.address() as AddressInfo).port}`;
    [a, b] = await Promise.all([launchExtension({ portals: ['http://127.0.0.1/*'] }), launchExtension()]);
    const alice = viewerToken(server, 'alice', '张三');
    await enrol(a, server.url, alice);
    await enrol(b, server.url, alice);
    [inboxA, inboxB] = await Promise.all([a.page('alerts.html'), b.page('alerts.html')]);
    await inboxA.setViewportSize({ width: 1100, height: 800 });
  }, 120_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await server?.close();
    portal?.close();
  });

  test(
    "a colleague's new yellow dot: a notification on one of the user's devices, an inbox entry and a count on both",
    { timeout: 120_000 },
    async () => {
      // Both devices have looked once: what held at enrolment is the baseline, not news.
      await expect.poll(() => lastCheck(inboxA), { timeout: 60_000 }).not.toBe('');
      await expect.poll(() => lastCheck(inboxB), { timeout: 60_000 }).not.toBe('');
      await expect.poll(() => inboxA.getByTestId('alerts-unseen').textContent()).toBe('没有未读提醒');
      await expectAccessible(inboxA, 'alerts: nothing new');
      expect([...(await notifications(inboxA)), ...(await notifications(inboxB))]).toEqual([]);

      const before = new Date().toISOString();
      await writeElsewhere(server.url, bob(), 'A01', (dossiers) =>
        dossiers.records.put({
          id: 'R2',
          subject: { type: 'cadre', id: 'C002' },
          colour: 'yellow',
          kind: 'admonishment',
          decisionDate: today(),
          sourceDept: '市纪委监委',
          docNumber: '澜纪诫〔2026〕7号',
          summary: '诫勉：违规使用公务用车',
          status: 'active',
        }),
      );

      // One notification, about 欧阳芳's warning, on whichever device claimed it first.
      const all = async () => [...(await notifications(inboxA)), ...(await notifications(inboxB))];
      await expect.poll(all, { timeout: 60_000 }).toHaveLength(1);
      expect((await all())[0]).toMatch(/^alert:warning:C002:repeated-yellow:/);
      // Both devices have evaluated since the change and show it in the inbox, new, with the count.
      for (const inbox of [inboxA, inboxB]) {
        await expect.poll(async () => (await lastCheck(inbox)) > before, { timeout: 60_000 }).toBe(true);
        await expect
          .poll(() => inbox.getByTestId('alerts-inbox').locator('li').first().textContent(), { timeout: 30_000 })
          .toMatch(/新\s*新增预警\s*欧阳芳\s*市财政局 · 副局长/);
        await expect.poll(() => badgeText(inbox)).toBe('1');
      }
      // Every device has had its say: still one notification in all (the user is told once).
      expect(await all()).toHaveLength(1);
      const entry = inboxA.getByTestId('alerts-inbox').locator('li').first();
      await expect(entry.textContent()).resolves.toContain('澜纪诫〔2026〕7号');
      await expect(entry.getByRole('link', { name: '欧阳芳' }).getAttribute('href')).resolves.toBe(
        '/sidepanel.html#cadre/C002',
      );
      await expectAccessible(inboxA, 'alerts: a new entry');
      await saveScreenshot(inboxA, 'alerts-page');
      await inboxA.setViewportSize({ width: 320, height: 800 });
      await expect.poll(() => inboxA.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
      await inboxA.setViewportSize({ width: 1100, height: 800 });

      // Seen on one device: seen on both.
      await inboxA.getByRole('button', { name: '全部标为已读' }).click();
      await expect.poll(() => badgeText(inboxB), { timeout: 30_000 }).toBe('');
      await expect.poll(() => inboxB.getByTestId('alerts-unseen').textContent()).toBe('没有未读提醒');
    },
  );

  test(
    'notifications per kind can be switched off in the options; the page summary is there when switched on',
    { timeout: 120_000 },
    async () => {
      // One device only from here, so which device announces is not in question.
      await b.close();
      const options = await a.page('options.html');
      const section = options.getByRole('region', { name: '预警提醒' });
      await section.getByRole('checkbox', { name: '新增预警' }).uncheck();
      await section.getByRole('checkbox', { name: /在门户页面显示一行概况/ }).check();
      await expect
        .poll(() =>
          ext(options)(async () => (await (globalThis as any).chrome.storage.local.get('alertSettings')).alertSettings),
        )
        .toEqual({ notify: { warning: false, overdue: true, 'period-ending': true }, pageSummary: true });
      await expectAccessible(options, 'options: alert settings');
      await options.close();

      // A substantiated negative-list item puts 张伟 under warning: in the inbox, but no notification.
      const shown = (await notifications(inboxA)).length;
      const before = new Date().toISOString();
      await writeElsewhere(server.url, bob(), 'A01', (dossiers) =>
        dossiers.flags.put({
          id: 'F1',
          cadreId: 'C001',
          item: 'gambling',
          channel: 'community',
          date: today(),
          status: 'substantiated',
          summary: '节假日参与打牌赌博',
        }),
      );
      await expect
        .poll(() => inboxA.getByTestId('alerts-inbox').locator('li').first().textContent(), { timeout: 60_000 })
        .toContain('张伟');
      await expect.poll(async () => (await lastCheck(inboxA)) > before, { timeout: 60_000 }).toBe(true);
      expect(await notifications(inboxA)).toHaveLength(shown);
      await expect.poll(() => badgeText(inboxA)).toBe('1');

      const page = await a.context.newPage();
      await page.goto(`${origin}/roster`);
      const summary = async () =>
        (await axTexts(page)).filter((n) => ['StaticText', 'button'].includes(n.role)).map((n) => n.name);
      await expect
        .poll(summary, { timeout: 60_000 })
        .toEqual(expect.arrayContaining(['本页 2 人', '2 人预警', '1 人影响期内']));
      // Private from the page: its scripts find none of it.
      expect(await page.evaluate(() => document.body.innerText)).not.toContain('人预警');
      await page.close();
    },
  );
});
