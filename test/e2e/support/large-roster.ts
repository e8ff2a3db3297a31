import type { Page } from 'playwright-core';
import type { SubjectSummary } from '../../../core/model/summary.ts';
import { attr, countStyles, piercedDocument, type CdpNode } from './cdp-badges.ts';
import type { ExtensionBrowser } from './extension.ts';
import { expectedLabel } from './portal-fixtures.ts';

/**
 * The large roster (test/fixtures/portals/roster-large.html, made by make-roster-large.ts) and how
 * its badges are read: a table too large for inline badges, so the overlay draws them in one layer
 * right after the table. The layer's shadow root is closed, so its buttons and their boxes are
 * read through the DevTools protocol, and the page's own text geometry through a page script.
 */

export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface LayeredBadge {
  label: string;
  button: number;
  /** Drawn as the compact mark (class `compact`) rather than the full pill. */
  compact: boolean;
  /** The button's border box, in viewport coordinates (null while it is not rendered). */
  box: Box | null;
}

export interface ShadowHost {
  nodeName: string;
  rootType: string;
  ownStyles: number;
  /** Attribute names on the host element in the page. */
  hostAttributes: string[];
  /** Where it is: inside the table, its next sibling (the layer's place), or elsewhere. */
  where: 'in-table' | 'after-table' | 'elsewhere';
}

type Found = { node: CdpNode; parent: CdpNode | null };

/** The first node of the pierced document (shadow roots and frames included) that `ok` accepts. */
export function findNode(n: CdpNode, ok: (n: CdpNode) => boolean): Found | undefined {
  const visit = (x: CdpNode, parent: CdpNode | null): Found | undefined => {
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
export async function shadowHosts(page: Page, tableId = 'roster'): Promise<ShadowHost[]> {
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
export async function layeredBadges(page: Page, tableId = 'roster'): Promise<LayeredBadge[]> {
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

export const layeredLabels = async (page: Page) => (await layeredBadges(page)).map((b) => b.label);

/**
 * Where the text of cell `col` is drawn in the row whose first cell (序号) reads `row`: the rect of
 * its last line, from a Range over the cell's text node (as the name is drawn, not the cell's box).
 */
export async function cellTextRects(
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
    const at = (r: DOMRect) => `${r.left.toFixed(1)},${r.top.toFixed(1)}–${r.right.toFixed(1)},${r.bottom.toFixed(1)}`;
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const t = n as Text;
      if (!t.data.trim()) continue;
      range.selectNodeContents(t);
      for (const r of range.getClientRects()) {
        if (r.width === 0 || r.height === 0) continue;
        boxes.forEach((b, i) => {
          if (b.left < r.right && r.left < b.right && b.top < r.bottom && r.top < b.bottom) {
            out[i]!.push(`"${t.data.trim()}" at ${at(r)}`);
          }
        });
      }
    }
    return out;
  }, boxes);
}

// ---- what the large roster holds and the badges it should get ------------------------------------

/** Its rows, by their 序号, holding a seeded name or unit (or a look-alike), and whom they name. */
export const LARGE: { row: number; name: string; who: string | null; unit: string; unitWho: string | null }[] = [
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

export interface LargeBadge {
  row: number;
  /** 1: the name column, 3: the unit column. */
  col: number;
  /** The cell's text (the name or unit the badge belongs to). */
  text: string;
  label: string;
}

/** The large roster's badges in document order (of the rows numbered `from` and below). */
export const largeExpected = (index: SubjectSummary[], from = 1): LargeBadge[] =>
  LARGE.filter((r) => r.row >= from).flatMap((r) => [
    ...(r.who ? [{ row: r.row, col: 1, text: r.name, label: expectedLabel(index, r.who, r.name) }] : []),
    ...(r.unitWho ? [{ row: r.row, col: 3, text: r.unit, label: expectedLabel(index, r.unitWho, r.unit) }] : []),
  ]);

export type Form = 'mark' | 'pill';

/**
 * A quiet badge (nothing that matters: README, "What a badge says") is only its grade letter, so
 * it fits beside a two-character name where a loud one (dots, warning, flag) only fits as a mark.
 */
const quiet = (e: LargeBadge) => !/黑点|黄点|预警|负面清单|数据无效/.test(e.label);

/**
 * The forms at the page's own column widths: the name column is as wide as its longest names
 * (three characters), so only the compact mark fits beside a name (a quiet pill beside a
 * two-character one); the unit column is sized by
 * 市卫生健康委员会, so the shorter units have room for their pills and it has not.
 */
export const tight = (e: LargeBadge): Form =>
  e.col === 1
    ? quiet(e) && [...e.text].length <= 2
      ? 'pill'
      : 'mark'
    : e.text === '市卫生健康委员会'
      ? 'mark'
      : 'pill';

/** After the page widens the name column to 10em: pills there; the unit column unchanged. */
export const widened = (e: LargeBadge): Form => (e.col === 1 ? 'pill' : tight(e));

/** Opens the large roster at a width that shows the whole table in the screenshots (its cells do not wrap). */
export async function openLarge(ext: ExtensionBrowser, origin: string): Promise<Page> {
  const page = await ext.context.newPage();
  await page.setViewportSize({ width: 560, height: 900 });
  await page.goto(`${origin}/roster-large.html`);
  return page;
}

/**
 * What is wrong with the large roster's layered badges (empty when nothing): they must be the
 * expected ones in order, each drawn in its expected form right after its own name (left edge
 * within 4 px of the name's end, overlapping the name's line) and over no text of the page.
 */
export async function placementProblems(
  page: Page,
  expected: LargeBadge[],
  form: (e: LargeBadge) => Form,
): Promise<string[]> {
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
    const at = `badge ${JSON.stringify(b.box)}, name ${JSON.stringify(name)}`;
    if (!b.box || !name) return void problems.push(`${what}: not drawn (${at})`);
    drawn.push({ box: b.box, what });
    if (b.box.left < name.right || b.box.left > name.right + 4)
      problems.push(`${what}: not right after its name: ${at}`);
    if (Math.min(b.box.bottom, name.bottom) - Math.max(b.box.top, name.top) <= 0)
      problems.push(`${what}: not on its name's line: ${at}`);
    if (b.compact !== (form(e) === 'mark'))
      problems.push(`${what}: drawn as ${b.compact ? 'mark' : 'pill'}, not ${form(e)}`);
  });
  const under = await textsUnder(
    page,
    drawn.map((d) => d.box),
  );
  under.forEach((texts, i) => {
    if (texts.length > 0)
      problems.push(`${drawn[i]!.what}: badge ${JSON.stringify(drawn[i]!.box)} covers ${texts.join('; ')}`);
  });
  return problems;
}
