import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import {
  editorToken,
  enrol,
  launchExtension,
  seededServer,
  type ExtensionBrowser,
  type TestServer,
} from './support/index.ts';
import { gatedProxy, type Gate } from './support/gate.ts';

/**
 * What a new officer meets first (issue 11, items 1 and 2): a new profile that opens a dossier
 * while its first sync is still running. The server sits behind a gate that holds documents back
 * (the shared socket's handshake, then the frames of chosen documents on it), so "not synced yet"
 * lasts exactly as long as the test wants, without timers.
 */

/**
 * Opens an extension page with a recorder installed before its first script runs: every state the
 * status line shows, and whether "not found" was ever said. Read with `recorded(page)`.
 */
async function recordedPage(ext: ExtensionBrowser, path: string): Promise<Page> {
  const page = await ext.context.newPage();
  await page.addInitScript(() => {
    const seen: { states: string[]; notFound: boolean } = { states: [], notFound: false };
    (globalThis as any).__recorded = seen;
    new MutationObserver(() => {
      const state = document.querySelector('[data-testid=status-line]')?.getAttribute('data-connection');
      if (state && seen.states[seen.states.length - 1] !== state) seen.states.push(state);
      if (
        document.querySelector('[data-testid=dossier-waiting][data-state=not-found]') ||
        /本机档案中没有/.test(document.body?.textContent ?? '')
      )
        seen.notFound = true;
    }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  });
  await page.goto(`chrome-extension://${ext.extensionId}/${path}`);
  return page;
}

const recorded = (page: Page) =>
  page.evaluate(() => (globalThis as any).__recorded as { states: string[]; notFound: boolean });
const connection = (page: Page) => page.getByTestId('status-line').getAttribute('data-connection');
const waiting = (page: Page) => page.getByTestId('dossier-waiting');

describe('first sync on a new device', () => {
  let server: TestServer;
  let gate: Gate;
  let ext: ExtensionBrowser;

  beforeAll(async () => {
    ({ server } = await seededServer());
    gate = await gatedProxy(server.port);
    ext = await launchExtension();
  });
  afterAll(async () => {
    await ext?.close();
    await gate?.close();
    await server?.close();
  });

  test('a dossier opened during the first sync says it is on its way, never "not found", and shows the moment it arrives', async () => {
    gate.hold();
    await enrol(ext, gate.url, editorToken(server, 'alice', '张三'));
    const panel = await recordedPage(ext, 'sidepanel.html#cadre/C001');

    // Nothing has reached the server yet: connecting (not offline), and the dossier is expected.
    await expect.poll(() => waiting(panel).getAttribute('data-state'), { timeout: 20_000 }).toBe('syncing');
    expect(await connection(panel)).toBe('connecting');
    expect(await panel.getByTestId('status-line').textContent()).toContain('连接中');
    expect(await waiting(panel).textContent()).toContain('C001 的档案到达后立即显示');

    // The directory arrives, the units do not yet (the background has asked for its unit on the
    // shared socket, and the gate holds that document's frames): the panel is online (it has only
    // the directory open) — the moment that used to read "本机档案中没有 C001" — and says how far
    // the sync is.
    gate.release((doc) => !doc.startsWith('unit:'));
    await expect.poll(() => connection(panel), { timeout: 20_000 }).toBe('online');
    await expect.poll(() => gate.heldFrames(), { timeout: 20_000 }).toContain('unit:A01');
    await expect.poll(() => waiting(panel).textContent(), { timeout: 20_000 }).toContain('已同步 0 / 1 个单位');

    // The unit arrives: the dossier shows without reopening the panel.
    gate.release();
    await expect.poll(() => panel.locator('#dossier-name').textContent(), { timeout: 20_000 }).toContain('张伟');
    await expect.poll(() => panel.locator('[data-record-id]').count(), { timeout: 20_000 }).toBe(3);

    const { states, notFound } = await recorded(panel);
    expect(notFound).toBe(false);
    expect(states[0]).toBe('connecting');
    expect(states).not.toContain('offline');
    await panel.close();
  });

  test('opening the panel while connected says 连接中 until online, never 离线', async () => {
    const panel = await recordedPage(ext, 'sidepanel.html#cadre/C002');
    await expect.poll(() => connection(panel), { timeout: 20_000 }).toBe('online');
    await expect.poll(() => panel.locator('#dossier-name').textContent(), { timeout: 20_000 }).toContain('欧阳芳');
    const { states } = await recorded(panel);
    expect(states[0]).toBe('connecting');
    expect(states).not.toContain('offline');
    await panel.close();
  });

  test('a subject that is in no unit in scope is "not found" once the first sync is complete', async () => {
    const panel = await recordedPage(ext, 'sidepanel.html#cadre/NOBODY');
    await expect.poll(() => waiting(panel).getAttribute('data-state'), { timeout: 20_000 }).toBe('not-found');
    expect(await waiting(panel).textContent()).toContain('本机档案中没有 NOBODY');
    await panel.close();
  });
});
