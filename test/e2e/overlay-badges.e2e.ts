import { describe, expect, test } from 'vitest';
import { saveScreenshot } from './support/index.ts';
import {
  accessibleButtons,
  axNodes,
  badges,
  clickBackendNode,
  piercedDocument,
  type CdpNode,
} from './support/cdp-badges.ts';
import { expectAccessible } from './support/axe.ts';
import { fixtureBadges, LETTER_P2 } from './support/fixture-badges.ts';
import { largeExpected, layeredBadges } from './support/large-roster.ts';
import { dossierOnlyStrings, runProbe } from './support/portal-fixtures.ts';
import { useOverlayStage } from './support/portal-scene.ts';

/**
 * Which names on the fixture portals get which badge, and what the page can learn from them:
 * dossiers seeded through the real server, an officer enrolled in the built extension, the
 * project's fixture portals served on loopback and preset as portals (as DOSSIER_LENS_PORTALS
 * would). Badges live in closed shadow roots, so the test reads them the way assistive technology
 * does — through the DevTools protocol (DOM with `pierce` and the accessibility tree) — while a
 * page script (the privacy probe, test/fixtures/portals/probe.js) proves the page itself cannot.
 * The large roster's layered badges have their own scene (overlay-large-table.e2e.ts), and the
 * badge card its own (overlay-card.e2e.ts).
 */
