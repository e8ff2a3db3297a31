import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Server } from 'node:http';
import type { Page } from 'playwright-core';
import type { SubjectSummary } from '../../core/model/summary.ts';
import { saveScreenshot, type ExtensionBrowser, type TestServer } from './support/index.ts';
import {
  accessibleButtons,
  accessibleButtonsInOrder,
  attr,
  axNodes,
  badges,
  clickBackendNode,
  countStyles,
  piercedDocument,
  type CdpNode,
} from './support/cdp-badges.ts';
import { expectAccessible } from './support/axe.ts';
import { dossierOnlyStrings, expectedIndex, expectedLabel, PORTAL_CADRES, tx } from './support/portal-fixtures.ts';
import { openPortalScene } from './support/portal-scene.ts';
import { putRecordElsewhere } from './support/seed.ts';

/**
 * The portal overlay end to end: dossiers seeded through the real server, an officer enrolled
 * in the built extension, the project's fixture portals served on loopback and preset as portals
 * (as DOSSIER_LENS_PORTALS would). Badges live in closed shadow roots, so the test reads them
 * the way assistive technology does — through the DevTools protocol (DOM with `pierce` and the
 * accessibility tree) — while a page script proves the page itself cannot.
 */

// ---- reading the large table's layer through the DevTools protocol ---------------------------------

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

interface LayeredBadge {
  label: string;
  button: number;
  /** Drawn as the compact mark (class `compact`) rather than the full pill. */
  compact: boolean;
  /** The button's border box, in viewport coordinates (null while it is not rendered). */
  box: Box | null;
}

interface ShadowHost {
  nodeName: string;
  rootType: string;
  ownStyles: number;
  /** Attribute names on the host element in the page. */
  hostAttributes: string[];
  /** Where it is: inside the table, its next sibling (the layer's place), or elsewhere. */
  where: 'in-table' | 'after-table' | 'elsewhere';
}

function findNode(n: CdpNode, ok: (n: CdpNode) => boolean): { node: CdpNode; parent: CdpNode | null } | undefined {
  const visit = (x: CdpNode, parent: CdpNode | null): { node: CdpNode; parent: CdpNode | null } | undefined => {
    if (ok(x)) return { node: x, parent };
    for (const c of [...(x.children ?? []), ...(x.shadowRoots ?? [])]) {
      const f = visit(c, x);
      if (f) return f;
    }
    return x.contentDocument ? visit(x.contentDocument, x) : undefined;
  };
  return visit(n, null);
}

/** The node right after the table `#tableId` (the layer host goes there), if any. */
function nextToTable(root: CdpNode, tableId: string): CdpNode | undefined {
  const found = findNode(root, (n) => n.nodeName === 'TABLE' && attr(n, 'id') === tableId);
  if (!found?.parent) return undefined;
  const siblings = found.parent.children ?? [];
  return siblings[siblings.indexOf(found.node) + 1];
}

/**
 * Every element of the page with a shadow root of its own (badge hosts and layers alike; not the
 * browser's user-agent roots of inputs and such), and where it sits.
 */
async function shadowHosts(page: Page, tableId = 'roster'): Promise<ShadowHost[]> {
  const root = await piercedDocument(page);
  const table = findNode(root, (n) => n.nodeName === 'TABLE' && attr(n, 'id') === tableId)?.node;
  const after = nextToTable(root, tableId);
  const out: ShadowHost[] = [];
  const walk = (n: CdpNode, inTable: boolean) => {
    const here = inTable || n === table;
    const r = n.shadowRoots?.find((x) => x.shadowRootType !== 'user-agent');
    if (n.nodeType === 1 && r) {
      out.push({
        nodeName: n.nodeName,
        rootType: r.shadowRootType ?? '',
        ownStyles: countStyles(r),
        hostAttributes: (n.attributes ?? []).filter((_, i) => i % 2 === 0),
        where: here && n !== table ? 'in-table' : n === after ? 'after-table' : 'elsewhere',
      });
    }
    for (const c of [...(n.children ?? []), ...(n.shadowRoots ?? [])]) walk(c, here);
    if (n.contentDocument) walk(n.contentDocument, here);
  };
  walk(root, false);
  return out;
}

/**
 * The badges drawn in the layer of a large table (the bare span right after `#tableId`): each
 * button of its closed shadow root, in the layer's order, with its form and its box.
 */
