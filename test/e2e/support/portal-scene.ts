import type { Server } from 'node:http';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import type { SubjectSummary } from '../../../core/model/summary.ts';
import { badges } from './cdp-badges.ts';
import { launchExtension, type ExtensionBrowser } from './extension.ts';
import type { Want } from './fixture-badges.ts';
import { expectedIndex, expectedLabel, PORTAL_CADRES, PORTAL_SEED, startFixtureServer } from './portal-fixtures.ts';
import { seededServer, viewerToken } from './officers.ts';
import type { TestServer } from './server.ts';

/**
 * A real server holding the fixture portals' dossiers, seeded through the sync path by `admin`
 * (who can also write as a colleague elsewhere later).
 */
export const portalServer = (): Promise<{ server: TestServer; admin: string }> =>
  seededServer(PORTAL_SEED, { user: 'seed', name: '种子' });

/**
 * The overlay scenes' common stage: the portal server, the fixture portals on loopback (preset as
 * portals), and officer 李四 (viewer everywhere) enrolled in the built extension through the
 * options page.
 */
export interface PortalScene {
  server: TestServer;
  admin: string;
  officer: string;
  fixtures: { origin: string; server: Server };
  ext: ExtensionBrowser;
  close(): Promise<void>;
}

export async function openPortalScene(opts: { backForwardCache?: boolean } = {}): Promise<PortalScene> {
  const { server, admin } = await portalServer();
  const officer = viewerToken(server, 'officer', '李四');
  const fixtures = await startFixtureServer();
  const ext = await launchExtension({ portals: ['http://127.0.0.1/*'], ...opts });
  const options = await ext.page('options.html');
  await options.getByLabel('服务器地址').fill(server.url);
  await options.getByLabel('访问令牌').fill(officer);
  await options.getByRole('button', { name: '连接' }).click();
  await options.getByTestId('whoami-name').getByText('李四').waitFor({ timeout: 20_000 });
  await options.close();
  return {
    server,
    admin,
    officer,
    fixtures,
    ext,
    async close() {
      await ext.close();
      await server.close();
      fixtures.server.close();
    },
  };
}

/**
 * The portal scene with what the overlay tests read it by: the index the extension will hold (the
 * expected badges are spelled from it) and small readers of the pages and the background.
 */
export interface OverlayStage extends PortalScene {
  index: SubjectSummary[];
  /** The index's summary of a cadre or unit (throws when it is not there). */
  subject(type: 'cadre' | 'unit', id: string): SubjectSummary;
  want: Want;
  /** The page's badges as [the text they follow, their accessible name], in document order. */
  seen(page: Page): Promise<[string, string][]>;
  /** A new tab on the fixture portal page `file`. */
  open(file: string): Promise<Page>;
  /** What the last badge click asked the side panel to show (a subject, or candidates to choose from). */
  panelTarget(): Promise<unknown>;
}

/** The side panel's target after a click on a 张伟 the page cannot decide: choose between the two. */
export const CHOOSE_ZHANG_WEI = {
  candidates: expect.arrayContaining([
    { type: 'cadre', id: 'C001' },
    { type: 'cadre', id: 'C002' },
  ]),
};

export async function openOverlayStage(): Promise<OverlayStage> {
  const scene = await openPortalScene();
  const index = await expectedIndex(scene.server.url, scene.officer, PORTAL_CADRES);
  type Session = {
    storage: { session: { get(k: string): Promise<Record<string, { target: unknown } | undefined>> } };
  };
  return {
    ...scene,
    index,
    subject(type, id) {
      const s = index.find((x) => x.type === type && x.id === id);
      if (!s) throw new Error(`${type} ${id} not in the index`);
      return s;
    },
    want: (after, who, name = after) => [after, expectedLabel(index, who, name)],
    seen: async (page) => (await badges(page)).map((b) => [b.after, b.label] as [string, string]),
    async open(file) {
      const page = await scene.ext.context.newPage();
      await page.goto(`${scene.fixtures.origin}/${file}`);
      return page;
    },
    async panelTarget() {
      const stored = await scene.ext.background.evaluate(
        async () =>
          (await (globalThis as unknown as { chrome: Session }).chrome.storage.session.get('panelTarget')).panelTarget,
      );
      return stored?.target;
    },
  };
}

/**
 * A file's overlay stage: opened before its tests, closed after them (call it in the `describe`).
 * The tests read the stage through the returned function once it is open.
 */
export function useOverlayStage(): () => OverlayStage {
  let stage: OverlayStage | undefined;
  beforeAll(async () => {
    stage = await openOverlayStage();
  });
  afterAll(async () => {
    await stage?.close();
  });
  return () => {
    if (!stage) throw new Error('the overlay stage is not open (useOverlayStage outside a describe?)');
    return stage;
  };
}
