import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { cadre } from '../../core/doc/test/fixtures.ts';
import {
  enrol,
  extensionStorage,
  launchExtension,
  seededServer,
  type ExtensionBrowser,
  type TestServer,
} from './support/index.ts';

/**
 * A token with partial access: editor on one unit of a directory of two. The background opens only
 * what the token can read (the grants GET /whoami reported at enrolment), so it comes online instead
 * of being refused on the other unit forever, and only the granted unit's cadres are searchable.
 */
describe('background workspace: partial grants', () => {
  let server: TestServer;
  let ext: ExtensionBrowser;

  beforeAll(async () => {
    ({ server } = await seededServer({
      units: [
        { code: 'A01', name: '市财政局', aliases: [], kind: 'government' },
        { code: 'B01', name: '市教育局', aliases: [], kind: 'government' },
      ],
      cadres: [cadre('C001'), cadre('C101', { name: '张敏', gender: 'female', birth: '1978-06', unitCode: 'B01' })],
    }));
    ext = await launchExtension();
    await enrol(
      ext,
      server.url,
      server.token({
        user: 'carol',
        name: '王五',
        grants: [
          { role: 'viewer', doc: 'workspace' },
          { role: 'editor', doc: 'unit:A0*' },
        ],
      }),
    );
  });
  afterAll(async () => {
    await ext?.close();
    await server?.close();
  });

  const search = (page: Page, query: string) =>
    page.evaluate(async (q) => {
      const answer = await (globalThis as any).chrome.runtime.sendMessage({ type: 'search', query: q });
      return (answer.results as { id: string; unitCode: string }[]).map((r) => `${r.unitCode}/${r.id}`);
    }, query);

  test('the status reaches online and only the granted unit is in the index', async () => {
    const page = await ext.page('options.html');
    // Enrolment kept the grants beside the connection.
    expect(await extensionStorage(page)).toMatchObject({
      grants: {
        grants: [
          { role: 'viewer', doc: 'workspace' },
          { role: 'editor', doc: 'unit:A0*' },
        ],
      },
    });
    await expect
      .poll(() => page.getByTestId('status-line').getAttribute('data-connection'), { timeout: 20_000 })
      .toBe('online');
    await expect.poll(() => search(page, '张'), { timeout: 10_000 }).toEqual(['A01/C001']);
    // No database was made for the unit outside the grants.
    const names = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? ''));
    expect(names.some((n) => n.endsWith(':unit:A01'))).toBe(true);
    expect(names.some((n) => n.endsWith(':unit:B01'))).toBe(false);
    // Nothing is being refused and retried in the background: the server counts every refusal the
    // moment it makes it (a unit outside the grants would be one, at its first attempt), so no wait
    // is needed to show that none happened.
    const metrics = await (await fetch(`${server.httpUrl}/metrics`)).text();
    expect(metrics).toContain('dossierlens_refusals_total{reason="forbidden"} 0');
    await expect(page.getByTestId('status-line').getAttribute('data-connection')).resolves.toBe('online');
    await page.close();
  });

  test('the side panel opens the dossier without asking for annotations the grants do not cover', async () => {
    const panel = await ext.page('sidepanel.html#cadre/C001');
    await expect.poll(() => panel.locator('#dossier-name').textContent(), { timeout: 20_000 }).toContain('张伟');
    // Online means every document the panel opened is in step: a refused notes:A01 would stay
    // offline (closed with 403) and be listed in the status line.
    await expect
      .poll(() => panel.getByTestId('status-line').getAttribute('data-connection'), { timeout: 20_000 })
      .toBe('online');
    expect(await panel.getByTestId('status-line').locator('.denied').count()).toBe(0);
    const metrics = await (await fetch(`${server.httpUrl}/metrics`)).text();
    expect(metrics).toContain('dossierlens_refusals_total{reason="forbidden"} 0');
    await panel.close();
  });

  test('stored grants are refreshed from GET /whoami when the workspace reopens', async () => {
    const page = await ext.page('options.html');
    const stored = (await extensionStorage(page)).grants as { for: string; grants: unknown[] };
    // As if what is stored were out of date (an administrator has since widened the grants).
    await page.evaluate((g) => (globalThis as any).chrome.storage.local.set({ grants: g }), {
      for: stored.for,
      grants: [{ role: 'viewer', doc: 'workspace' }],
    });
    await expect.poll(async () => (await extensionStorage(page)).grants, { timeout: 15_000 }).toEqual(stored);
    await expect.poll(() => search(page, '张'), { timeout: 10_000 }).toEqual(['A01/C001']);
    await expect
      .poll(() => page.getByTestId('status-line').getAttribute('data-connection'), { timeout: 20_000 })
      .toBe('online');
    await page.close();
  });
});
