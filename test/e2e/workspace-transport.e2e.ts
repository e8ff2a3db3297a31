import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import type { Cadre, Unit } from '../../core/model/schemas.ts';
import {
  enrol,
  launchExtension,
  startTestServer,
  stopBackground,
  unitEditorToken,
  type ExtensionBrowser,
  type TestServer,
} from './support/index.ts';
import { seed } from './support/seed.ts';

/**
 * How the extension talks to the server (core/sync/multiplex.ts): the background keeps every
 * document of the city in step over one socket, says so to the options page the moment it
 * changes, comes back online after the browser stops it, and a dossier asked for right after
 * enrolment shows as soon as its unit has arrived.
 */

const UNITS = 40;
const units: Unit[] = Array.from({ length: UNITS }, (_, i) => ({
  code: `T${String(i + 1).padStart(2, '0')}`,
  name: `测试第${i + 1}局`,
  aliases: [],
  kind: 'government',
}));
const cadres: Cadre[] = units.flatMap((u, i) =>
  [0, 1, 2].map(
    (j) =>
      ({
        id: `${u.code}-C${j}`,
        name: `干部${i}号${j}`,
        aliases: [],
        gender: 'male',
        birth: '1975-03',
        unitCode: u.code,
        post: '副局长',
        rank: '副处级',
      }) as Cadre,
  ),
);
const last = cadres.at(-1)!;
/** The workspace, every unit, and the user's own document (alerts already told: extension/lib/alert-host.ts). */
const BACKGROUND_DOCUMENTS = 1 + UNITS + 1;

async function metric(server: TestServer, name: string): Promise<number> {
  const text = await (await fetch(`${server.httpUrl}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1]);
}

const connection = (page: Page) => page.getByTestId('status-line').getAttribute('data-connection');

describe('the sync transport', () => {
  let server: TestServer;
  let ext: ExtensionBrowser;
  let token: string;

  beforeAll(async () => {
    server = await startTestServer();
    const admin = server.token({ user: 'admin', name: '管理员', grants: [{ role: 'admin', doc: '*' }] });
    await seed(server.url, admin, { units, cadres });
    token = unitEditorToken(server, 'alice', '张三');
    ext = await launchExtension();
  }, 120_000);
  afterAll(async () => {
    await ext?.close();
    await server?.close();
  });

  test('a dossier opened by link right after enrolment shows once its unit has arrived, not "not found"', async () => {
    await enrol(ext, server.url, token);
    // At once, while the background is still receiving the city: the last unit's cadre.
    const panel = await ext.page(`sidepanel.html#cadre/${last.id}`);
    await expect.poll(() => panel.locator('#dossier-name').textContent(), { timeout: 30_000 }).toContain(last.name);
    await panel.close();
  });

  test('the background keeps the whole city in step over one socket', async () => {
    const options = await ext.page('options.html');
    await expect.poll(() => connection(options), { timeout: 30_000 }).toBe('online');
    // The options page opens no document of its own: every socket the server sees is the background's.
    expect(await metric(server, 'dossierlens_connections')).toBe(1);
    expect(await metric(server, 'dossierlens_open_documents')).toBe(BACKGROUND_DOCUMENTS);
    await options.close();
  });

  test('after the browser stops the background, it is online again on one socket, and the options page says so', async () => {
    const options = await ext.page('options.html');
    await expect.poll(() => connection(options), { timeout: 30_000 }).toBe('online');
    const worker = await stopBackground(ext, options);
    // The page's status port closed with the worker; reconnecting starts it again.
    await expect.poll(() => worker.running(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => connection(options), { timeout: 30_000 }).toBe('online');
    await expect.poll(() => metric(server, 'dossierlens_connections'), { timeout: 10_000 }).toBe(1);
    await expect
      .poll(() => metric(server, 'dossierlens_open_documents'), { timeout: 10_000 })
      .toBe(BACKGROUND_DOCUMENTS);
    await options.close();
  });

  test('the options page follows the status as it changes, with its own timers stopped', async () => {
    const options = await ext.context.newPage();
    // Polling would need the page's timers: with them paused only pushed statuses get through.
    // (Last in this file: the clock is the whole browser context's.)
    await options.clock.install();
    await options.clock.pauseAt(Date.now() + 60_000);
    await options.goto(`chrome-extension://${ext.extensionId}/options.html`);
    await expect.poll(() => connection(options), { timeout: 30_000 }).toBe('online');
    await server.stop();
    await expect.poll(() => connection(options), { timeout: 30_000 }).toBe('offline');
    await server.restart();
    await expect.poll(() => connection(options), { timeout: 60_000 }).toBe('online');
    // The clock is the browser context's: every page of the extension shares it.
    await options.clock.resume();
    await options.close();
  });
});
