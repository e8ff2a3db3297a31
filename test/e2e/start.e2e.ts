import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import WebSocket from 'ws';
import messages from '../../extension/public/_locales/zh_CN/messages.json';
import { accessibleName } from '../../extension/overlay/badge.ts';
import { overlayTextFrom } from '../../extension/overlay/text-table.ts';
import { generateCity } from '../../core/demo/index.ts';
import { ensureBuilt, launchExtension, ROOT, saveScreenshot, type ExtensionBrowser } from './support/index.ts';
import { nodeWorkspace } from './support/seed.ts';

/**
 * `npm start` end to end, from a clean data directory: the demo city is loaded through the import,
 * the printed token enrols the built extension, and the demo portal's names get badges. The build
 * step is skipped (--no-build) because the e2e run already has the build `npm test` made; the
 * harness presets the portal pattern on its copy of that build, exactly what start's own build
 * does through DOSSIER_LENS_PORTALS.
 */

interface Started {
  child: ChildProcess;
  out: () => string;
  lines: Record<'extension' | 'server' | 'token' | 'portal', string>;
}

async function start(dataDir: string): Promise<Started> {
  // Its own process group, so the test can send Ctrl-C's SIGINT the way a terminal does.
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'demo/start.ts', '--no-build', '--data', dataDir, '--port', '0', '--portal-port', '0'],
    {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const end = Date.now() + 150_000;
  while (!/^ {2}portal: /m.test(out)) {
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${out}`);
    if (Date.now() > end) throw new Error(`npm start did not get ready:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const line = (key: string) => new RegExp(`^ {2}${key}: (\\S+)$`, 'm').exec(out)?.[1] ?? '';
  return {
    child,
    out: () => out,
    lines: { extension: line('extension'), server: line('server'), token: line('token'), portal: line('portal') },
  };
}

async function ctrlC(s: Started): Promise<number | null> {
  process.kill(-s.child.pid!, 'SIGINT');
  const end = Date.now() + 20_000;
  while (s.child.exitCode === null && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
  return s.child.exitCode;
}

/** Names of the badge buttons (closed shadow roots) as the accessibility tree exposes them. */
async function badgeLabels(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
    nodes: { role?: { value: string }; name?: { value: string } }[];
  };
  await cdp.detach();
  return nodes
    .filter((n) => n.role?.value === 'button' && (n.name?.value ?? '').includes(' · '))
    .map((n) => n.name!.value);
}

const canConnect = (url: string) =>
  new Promise<boolean>((resolve) => {
    const ws = new WebSocket(`${url}/workspace`);
    ws.on('error', () => resolve(false));
    ws.on('open', () => {
      ws.close();
      resolve(true);
    });
    ws.on('unexpected-response', () => resolve(true));
  });

describe('npm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'dl-start-'));
  const city = generateCity();
  let s: Started | undefined;
  let ext: ExtensionBrowser | undefined;

  beforeAll(async () => {
    ensureBuilt();
    s = await start(dataDir);
  }, 180_000);
  afterAll(async () => {
    await ext?.close();
    if (s && s.child.exitCode === null) await ctrlC(s);
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('from a clean data dir it loads the demo city through the import and prints what to do next', () => {
    const out = s!.out();
    expect(out).toContain('首次启动：通过导入功能载入演示城市「澜江市」');
    expect(out).toMatch(/导入 澜江市单位名录\.csv：98 行，units \+98/);
    expect(out).toMatch(/导入 澜江市市管干部花名册\.xlsx：1072 行，cadres \+1072/);
    expect(out).not.toMatch(/行有问题/);
    expect(s!.lines.extension).toBe(join(ROOT, '.output/chrome-mv3'));
    expect(existsSync(join(s!.lines.extension, 'manifest.json'))).toBe(true);
    expect(s!.lines.server).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    expect(s!.lines.token).toMatch(/^dl1\./);
    expect(s!.lines.portal).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(existsSync(join(dataDir, 'sync-server'))).toBe(true);
  });

  // Generous timeouts: the background syncs the whole city (99 documents) before the first badge,
  // and CI machines are shared.
  test('the printed token enrols the extension, and the demo portal shows badges', { timeout: 180_000 }, async () => {
    ext = await launchExtension({ portals: ['http://127.0.0.1/*'] });
    const options = await ext.page('options.html');
    await options.getByLabel('服务器地址').fill(s!.lines.server);
    await options.getByLabel('访问令牌').fill(s!.lines.token);
    await options.getByRole('button', { name: '连接' }).click();
    await options.getByTestId('whoami-name').getByText('演示用户').waitFor({ timeout: 30_000 });
    await options.close();

    // A cadre with a black dot and a name no one else in the city has: its badge must say so.
    const names = new Map<string, number>();
    for (const c of city.cadres) names.set(c.name, (names.get(c.name) ?? 0) + 1);
    const black = city.records.find(
      (r) =>
        r.colour === 'black' &&
        r.subject.type === 'cadre' &&
        names.get(city.cadres.find((c) => c.id === r.subject.id)!.name) === 1,
    )!;
    const cadre = city.cadres.find((c) => c.id === black.subject.id)!;

    // The expected label, computed by the same library from the same server as the officer.
    const ws = await nodeWorkspace(s!.lines.server, s!.lines.token);
    let expected: string;
    try {
      const open = await ws.unit(cadre.unitCode);
      const end = Date.now() + 30_000;
      while (!(open.synced.provider.synced && ws.index.all().some((x) => x.id === cadre.id))) {
        if (Date.now() > end) throw new Error('the officer workspace did not index the cadre');
        await new Promise((r) => setTimeout(r, 100));
      }
      const summary = ws.index.all().find((x) => x.type === 'cadre' && x.id === cadre.id)!;
      expect(summary.dots.black).toBeGreaterThanOrEqual(1);
      expected = accessibleName(
        { kind: 'subject', subject: summary, by: 'unique' },
        cadre.name,
        overlayTextFrom(messages),
      );
    } finally {
      await ws.close();
    }

    const page = await ext.context.newPage();
    await page.goto(`${s!.lines.portal}roster.html?unit=${cadre.unitCode}`);
    const roster = city.cadres.filter((c) => c.unitCode === cadre.unitCode);
    // Every name in the legacy (GBK) roster gets a badge, and the black-dot cadre's says 黑点.
    await expect
      .poll(
        async () => (await badgeLabels(page)).filter((l) => roster.some((c) => l.startsWith(`${c.name} · `))).length,
        { timeout: 90_000 },
      )
      .toBeGreaterThanOrEqual(roster.length);
    expect(await badgeLabels(page)).toContain(expected);
    expect(expected).toMatch(/黑点\d/);
    await page.setViewportSize({ width: 1100, height: 640 });
    await saveScreenshot(page, 'demo-portal-roster');

    // The SPA list: badges follow its client-side pagination.
    await page.goto(`${s!.lines.portal}spa.html#/page/1`);
    const pageNames = (p: number) => city.cadres.slice((p - 1) * 20, p * 20).map((c) => c.name);
    const covered = async (p: number) => {
      const labels = await badgeLabels(page);
      return pageNames(p).filter((n) => labels.some((l) => l.startsWith(`${n} · `))).length;
    };
    await expect.poll(() => covered(1), { timeout: 30_000 }).toBe(20);
    await page.getByRole('button', { name: '下一页' }).click();
    await expect.poll(() => covered(2), { timeout: 30_000 }).toBe(20);
    await page.close();
  });

  test('Ctrl-C stops everything; a second start on the same data dir does not load the demo again', async () => {
    expect(await ctrlC(s!)).toBe(0);
    expect(await canConnect(s!.lines.server)).toBe(false);
    s = await start(dataDir);
    expect(s.out()).not.toContain('首次启动');
    expect(await canConnect(s.lines.server)).toBe(true);
    expect(await ctrlC(s)).toBe(0);
  }, 180_000);
});