async function layeredBadges(page: Page, tableId = 'roster'): Promise<LayeredBadge[]> {
  const layer = nextToTable(await piercedDocument(page), tableId);
  const root = layer?.nodeName === 'SPAN' ? layer.shadowRoots?.[0] : undefined;
  if (!root) return [];
  const buttons: CdpNode[] = [];
  const walk = (n: CdpNode) => {
    if (n.nodeName === 'BUTTON' && attr(n, 'aria-label')) buttons.push(n);
    for (const c of n.children ?? []) walk(c);
  };
  walk(root);
  const cdp = await page.context().newCDPSession(page);
  try {
    const out: LayeredBadge[] = [];
    for (const b of buttons) {
      let box: Box | null = null;
      try {
        const { model } = (await cdp.send('DOM.getBoxModel', { backendNodeId: b.backendNodeId })) as {
          model: { border: number[] };
        };
        const [x1, y1, , , x3, y3] = model.border as [number, number, number, number, number, number];
        box = { left: x1, top: y1, right: x3, bottom: y3 };
      } catch {
        // Not rendered (display: none): no box.
      }
      out.push({
        label: attr(b, 'aria-label')!,
        button: b.backendNodeId,
        compact: (attr(b, 'class') ?? '').split(/\s+/).includes('compact'),
        box,
      });
    }
    return out;
  } finally {
    await cdp.detach();
  }
}

/**
 * Where the text of cell `col` is drawn in the row whose first cell (序号) reads `row`: the rect of
 * its last line, from a Range over the cell's text node (as the name is drawn, not the cell's box).
 */
async function cellTextRects(
  page: Page,
  cells: { row: number; col: number }[],
  tableId = 'roster',
): Promise<(Box | null)[]> {
  return page.evaluate(
    ({ cells, tableId }) => {
      const table = document.getElementById(tableId) as HTMLTableElement;
      const byNumber = new Map<string, HTMLTableRowElement>();
      for (const r of table.rows) byNumber.set(r.cells[0]?.textContent ?? '', r);
      const range = document.createRange();
      return cells.map(({ row, col }) => {
        const text = byNumber.get(String(row))?.cells[col]?.firstChild;
        if (!text || text.nodeType !== Node.TEXT_NODE) return null;
        range.selectNodeContents(text);
        const rects = range.getClientRects();
        const r = rects[rects.length - 1];
        return r ? { left: r.left, top: r.top, right: r.right, bottom: r.bottom } : null;
      });
    },
    { cells, tableId },
  );
}

/** For each box, the page's texts drawn under it: every text node rect of the page it intersects. */
async function textsUnder(page: Page, boxes: Box[]): Promise<string[][]> {
  return page.evaluate((boxes) => {
    const out = boxes.map(() => [] as string[]);
    const range = document.createRange();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const t = n as Text;
      if (!t.data.trim()) continue;
      range.selectNodeContents(t);
      for (const r of range.getClientRects()) {
        if (r.width === 0 || r.height === 0) continue;
        boxes.forEach((b, i) => {
          if (b.left < r.right && r.left < b.right && b.top < r.bottom && r.top < b.bottom) {
            out[i]!.push(
              `"${t.data.trim()}" at ${r.left.toFixed(1)},${r.top.toFixed(1)}–${r.right.toFixed(1)},${r.bottom.toFixed(1)}`,
            );
          }
        });
      }
    }
    return out;
  }, boxes);
}

/** Every badge button's class list, by its accessible name (read through the pierced DOM). */
async function badgeClasses(page: Page): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const walk = (n: CdpNode) => {
    if (n.nodeName === 'BUTTON' && attr(n, 'aria-label'))
      out.set(attr(n, 'aria-label')!, (attr(n, 'class') ?? '').split(/\s+/));
    for (const c of [...(n.children ?? []), ...(n.shadowRoots ?? [])]) walk(c);
    if (n.contentDocument) walk(n.contentDocument);
  };
  walk(await piercedDocument(page));
  return out;
}

// ---- the tests ----------------------------------------------------------------------------------

