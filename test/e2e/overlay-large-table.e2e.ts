import { describe, expect, test } from 'vitest';
import { saveScreenshot } from './support/index.ts';
import {
  accessibleButtons,
  accessibleButtonsInOrder,
  attr,
  axNodes,
  badges,
  clickBackendNode,
  focusBackendNode,
  piercedDocument,
} from './support/cdp-badges.ts';
import {
  cellTextRects,
  findNode,
  LARGE,
  largeExpected,
  layeredBadges,
  layeredLabels,
  openLarge,
  placementProblems,
  shadowHosts,
  tight,
  widened,
  type LargeBadge,
} from './support/large-roster.ts';
import { tx } from './support/portal-fixtures.ts';
import { CHOOSE_ZHANG_WEI, useOverlayStage } from './support/portal-scene.ts';

/**
 * The large roster (700 rows × 6 columns, test/fixtures/portals/roster-large.html): too large a
 * table for inline badges, so they are drawn in one layer right after the table — each right after
 * its own name, covering no text, following the names when the columns or rows change — and
 * screen readers and the keyboard still meet them in row order.
 */
describe('portal overlay: a large table', () => {
  const stage = useOverlayStage();

  const open = () => openLarge(stage().ext, stage().fixtures.origin);

  test('large roster: one badge per known name, drawn in one layer beside the table, none in it, none on look-alikes', async () => {
    const { want } = stage();
    const page = await open();
    // The fixture holds the names where this test expects them: 700 rows × 6 columns (a large table).
    const cells = await page.evaluate(() =>
      [...(document.getElementById('roster') as HTMLTableElement).rows].map((r) =>
        [...r.cells].map((c) => c.textContent ?? ''),
      ),
    );
    expect([cells.length, new Set(cells.map((r) => r.length))]).toEqual([701, new Set([6])]);
    for (const r of LARGE)
      expect([cells[r.row]![0], cells[r.row]![1], cells[r.row]![3]]).toEqual([String(r.row), r.name, r.unit]);
    const expected = largeExpected(stage().index);
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
    const page = await open();
    const expected = largeExpected(stage().index);
    await expect.poll(() => placementProblems(page, expected, tight), { timeout: 20_000 }).toEqual([]);
    // Both forms on one page: marks beside the names (quiet pills beside two-character ones),
    // pills beside the shorter units.
    const forms = (await layeredBadges(page)).map((b, i) => `${expected[i]!.col}:${b.compact ? 'mark' : 'pill'}`);
    expect(new Set(forms)).toEqual(new Set(['1:mark', '1:pill', '3:mark', '3:pill']));
    await saveScreenshot(page, 'overlay-large-table', { fullPage: false });
    await page.close();
  });

  test('large roster: widening the name column turns its marks into pills, still right after the names', async () => {
    const page = await open();
    const expected = largeExpected(stage().index);
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
    const page = await open();
    const expected = largeExpected(stage().index);
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
    const page = await open();
    const expected = largeExpected(stage().index);
    await expect.poll(() => placementProblems(page, expected, tight), { timeout: 20_000 }).toEqual([]);
    const names = await cellTextRects(page, expected);
    const off = (await layeredBadges(page)).map((b, i) =>
      Math.abs((b.box!.top + b.box!.bottom) / 2 - (names[i]!.top + names[i]!.bottom) / 2),
    );
    expect(Math.max(...off)).toBeLessThanOrEqual(1);
    await page.close();
  });

  test('large roster: deleted rows take their badges along; the others follow their names', async () => {
    const all = largeExpected(stage().index);
    const page = await open();
    await expect.poll(() => placementProblems(page, all, tight), { timeout: 20_000 }).toEqual([]);
    const before = await layeredBadges(page);
    await page.click('#delete100');
    expect(await page.locator('#count').textContent()).toBe('共 600 条记录');
    const expected = largeExpected(stage().index, 101);
    // The ten badges of rows 3–95 (张伟 C001 and C002, 王芳, 欧阳明, their units, two more units) go.
    expect(all.length - expected.length).toBe(10);
    await expect.poll(() => placementProblems(page, expected, tight), { timeout: 20_000 }).toEqual([]);
    // Every remaining badge moved up with its row, all by the same distance: the hundred rows' height.
    const after = await layeredBadges(page);
    const key = (e: LargeBadge) => `${e.row}/${e.col}`;
    const oldTop = new Map(all.map((e, i) => [key(e), before[i]!.box!.top]));
    const moved = new Set(expected.map((e, i) => Math.round(oldTop.get(key(e))! - after[i]!.box!.top)));
    expect(moved.size).toBe(1);
    expect([...moved][0]).toBeGreaterThan(100 * 15);
    expect((await shadowHosts(page)).map((h) => h.where)).toEqual(['after-table']);
    await page.close();
  });

  test('large roster: screen readers meet the layered badges in row order; a click opens the side panel on that subject', async () => {
    const { panelTarget, want } = stage();
    const page = await open();
    const expected = largeExpected(stage().index);
    const labels = new Set(expected.map((e) => e.label));
    await expect.poll(() => layeredLabels(page), { timeout: 20_000 }).toEqual(expected.map((e) => e.label));
    await expect
      .poll(async () => (await accessibleButtons(page)).filter((n) => labels.has(n)), { timeout: 10_000 })
      .toEqual(expected.map((e) => e.label));
    const all = await layeredBadges(page);
    const at = (row: number, col: number) => all[expected.findIndex((e) => e.row === row && e.col === col)]!;
    // The 张伟 of row 512, far below the first screen (a compact mark), is C001.
    expect([at(512, 1).label, at(512, 1).compact]).toEqual([want('张伟', 'C001')[1], true]);
    await clickBackendNode(page, at(512, 1).button);
    await expect.poll(panelTarget, { timeout: 10_000 }).toEqual({ subject: { type: 'cadre', id: 'C001' } });
    // The unit's pill in the same row opens the unit.
    await clickBackendNode(page, at(512, 3).button);
    await expect.poll(panelTarget, { timeout: 10_000 }).toEqual({ subject: { type: 'unit', id: 'U02' } });
    // The third 张伟 (row 222) asks to choose.
    await clickBackendNode(page, at(222, 1).button);
    await expect.poll(panelTarget, { timeout: 10_000 }).toEqual(CHOOSE_ZHANG_WEI);
    await page.close();
  });

  test("WCAG 2.4.3: badges that fall back into a large table's cells keep row order for keyboard and screen reader", async () => {
    const page = await stage().ext.context.newPage();
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
    await page.goto(`${stage().fixtures.origin}/roster-large.html`);
    // No dossier changes in this file, so the badges' full names are known: in row order, each one.
    const expected = largeExpected(stage().index).map((e) => e.label);
    // Some badges went into the cells (inline hosts inside the table), the others are layered.
    await expect.poll(async () => (await badges(page)).length, { timeout: 30_000 }).toBeGreaterThan(0);
    await expect
      .poll(async () => (await accessibleButtonsInOrder(page)).filter((l) => l.includes(' · ')), {
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
    await focusBackendNode(page, stand.button);
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
