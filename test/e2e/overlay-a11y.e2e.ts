import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DemoCity } from '../../core/demo/index.ts';
import { startPortal, type RunningPortal } from '../../demo/portal/server.ts';
import { expectAccessible } from './support/axe.ts';
import {
  accessibleButtonsInOrder,
  attr,
  axNodes,
  badges,
  piercedDocument,
  type CdpNode,
} from './support/cdp-badges.ts';
import { demoCityServer } from './support/demo-city.ts';
import {
  enrol,
  launchExtension,
  saveScreenshot,
  viewerToken,
  type ExtensionBrowser,
  type TestServer,
} from './support/index.ts';

/**
 * The overlay on the demo portal's roster (the first 200 of the demo city's 1,072 cadres, as
 * `npm start` serves it), read the way assistive technology reads it: axe over the page with its
 * badges, the portal's link names in the accessibility tree (WCAG 4.1.2), the badges' order for
 * keyboard and screen reader (2.4.3), and what the badges say (loud for what matters, quiet for
 * the ordinary: extension/overlay/README.md).
 */

/** Each badge button's accessible name and classes, in document order. */
async function buttons(page: Page): Promise<{ label: string; classes: string[] }[]> {
  const out: { label: string; classes: string[] }[] = [];
  const walk = (n: CdpNode) => {
    if (n.nodeName === 'BUTTON' && attr(n, 'aria-label'))
      out.push({ label: attr(n, 'aria-label')!, classes: (attr(n, 'class') ?? '').split(/\s+/) });
    for (const c of [...(n.children ?? []), ...(n.shadowRoots ?? [])]) walk(c);
  };
  walk(await piercedDocument(page));
  return out;
}

describe('the overlay on the demo roster, for keyboard and screen reader users', () => {
  let server: TestServer;
  let ext: ExtensionBrowser;
  let portal: RunningPortal;
  let city: DemoCity;

  beforeAll(async () => {
    ({ server, city } = await demoCityServer());
    portal = await startPortal({ host: '127.0.0.1', port: 0 });
    ext = await launchExtension({ portals: ['http://127.0.0.1/*'] });
    await enrol(ext, server.url, viewerToken(server, 'li', '李审查'));
  }, 300_000);
  afterAll(async () => {
    await ext?.close();
    await portal?.close();
    await server?.close();
  });

  test(
    'the roster with its badges: links keep their names, axe finds nothing serious, badges in row order, the ordinary quiet',
    { timeout: 240_000 },
    async () => {
      const page = await ext.context.newPage();
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(`${portal.url.replace(/\/$/, '')}/roster.html`);
      const rows = city.cadres.slice(0, 200);
      const names = new Set(rows.map((c) => c.name));
      // Every row's name has its badge (the background syncs the whole city first: generous wait).
      await expect
        .poll(async () => (await badges(page)).filter((b) => names.has(b.after)).length, {
          timeout: 180_000,
          interval: 1000,
        })
        .toBeGreaterThanOrEqual(rows.length);

      // WCAG 4.1.2: the portal's links to the profiles are named by the name alone.
      const links = (await axNodes(page)).filter((n) => n.role?.value === 'link').map((n) => n.name?.value ?? '');
      const nameLinks = links.filter((l) => [...names].some((n) => l.startsWith(n)));
      expect(nameLinks.length).toBeGreaterThanOrEqual(rows.length - 5);
      expect(nameLinks.filter((l) => !names.has(l))).toEqual([]);

      // axe over the page with its badges (their hosts are in the page; their content is closed).
      await expectAccessible(page, 'demo roster with badges');

      // WCAG 2.4.3: the badges come in the rows' order (each row: name, then unit).
      const order = (await badges(page)).filter((b) => names.has(b.after)).map((b) => b.after);
      const rowOrder = rows.map((c) => c.name).filter((n) => order.includes(n));
      expect(order.slice(0, 50)).toEqual(rowOrder.slice(0, 50));
      // Screen readers get the same buttons, in the same order.
      const ax = await accessibleButtonsInOrder(page);
      const seen = await buttons(page);
      expect(ax.filter((l) => seen.some((b) => b.label === l))).toEqual(seen.map((b) => b.label));

      // What the badges say: whatever names a black or yellow dot, a warning or a flag is loud; the
      // rest (a grade, red or blue dots only) is quiet — and the ordinary is most of the roster.
      const matters = /黑点|黄点|预警|负面清单/;
      for (const b of seen) if (matters.test(b.label)) expect(b.classes, b.label).toContain('loud');
      const quiet = seen.filter((b) => b.classes.includes('quiet')).length;
      const loud = seen.filter((b) => b.classes.includes('loud')).length;
      expect(quiet).toBeGreaterThan(loud);
      await saveScreenshot(page, 'overlay-demo-roster');
      await page.close();
    },
  );
});