describe('portal overlay', () => {
  let server: TestServer;
  let ext: ExtensionBrowser;
  let fixtures: { origin: string; server: Server };
  let index: SubjectSummary[] = [];
  let admin = '';
  let close: (() => Promise<void>) | undefined;

  const subject = (type: 'cadre' | 'unit', id: string) => {
    const s = index.find((x) => x.type === type && x.id === id);
    if (!s) throw new Error(`${type} ${id} not in the index`);
    return s;
  };
  /** The badge expected after `after`: a cadre or unit by id, or `?N` for an ambiguous name. */
  const want = (after: string, who: string, name = after): [string, string] => [after, expectedLabel(index, who, name)];
  const seen = async (page: Page) => (await badges(page)).map((b) => [b.after, b.label] as [string, string]);
  const open = async (file: string) => {
    const page = await ext.context.newPage();
    await page.goto(`${fixtures.origin}/${file}`);
    return page;
  };

  // ---- the large roster (roster-large.html, made by make-roster-large.ts) --------------------------

  /** Its rows, by their 序号, holding a seeded name or unit (or a look-alike), and whom they name. */
  const LARGE: { row: number; name: string; who: string | null; unit: string; unitWho: string | null }[] = [
    { row: 3, name: '张伟', who: 'C001', unit: '市交通运输局', unitWho: 'U02' },
    { row: 8, name: '王芳华', who: null, unit: '市民政局', unitWho: null }, // look-alike
    { row: 12, name: '王芳', who: 'C003', unit: '市教育局', unitWho: 'U01' },
    { row: 27, name: '刘洋', who: null, unit: '市教育局', unitWho: 'U01' }, // not in the dossiers
    { row: 41, name: '李娜娜', who: null, unit: '市卫生健康委员会', unitWho: 'U04' }, // look-alike
    { row: 58, name: '欧阳明', who: 'C004', unit: '市财政局', unitWho: 'U03' },
    { row: 77, name: '张伟明', who: null, unit: '市公安局', unitWho: null }, // look-alike
    { row: 95, name: '张伟', who: 'C002', unit: '市教育局', unitWho: 'U01' },
    { row: 130, name: '李娜', who: 'C005', unit: '市卫生健康委员会', unitWho: 'U04' },
    { row: 164, name: '阳明', who: null, unit: '市商务局', unitWho: null }, // part of 欧阳明
    { row: 222, name: '张\u3000伟', who: '?2', unit: '市民政局', unitWho: null }, // a third 张伟: the row cannot decide
    { row: 318, name: '王小芳', who: 'C003', unit: '市教育局', unitWho: 'U01' }, // her alias
    { row: 407, name: '欧阳明', who: 'C004', unit: '市财政局', unitWho: 'U03' },
    { row: 512, name: '张伟', who: 'C001', unit: '市交通运输局', unitWho: 'U02' },
    { row: 633, name: '王芳', who: 'C003', unit: '市教育局', unitWho: 'U01' },
    { row: 699, name: '李娜', who: 'C005', unit: '市卫生健康委员会', unitWho: 'U04' },
    { row: 700, name: '陈静', who: null, unit: '市财政局', unitWho: 'U03' }, // not in the dossiers
  ];
  interface LargeBadge {
    row: number;
    /** 1: the name column, 3: the unit column. */
    col: number;
    /** The cell's text (the name or unit the badge belongs to). */
    text: string;
    label: string;
  }
  /** The large roster's badges in document order (of the rows numbered `from` and below). */
  const largeExpected = (from = 1): LargeBadge[] =>
    LARGE.filter((r) => r.row >= from).flatMap((r) => [
      ...(r.who ? [{ row: r.row, col: 1, text: r.name, label: want(r.name, r.who)[1] }] : []),
      ...(r.unitWho ? [{ row: r.row, col: 3, text: r.unit, label: want(r.unit, r.unitWho)[1] }] : []),
    ]);
  type Form = 'mark' | 'pill';
  /**
   * The forms at the page's own column widths: the name column is as wide as its longest names
   * (three characters), so only the compact mark fits beside a name (a quiet pill beside a
   * two-character one); the unit column is sized by
   * 市卫生健康委员会, so the shorter units have room for their pills and it has not.
   */
  const tight = (e: LargeBadge): Form =>
    e.col === 1
      ? quiet(e) && [...e.text].length <= 2
        ? 'pill'
        : 'mark'
      : e.text === '市卫生健康委员会'
        ? 'mark'
        : 'pill';
  /**
   * A quiet badge (nothing that matters: README, "What a badge says") is only its grade letter, so
   * it fits beside a two-character name where a loud one (dots, warning, flag) only fits as a mark.
   */
  const quiet = (e: LargeBadge) => !/黑点|黄点|预警|负面清单|数据无效/.test(e.label);
  /** After the page widens the name column to 10em: pills there; the unit column unchanged. */
  const widened = (e: LargeBadge): Form => (e.col === 1 ? 'pill' : tight(e));
  const layeredLabels = async (page: Page) => (await layeredBadges(page)).map((b) => b.label);
  const openLarge = async () => {
    const page = await ext.context.newPage();
    // Wide enough for the whole table in the screenshots (its cells do not wrap).
    await page.setViewportSize({ width: 560, height: 900 });
    await page.goto(`${fixtures.origin}/roster-large.html`);
    return page;
  };
  /**
   * What is wrong with the large roster's layered badges (empty when nothing): they must be the
   * expected ones in order, each drawn in its expected form right after its own name (left edge
   * within 4 px of the name's end, overlapping the name's line) and over no text of the page.
   */
  const placementProblems = async (
    page: Page,
    expected: LargeBadge[],
    form: (e: LargeBadge) => Form,
  ): Promise<string[]> => {
    const layered = await layeredBadges(page);
    const labels = layered.map((b) => b.label);
    if (JSON.stringify(labels) !== JSON.stringify(expected.map((e) => e.label)))
      return [`badges: ${JSON.stringify(labels)}`];
    const names = await cellTextRects(page, expected);
    const problems: string[] = [];
    const drawn: { box: Box; what: string }[] = [];
    layered.forEach((b, i) => {
      const e = expected[i]!;
      const name = names[i];
      const what = `row ${e.row} ${e.label}`;
      if (!b.box || !name)
        return void problems.push(`${what}: not drawn (badge ${JSON.stringify(b.box)}, name ${JSON.stringify(name)})`);
      drawn.push({ box: b.box, what });
      const at = `badge ${JSON.stringify(b.box)}, name ${JSON.stringify(name)}`;
      if (b.box.left < name.right || b.box.left > name.right + 4)
        problems.push(`${what}: not right after its name: ${at}`);
      if (Math.min(b.box.bottom, name.bottom) - Math.max(b.box.top, name.top) <= 0)
        problems.push(`${what}: not on its name's line: ${at}`);
      if (b.compact !== (form(e) === 'mark'))
        problems.push(`${what}: drawn as ${b.compact ? 'mark' : 'pill'}, not ${form(e)}`);
    });
    (
      await textsUnder(
        page,
        drawn.map((d) => d.box),
      )
    ).forEach((texts, i) => {
      if (texts.length > 0)
        problems.push(`${drawn[i]!.what}: badge ${JSON.stringify(drawn[i]!.box)} covers ${texts.join('; ')}`);
    });
    return problems;
  };

  beforeAll(async () => {
    let officer: string;
    ({ server, admin, officer, fixtures, ext, close } = await openPortalScene());
    index = await expectedIndex(server.url, officer, PORTAL_CADRES);
  });

  afterAll(async () => {
    await close?.();
  });

  test('legacy GBK roster: right badges on right names, none on look-alikes, ambiguity shown', async () => {
    const page = await open('legacy-gbk.html');
    // The page decoded as GBK (its only charset signal is the meta tag).
    expect(await page.locator('#roster tr').nth(3).locator('td').nth(1).textContent()).toBe('王芳芳');
    const expected = [
      want('张伟', 'C001'),
      want('市交通运输局', 'U02'),
      want('张伟', 'C002'),
      want('市教育局', 'U01'),
      want('市教育局', 'U01'), // 王芳芳's row: the unit, not the look-alike
      want('张伟', '?2'), // a third 张伟 at 市财政局: neither known one
      want('市财政局', 'U03'),
      want('欧阳明', 'C004'),
      want('市财政局', 'U03'),
      want('李娜', 'C005'), // inside the page's own link
      want('市卫生健康委员会', 'U04'),
      want('王　芳', 'C003'), // a two-character name padded with a full-width space
      want('市教育局', 'U01'),
    ];
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
    const page = await open('profile.html');
    await expect
      .poll(() => seen(page), { timeout: 20_000 })
      .toEqual([
        want('王芳', 'C003'),
        want('市教育局', 'U01'),
        // In the web component's open shadow root, mid-sentence: badges after the text, named.
        want('考察组成员：李娜（市卫生健康委员会）', 'C005', '李娜'),
        want('考察组成员：李娜（市卫生健康委员会）', 'U04', '市卫生健康委员会'),
      ]);
    // What the user is typing stays exactly as typed.
    expect(await page.locator('#candidate').inputValue()).toBe('张伟');
    expect(await page.locator('#opinion').inputValue()).toBe('张伟同志、李娜同志均符合条件');
    expect(await page.locator('#notes').evaluate((e) => e.childNodes.length)).toBe(1);
    await page.close();
  });

  test('prose letter: each sentence resolves its own 张伟; look-alikes none; srcdoc frame scanned', async () => {
    const page = await open('letter.html');
    const p2 = '经研究，市教育局局长张伟同志拟参加年度评优。另，市交通运输局副局长张伟同志已于上月调离原岗位。';
    const p3 = '张伟同志的有关情况另行报送。王芳芳同志、欧阳明华同志不在本次范围，会议由王芳主持。';
    await expect
      .poll(() => seen(page), { timeout: 20_000 })
      .toEqual([
        want(p2, 'U01', '市教育局'),
        want(p2, 'C002', '张伟'),
        want(p2, 'U02', '市交通运输局'),
        want(p2, 'C001', '张伟'),
        want(p3, '?2', '张伟'),
        want(p3, 'C003', '王芳'),
        want('附件：欧阳明同志简历', 'C004', '欧阳明'),
      ]);
    // The page's text nodes are untouched: the paragraph is still one text node with its text.
    expect(await page.locator('#p2').evaluate((p) => p.firstChild?.nodeValue)).toBe(p2);
    await page.close();
  });

  test('SPA: badges arrive with the rows and follow pagination', async () => {
    const page = await open('spa.html');
    const page1 = [
      want('张伟', 'C002'),
      want('市教育局', 'U01'),
      want('王芳', 'C003'),
      want('市教育局', 'U01'),
      want('市教育局', 'U01'),
    ];
    await expect.poll(() => seen(page), { timeout: 20_000 }).toEqual(page1);
    await page.click('#page2');
    await expect
      .poll(() => seen(page), { timeout: 20_000 })
      .toEqual([want('李娜', 'C005'), want('市卫生健康委员会', 'U04')]);
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

  test('hostile strings: matched as text, nothing executed, the privacy probe finds nothing', async () => {
    const page = await open('hostile.html');
    await expect
      .poll(() => seen(page), { timeout: 20_000 })
      .toEqual([
        want(`<img src=x onerror="window.__pwned='cell'">王芳`, 'C003', '王芳'),
        want('市教育局', 'U01'),
        want('钱七<img src=x onerror=__pwned=9>', 'C006'),
        want('市教育局', 'U01'),
        want(`"><script>window.__pwned='script'</script>欧阳明`, 'C004', '欧阳明'),
        want('市财政局', 'U03'),
      ]);
    // Hover every badge (builds its card from the dossier's strings), then look for effects.
    for (const b of await badges(page)) await clickBackendNode(page, b.button, 'hover');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    await page.close();
  });

  test('privacy probe: a page script walking the DOM finds no dossier content on any fixture', async () => {
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
      await expect.poll(count, { timeout: 20_000 }).toBeGreaterThanOrEqual(large ? largeExpected().length : 1);
      await page.addScriptTag({ url: `${fixtures.origin}/probe.js` });
      const found = await page.evaluate(
        (f) => (window as unknown as { __probe(f: string[]): string[] }).__probe(f),
        forbidden,
      );
      expect(found, file).toEqual([]);
      await page.close();
    }
  });

  test('a badge click opens the side panel on that subject; an ambiguous one asks to choose', async () => {
    const page = await open('legacy-gbk.html');
    await expect.poll(async () => (await badges(page)).length, { timeout: 20_000 }).toBeGreaterThan(5);
    const all = await badges(page);
    type Session = {
      storage: { session: { get(k: string): Promise<Record<string, { target: unknown } | undefined>> } };
    };
    const target = () =>
      ext.background.evaluate(
        async () =>
          (await (globalThis as unknown as { chrome: Session }).chrome.storage.session.get('panelTarget')).panelTarget,
      );
    await clickBackendNode(page, all.find((b) => b.label.startsWith('欧阳明'))!.button);
    await expect
      .poll(async () => (await target())?.target, { timeout: 10_000 })
      .toEqual({ subject: { type: 'cadre', id: 'C004' } });
    await clickBackendNode(page, all.find((b) => b.label.includes(tx.ambiguous(2)))!.button);
    await expect
      .poll(async () => (await target())?.target, { timeout: 10_000 })
      .toEqual({
        candidates: expect.arrayContaining([
          { type: 'cadre', id: 'C001' },
          { type: 'cadre', id: 'C002' },
        ]),
      });
    await page.close();
  });

  // The large-roster tests expect the seeded dossiers: they run before the test that edits one (王芳's).
  test('large roster: one badge per known name, drawn in one layer beside the table, none in it, none on look-alikes', async () => {
    const page = await openLarge();
    // The fixture holds the names where this test expects them: 700 rows × 6 columns (a large table).
    const cells = await page.evaluate(() =>
      [...(document.getElementById('roster') as HTMLTableElement).rows].map((r) =>
        [...r.cells].map((c) => c.textContent ?? ''),
      ),
    );
    expect([cells.length, new Set(cells.map((r) => r.length))]).toEqual([701, new Set([6])]);
    for (const r of LARGE)
      expect([cells[r.row]![0], cells[r.row]![1], cells[r.row]![3]]).toEqual([String(r.row), r.name, r.unit]);
    const expected = largeExpected();
    // 张伟 resolved by its row's unit (C001 / C002), but not the third one, at an unknown unit.
    expect(
      expected.filter((e) => e.col === 1 && e.text.replace(/\s/g, '') === '张伟').map((e) => [e.row, e.label]),
    ).toEqual([
      [3, want('张伟', 'C001')[1]],
      [95, want('张伟', 'C002')[1]],
      [222, want('张\u3000伟', '?2')[1]],
      [512, want('张伟', 'C001')[1]],
    ]);
    await expect.poll(() => layeredLabels(page), { timeout: 20_000 }).toEqual(expected.map((e) => e.label));
    // Look-alikes and people not in the dossiers: no badge of theirs.
    const labels = await layeredLabels(page);
    for (const name of ['王芳华', '李娜娜', '张伟明', '阳明', '刘洋', '陈静'])
      expect(
        labels.filter((l) => l.startsWith(`${name} ·`)),
        name,
      ).toEqual([]);
    // Nothing was inserted in the table: no inline badge anywhere, no shadow host inside it, and
    // one layer host right after it — a bare span (only its guard style), closed, no own sheet.
    expect(await badges(page)).toEqual([]);
    expect(await shadowHosts(page)).toEqual([
      { nodeName: 'SPAN', rootType: 'closed', ownStyles: 0, hostAttributes: ['style'], where: 'after-table' },
    ]);
    expect(await page.evaluate(() => document.querySelectorAll('#roster span, #roster button').length)).toBe(0);
    await page.close();
  });

  test('large roster: each badge sits right after its own name, covers no text; compact marks in the tight name column', async () => {
    const page = await openLarge();
    const expected = largeExpected();
    await expect.poll(() => placementProblems(page, expected, tight), { timeout: 20_000 }).toEqual([]);
    // Both forms on one page: marks beside the names (quiet pills beside two-character ones),
    // pills beside the shorter units.
    const forms = (await layeredBadges(page)).map((b, i) => `${expected[i]!.col}:${b.compact ? 'mark' : 'pill'}`);
    expect(new Set(forms)).toEqual(new Set(['1:mark', '1:pill', '3:mark', '3:pill']));
    await saveScreenshot(page, 'overlay-large-table', { fullPage: false });
    await page.close();
  });

  test('large roster: widening the name column turns its marks into pills, still right after the names', async () => {
    const page = await openLarge();
    const expected = largeExpected();
    await expect.poll(() => placementProblems(page, expected, tight), { timeout: 20_000 }).toEqual([]);
    const before = await layeredBadges(page);
    await page.click('#widen');
    // No node changes, only the table's size: the ResizeObserver path places the badges again.
    await expect.poll(() => placementProblems(page, expected, widened), { timeout: 20_000 }).toEqual([]);
    // The unit column moved right with the wider name column, and its badges with it.
    const after = await layeredBadges(page);
    expected.forEach((e, i) => {
      if (e.col === 3) expect(after[i]!.box!.left - before[i]!.box!.left, `row ${e.row}`).toBeGreaterThan(50);
    });
    await saveScreenshot(page, 'overlay-large-table-wide', { fullPage: false });
    await page.close();
  });

  test('large roster at a fixed width: columns redistributed by a class change take their badges along', async () => {
    const page = await openLarge();
    const expected = largeExpected();
    // A full-width table (as legacy portals have): widening the name column now only shifts the
    // other columns, with no change to the table's size and no node changed.
    await page.addStyleTag({ content: '#roster { width: 100%; }' });
    // Which form fits depends on how the browser shares out the spare width: only placement counts.
    const placed = async () =>
      (await placementProblems(page, expected, tight)).filter((p) => !p.includes(': drawn as '));
    await expect.poll(placed, { timeout: 20_000 }).toEqual([]);
    await page.click('#widen');
    await expect.poll(placed, { timeout: 20_000 }).toEqual([]);
    await page.close();
  });

  test("large roster: a mark and a pill are centred on their name's line", async () => {
    const page = await openLarge();
    const expected = largeExpected();
    await expect.poll(() => placementProblems(page, expected, tight), { timeout: 20_000 }).toEqual([]);
    const names = await cellTextRects(page, expected);
    const off = (await layeredBadges(page)).map((b, i) =>
      Math.abs((b.box!.top + b.box!.bottom) / 2 - (names[i]!.top + names[i]!.bottom) / 2),
    );
    expect(Math.max(...off)).toBeLessThanOrEqual(1);
    await page.close();
  });

  test('large roster: deleted rows take their badges along; the others follow their names', async () => {
    const page = await openLarge();
    await expect.poll(() => placementProblems(page, largeExpected(), tight), { timeout: 20_000 }).toEqual([]);
    const before = await layeredBadges(page);
    await page.click('#delete100');
    expect(await page.locator('#count').textContent()).toBe('共 600 条记录');
    const expected = largeExpected(101);
    // The ten badges of rows 3–95 (张伟 C001 and C002, 王芳, 欧阳明, their units, two more units) go.
    expect(largeExpected().length - expected.length).toBe(10);
    await expect.poll(() => placementProblems(page, expected, tight), { timeout: 20_000 }).toEqual([]);
    // Every remaining badge moved up with its row, all by the same distance: the hundred rows' height.
    const after = await layeredBadges(page);
    const key = (e: LargeBadge) => `${e.row}/${e.col}`;
    const oldTop = new Map(largeExpected().map((e, i) => [key(e), before[i]!.box!.top]));
    const moved = new Set(expected.map((e, i) => Math.round(oldTop.get(key(e))! - after[i]!.box!.top)));
    expect(moved.size).toBe(1);
    expect([...moved][0]).toBeGreaterThan(100 * 15);
    expect((await shadowHosts(page)).map((h) => h.where)).toEqual(['after-table']);
    await page.close();
  });

  test('large roster: screen readers meet the layered badges in row order; a click opens the side panel on that subject', async () => {
    const page = await openLarge();
    const expected = largeExpected();
    const labels = new Set(expected.map((e) => e.label));
    await expect.poll(() => layeredLabels(page), { timeout: 20_000 }).toEqual(expected.map((e) => e.label));
    await expect
      .poll(async () => (await accessibleButtons(page)).filter((n) => labels.has(n)), { timeout: 10_000 })
      .toEqual(expected.map((e) => e.label));
    const all = await layeredBadges(page);
    const at = (row: number, col: number) => all[expected.findIndex((e) => e.row === row && e.col === col)]!;
    type Session = {
      storage: { session: { get(k: string): Promise<Record<string, { target: unknown } | undefined>> } };
    };
    const target = () =>
      ext.background.evaluate(
        async () =>
          (await (globalThis as unknown as { chrome: Session }).chrome.storage.session.get('panelTarget')).panelTarget,
      );
    // The 张伟 of row 512, far below the first screen (a compact mark), is C001.
    expect([at(512, 1).label, at(512, 1).compact]).toEqual([want('张伟', 'C001')[1], true]);
    await clickBackendNode(page, at(512, 1).button);
    await expect
      .poll(async () => (await target())?.target, { timeout: 10_000 })
      .toEqual({ subject: { type: 'cadre', id: 'C001' } });
    // The unit's pill in the same row opens the unit.
    await clickBackendNode(page, at(512, 3).button);
    await expect
      .poll(async () => (await target())?.target, { timeout: 10_000 })
      .toEqual({ subject: { type: 'unit', id: 'U02' } });
    // The third 张伟 (row 222) asks to choose.
    await clickBackendNode(page, at(222, 1).button);
    await expect
      .poll(async () => (await target())?.target, { timeout: 10_000 })
      .toEqual({
        candidates: expect.arrayContaining([
          { type: 'cadre', id: 'C001' },
          { type: 'cadre', id: 'C002' },
        ]),
      });
    await page.close();
  });

  test('a dossier edited elsewhere updates the badge on an open page', async () => {
    const page = await open('profile.html');
    const wangFang = async () => (await badges(page)).find((b) => b.after === '王芳')?.label ?? '';
    await expect.poll(wangFang, { timeout: 20_000 }).toBe(want('王芳', 'C003')[1]);
    expect(await wangFang()).not.toContain('红点');
    await putRecordElsewhere(server.url, admin, 'U01', {
      id: 'R9',
      subject: { type: 'cadre', id: 'C003' },
      colour: 'red',
      kind: 'commendation',
      decisionDate: '2025-08-01',
      sourceDept: '市委组织部',
      summary: '嘉奖',
      status: 'active',
    });
    await expect.poll(wangFang, { timeout: 20_000 }).toContain('红点1');
    await page.close();
  });

  test('per-portal hints: a div-laid-out profile resolves by its record; free-text columns get no person badge', async () => {
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

  test('keyboard: a badge is focusable, shows its card on focus, and Enter opens the dossier', async () => {
    const page = await open('legacy-gbk.html');
    await expect.poll(async () => (await badges(page)).length, { timeout: 20_000 }).toBeGreaterThan(5);
    const b = (await badges(page)).find((x) => x.label.startsWith('李娜'))!;
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('DOM.focus', { backendNodeId: b.button });
    await cdp.detach();
    // The card (role tooltip, in the top layer) carries the summary: unit, post, flags, legend.
    const li = subject('cadre', 'C005');
    await expect
      .poll(async () => {
        const c = await page.context().newCDPSession(page);
        const { nodes } = (await c.send('Accessibility.getFullAXTree')) as {
          nodes: { role?: { value: string }; name?: { value: string } }[];
        };
        await c.detach();
        return nodes.filter((n) => n.role?.value === 'StaticText').map((n) => n.name?.value ?? '');
      })
      .toEqual(expect.arrayContaining([`${li.unitName} · ${li.post}`, `⚑ ${tx.flags(li.flags)}`, tx.legend]));
    await saveScreenshot(page, 'overlay-card');
    await page.keyboard.press('Enter');
    type Session = {
      storage: { session: { get(k: string): Promise<Record<string, { target: unknown } | undefined>> } };
    };
    await expect
      .poll(
        async () =>
          (
            await ext.background.evaluate(
              async () =>
                (await (globalThis as unknown as { chrome: Session }).chrome.storage.session.get('panelTarget'))
                  .panelTarget,
            )
          )?.target,
        { timeout: 10_000 },
      )
      .toEqual({ subject: { type: 'cadre', id: 'C005' } });
    await page.close();
  });
  test('cadre information form laid out as a table: the name resolves by 干部编号 in another row; the id gets no badge of its own', async () => {
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
      const page = await open(file);
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

  test("WCAG 1.4.13: the card is hoverable, persistent and dismissable; its words are the badge's description", async () => {
    const page = await open('legacy-gbk.html');
    await expect.poll(async () => (await badges(page)).length, { timeout: 20_000 }).toBeGreaterThan(5);
    const li = subject('cadre', 'C005');
    const badge = (await badges(page)).find((x) => x.label.startsWith('李娜 · '))!;
    // The description reaches screen readers without hovering: unit and post, flags, legend.
    const described = (await axNodes(page)).find((n) => n.role?.value === 'button' && n.name?.value === badge.label);
    expect(described?.description?.value).toContain(`${li.unitName} · ${li.post}`);
    expect(described?.description?.value).toContain(tx.flags(li.flags));
    expect(described?.description?.value).toContain(tx.legend);
    const cardOpen = async () =>
      (await axNodes(page)).some((n) => n.role?.value === 'StaticText' && n.name?.value === tx.legend);
    expect(await cardOpen()).toBe(false);
    // Hover: the card opens below the badge; the pointer moves straight down onto it and it stays
    // (the leave is decided in the mouse event itself: no timer can close it later).
    await clickBackendNode(page, badge.button, 'hover');
    await expect.poll(cardOpen, { timeout: 5000 }).toBe(true);
    const cdp = await page.context().newCDPSession(page);
    const { model } = (await cdp.send('DOM.getBoxModel', { backendNodeId: badge.button })) as {
      model: { border: number[] };
    };
    await cdp.detach();
    const [x1, , , , , y3] = model.border as [number, number, number, number, number, number];
    for (let dy = 1; dy <= 16; dy += 3) await page.mouse.move(x1 + 4, y3 + dy);
    expect(await cardOpen()).toBe(true);
    // Escape dismisses it, though focus is on the page, not on the badge.
    await page.keyboard.press('Escape');
    await expect.poll(cardOpen, { timeout: 5000 }).toBe(false);
    // Leaving for the page closes it.
    await clickBackendNode(page, badge.button, 'hover');
    await expect.poll(cardOpen, { timeout: 5000 }).toBe(true);
    await page.mouse.move(2, 2);
    await expect.poll(cardOpen, { timeout: 5000 }).toBe(false);
    await page.close();
  });

  test('what a badge says: loud for what matters, quiet for the ordinary; a period that is over says so', async () => {
    const page = await open('form-table.html');
    await expect.poll(async () => (await badges(page)).length, { timeout: 20_000 }).toBe(4);
    const classes = await badgeClasses(page);
    const label = (who: string, name: string) => expectedLabel(index, who, name);
    // 张伟 C001: a black and a yellow dot, a period running. 赵敏: a black dot (period over).
    expect(classes.get(label('C001', '张伟'))).toContain('loud');
    expect(classes.get(label('C007', '赵敏'))).toContain('loud');
    // 张伟 C002: two red dots and an A: nothing that matters.
    expect(classes.get(label('C002', '张伟'))).toContain('quiet');
    const zhao = subject('cadre', 'C007');
    expect(zhao.dots.black).toBe(1);
    expect(zhao.periods).toEqual([]);
    expect(zhao.endedPeriods).toEqual(['党内严重警告 2020年7月21日，影响期已满']);
    const described = (await axNodes(page)).find(
      (n) => n.role?.value === 'button' && n.name?.value === label('C007', '赵敏'),
    );
    expect(described?.description?.value).toContain('党内严重警告 2020年7月21日，影响期已满');
    const b = (await badges(page)).find((x) => x.label === label('C007', '赵敏'))!;
    await clickBackendNode(page, b.button, 'hover');
    await expect
      .poll(
        async () =>
          (await axNodes(page)).some(
            (n) => n.role?.value === 'StaticText' && n.name?.value === '党内严重警告 2020年7月21日，影响期已满',
          ),
        { timeout: 5000 },
      )
      .toBe(true);
    await saveScreenshot(page, 'overlay-form-table-card');
    await page.close();
  });
  test("WCAG 2.4.3: badges that fall back into a large table's cells keep row order for keyboard and screen reader", async () => {
    const page = await ext.context.newPage();
    await page.setViewportSize({ width: 560, height: 900 });
    // A tight legacy stylesheet: no cell padding, so a three-character name's badge has no room
    // beside it (the next cell's text starts where the name ends) and goes into the cell.
    await page.addInitScript(() => {
      document.addEventListener('DOMContentLoaded', () => {
        const style = document.createElement('style');
        style.textContent = '#roster td, #roster th { padding: 0 !important; border: 0 !important; }';
        document.head.append(style);
      });
    });
    await page.goto(`${fixtures.origin}/roster-large.html`);
    // Compared by whom each badge names (an earlier test gave 王芳 a red dot, so her label changed).
    const whom = (label: string) => label.split(' · ')[0]!;
    const expected = largeExpected().map((e) => e.text);
    // Some badges went into the cells (inline hosts inside the table), the others are layered.
    await expect.poll(async () => (await badges(page)).length, { timeout: 30_000 }).toBeGreaterThan(0);
    await expect
      .poll(async () => (await accessibleButtonsInOrder(page)).filter((l) => l.includes(' · ')).map(whom), {
        timeout: 30_000,
      })
      .toEqual(expected);
    // Keyboard: the badges in the cells are out of the tab order; their stand-ins (in the layer,
    // in row order) take their place, and focusing one rings and opens the badge in the cell.
    const inCell = await badges(page);
    const root = await piercedDocument(page);
    const tabindex = (id: number) => {
      const found = findNode(root, (n) => n.backendNodeId === id);
      return found ? attr(found.node, 'tabindex') : undefined;
    };
    for (const b of inCell) expect(tabindex(b.button), b.label).toBe('-1');
    const stand = (await layeredBadges(page)).find((b) => b.label === inCell[0]!.label)!;
    expect(stand).toBeDefined();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('DOM.focus', { backendNodeId: stand.button });
    await cdp.detach();
    const ringed = async () => {
      const r = findNode(await piercedDocument(page), (n) => n.backendNodeId === inCell[0]!.button);
      return (attr(r!.node, 'class') ?? '').split(/\s+/).includes('proxy-focus');
    };
    await expect.poll(ringed, { timeout: 5000 }).toBe(true);
    expect((await axNodes(page)).some((n) => n.role?.value === 'StaticText' && n.name?.value === tx.legend)).toBe(true);
    await saveScreenshot(page, 'overlay-large-table-tight', { fullPage: false });
    await page.close();
  });
});