describe('portal overlay: the badges on the fixture portals', () => {
  const stage = useOverlayStage();

  test('legacy GBK roster: right badges on right names, none on look-alikes, ambiguity shown', async () => {
    const { open, seen, want } = stage();
    const page = await open('legacy-gbk.html');
    // The page decoded as GBK (its only charset signal is the meta tag).
    expect(await page.locator('#roster tr').nth(3).locator('td').nth(1).textContent()).toBe('王芳芳');
    const expected = fixtureBadges(want)['legacy-gbk.html'];
    await expect.poll(() => seen(page), { timeout: 20_000 }).toEqual(expected);
    // Every badge: a closed shadow root, no stylesheet of its own, nothing but the guard style on the host.
    for (const b of await badges(page)) {
      expect(b.rootType).toBe('closed');
      expect(b.ownStyles).toBe(0);
      expect(b.hostAttributes).toEqual(['style']);
    }
    // Screen readers get the same names from the accessibility tree.
    const ax = await accessibleButtons(page);
    for (const [, label] of expected) expect(ax).toContain(label);
    expect(ax.find((n) => n.startsWith('张伟 · '))).toMatch(/黑点1/);
    await saveScreenshot(page, 'overlay-roster');
    await page.close();
  });

  test('profile form: text badged, inputs, textarea and editable regions never; open shadow roots yes', async () => {
    const { open, seen, want } = stage();
    const page = await open('profile.html');
    await expect.poll(() => seen(page), { timeout: 20_000 }).toEqual(fixtureBadges(want)['profile.html']);
    // What the user is typing stays exactly as typed.
    expect(await page.locator('#candidate').inputValue()).toBe('张伟');
    expect(await page.locator('#opinion').inputValue()).toBe('张伟同志、李娜同志均符合条件');
    expect(await page.locator('#notes').evaluate((e) => e.childNodes.length)).toBe(1);
    await page.close();
  });

  test('prose letter: each sentence resolves its own 张伟; look-alikes none; srcdoc frame scanned', async () => {
    const { open, seen, want } = stage();
    const page = await open('letter.html');
    await expect.poll(() => seen(page), { timeout: 20_000 }).toEqual(fixtureBadges(want)['letter.html']);
    // The page's text nodes are untouched: the paragraph is still one text node with its text.
    expect(await page.locator('#p2').evaluate((p) => p.firstChild?.nodeValue)).toBe(LETTER_P2);
    await page.close();
  });

  test('SPA: badges arrive with the rows and follow pagination', async () => {
    const { open, seen, want } = stage();
    const page = await open('spa.html');
    const expected = fixtureBadges(want);
    const page1 = expected['spa.html'];
    await expect.poll(() => seen(page), { timeout: 20_000 }).toEqual(page1);
    await page.click('#page2');
    await expect.poll(() => seen(page), { timeout: 20_000 }).toEqual(expected['spa.html?page=2']);
    expect(page.url()).toContain('?page=2');
    await page.click('#page1');
    await expect.poll(() => seen(page), { timeout: 20_000 }).toEqual(page1);
    // A burst of 400 appended rows (more mutation records than the incremental path takes)
    // goes through the full rescan and badges the new rows too.
    await page.click('#bulk');
    const wangFangRow = [want('王芳', 'C003'), want('市教育局', 'U01')];
    await expect
      .poll(() => seen(page), { timeout: 20_000 })
      .toEqual([...page1, ...wangFangRow, ...wangFangRow, ...wangFangRow, ...wangFangRow]);
    await page.close();
  });

  test('per-portal hints: a div-laid-out profile resolves by its record; free-text columns get no person badge', async () => {
    const { ext, open, seen, want } = stage();
    // Without hints the profile is too long to be one card: the name's context is its own row.
    let page = await open('hints.html');
    await expect
      .poll(() => seen(page), { timeout: 20_000 })
      .toEqual([want('张伟', '?2'), want('市教育局', 'U01'), want('曾与张伟同志共事', '?2', '张伟')]);
    await page.close();
    await ext.background.evaluate(
      async (hints) => {
        await (
          globalThis as unknown as { chrome: { storage: { local: { set(v: object): Promise<void> } } } }
        ).chrome.storage.local.set({ overlayHints: hints });
      },
      [{ match: 'http://127.0.0.1/*', record: '.profile', name: '.xm' }],
    );
    page = await open('hints.html');
    await expect.poll(() => seen(page), { timeout: 20_000 }).toEqual([want('张伟', 'C002'), want('市教育局', 'U01')]);
    await page.close();
    await ext.background.evaluate(async () => {
      await (
        globalThis as unknown as { chrome: { storage: { local: { remove(k: string): Promise<void> } } } }
      ).chrome.storage.local.remove('overlayHints');
    });
  });

  test('cadre information form laid out as a table: the name resolves by 干部编号 in another row; the id gets no badge of its own', async () => {
    const { open, seen, want } = stage();
    const page = await open('form-table.html');
    // Form A: 张伟 (in the page's link) with C001 and 市交通运输局 in other rows; form B: 张伟 with
    // C002 only; form C: 赵敏 with C007. No badge on the ids.
    await expect
      .poll(() => seen(page), { timeout: 20_000 })
      .toEqual([want('张伟', 'C001'), want('市交通运输局', 'U02'), want('张伟', 'C002'), want('赵敏', 'C007')]);
    await page.close();
  });

  test("WCAG 4.1.2: a name in the portal's link gets its badge after the link; the link keeps its own name", async () => {
    for (const [file, name] of [
      ['legacy-gbk.html', '李娜'],
      ['form-table.html', '张伟'],
    ] as const) {
      const page = await stage().open(file);
      await expect
        .poll(async () => (await badges(page)).some((b) => b.label.startsWith(`${name} · `)), { timeout: 20_000 })
        .toBe(true);
      const names = (await axNodes(page)).filter((n) => n.role?.value === 'link').map((n) => n.name?.value ?? '');
      expect(names, file).toContain(name);
      expect(
        names.filter((l) => l.includes(' · ')),
        file,
      ).toEqual([]);
      // The badge host is the link's next sibling, not inside it.
      const hostsIn = (n: CdpNode): number =>
        (n.shadowRoots?.some((r) => r.shadowRootType !== 'user-agent') ? 1 : 0) +
        (n.children ?? []).reduce((a, c) => a + hostsIn(c), 0);
      const links: CdpNode[] = [];
      const collect = (n: CdpNode) => {
        if (n.nodeName === 'A') links.push(n);
        for (const c of n.children ?? []) collect(c);
      };
      collect(await piercedDocument(page));
      expect(links.length, file).toBeGreaterThan(0);
      expect(
        links.map(hostsIn).reduce((a, b) => a + b, 0),
        file,
      ).toBe(0);
      // (The legacy page has no lang attribute of its own: the portal's fault, not the badges'.)
      if (file === 'form-table.html') await expectAccessible(page, `${file} with badges`);
      await page.close();
    }
  });

  // ---- what the page can see: nothing of the dossiers ----------------------------------------

  test('hostile strings: matched as text, nothing executed, the privacy probe finds nothing', async () => {
    const { open, seen, want } = stage();
    const page = await open('hostile.html');
    await expect.poll(() => seen(page), { timeout: 20_000 }).toEqual(fixtureBadges(want)['hostile.html']);
    // Hover every badge (builds its card from the dossier's strings), then look for effects.
    for (const b of await badges(page)) await clickBackendNode(page, b.button, 'hover');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    await page.close();
  });

  test('privacy probe: a page script walking the DOM finds no dossier content on any fixture', async () => {
    const { index, open, fixtures } = stage();
    const forbidden = dossierOnlyStrings(index);
    for (const file of [
      'legacy-gbk.html',
      'profile.html',
      'letter.html',
      'hostile.html',
      'spa.html',
      'roster-large.html',
      'form-table.html',
    ]) {
      const page = await open(file);
      // The large roster's badges are all in its table's layer: the probe runs once every one is there.
      const large = file === 'roster-large.html';
      const count = async () => (large ? (await layeredBadges(page)).length : (await badges(page)).length);
      await expect.poll(count, { timeout: 20_000 }).toBeGreaterThanOrEqual(large ? largeExpected(index).length : 1);
      expect(await runProbe(page, fixtures.origin, forbidden), file).toEqual([]);
      await page.close();
    }
  });
});
