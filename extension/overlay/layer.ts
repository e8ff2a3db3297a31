import { closedRoot } from './badge.ts';
import { isLargeTable, type Box } from './placement.ts';

/**
 * The DOM side of layered badges (placement.ts says why they exist): finding the large table a
 * name lives in, the layer element beside that table, and reading the geometry a spot is chosen
 * from. Reads only here; the scanner decides when to read and when to write, so that reads are
 * batched before writes and no read lands between two writes.
 */

const REPLACED = new Set([
  'IMG',
  'INPUT',
  'SELECT',
  'TEXTAREA',
  'BUTTON',
  'SVG',
  'CANVAS',
  'VIDEO',
  'IFRAME',
  'OBJECT',
  'EMBED',
  'METER',
  'PROGRESS',
]);
/** How many following texts or controls are looked at for the one that shares the name's line. */
const LOOKAHEAD = 8;

/** The outermost large table around `node` (an insertion anywhere inside it relayouts it), if any. */
export function largeTableAround(node: Node, sizes: Map<HTMLTableElement, boolean>): HTMLTableElement | null {
  let found: HTMLTableElement | null = null;
  for (let t = node.parentElement?.closest('table'); t; t = t.parentElement?.closest('table')) {
    const table = t as HTMLTableElement;
    let large = sizes.get(table);
    if (large === undefined) {
      // Rows of nested tables are not counted (`rows` is this table's own); the widest of the
      // first rows stands for the column count without touching every row.
      const rows = table.rows;
      let columns = 0;
      for (let i = 0; i < Math.min(rows.length, 3); i++) columns = Math.max(columns, rows[i]!.cells.length);
      large = isLargeTable(rows.length, columns);
      sizes.set(table, large);
    }
    if (large) found = table;
  }
  return found;
}

/**
 * One layer per large table: an empty, zero-size element right after the table with one closed
 * shadow root holding all of that table's badges, each absolutely positioned from its name's
 * rect. In normal flow (`position: relative`), so it scrolls and clips with the table inside any
 * scrolling container; out of flow (`position: absolute`, static position) when the table's
 * parent is a flex or grid container, where an extra item could move the page's layout. The page
 * sees one bare span; names, positions and counts are inside the closed root.
 *
 * Badges are kept in the names' document order, which is the order keyboard and screen-reader
 * users meet them in (after the table, row by row).
 */
export class BadgeLayer {
  readonly el: HTMLElement;
  readonly root: ShadowRoot;
  /**
   * The box the badges are drawn in: laid over the table, exactly its size, `contain: strict`.
   * Containment makes it a relayout and repaint boundary: adding a badge lays out and pre-paints
   * the pane alone, where a plain layer had the browser walk the whole 10,000-row table at every
   * frame (~30 ms of PrePaint per frame, measured). Clicks and selection pass through it.
   */
  private readonly pane: HTMLElement;
  /** Member text nodes in document order, and their badges' spots. */
  private order: Text[] = [];
  private readonly spots = new Map<Text, HTMLElement>();
  /** What the ResizeObserver watches for this layer, and the size each had when last seen. */
  private observed: Element[] = [];
  private readonly sizes = new WeakMap<Element, string>();

  constructor(
    readonly table: HTMLTableElement,
    private readonly onResize: (layer: BadgeLayer) => void,
    private readonly resizeObserver: ResizeObserver,
    private readonly observers: WeakMap<Element, BadgeLayer>,
  ) {
    const doc = table.ownerDocument;
    this.el = doc.createElement('span');
    const parent = table.parentElement;
    const display = parent ? (doc.defaultView?.getComputedStyle(parent).display ?? '') : '';
    this.root = closedRoot(this.el, 'block');
    this.pane = doc.createElement('div');
    this.pane.className = 'pane';
    this.root.append(this.pane);
    const set = (k: string, v: string) => this.el.style.setProperty(k, v, 'important');
    set('position', /flex|grid/.test(display) ? 'absolute' : 'relative');
    set('width', '0');
    set('height', '0');
  }

  get members(): readonly Text[] {
    return this.order;
  }

  get size(): number {
    return this.order.length;
  }

  /** Puts the layer after its table (again, if the page moved or removed it). */
  attach(): void {
    if (this.el.previousSibling !== this.table) this.table.after(this.el);
  }

  /**
   * Watches what moves names without a DOM change — the table's size, and the cells of its first
   * row (a table of fixed width, `width: 100%`, redistributes its columns on a class or style
   * change without resizing) — and notes their sizes now, as the names' geometry is about to be
   * read: the observer's first report comes a frame later, and a change in between (the page
   * restyled its table meanwhile) must still move the badges placed from this geometry. Reads only.
   */
  watch(): void {
    const watch = [this.table, ...(this.table.rows[0]?.cells ?? [])];
    if (watch.length !== this.observed.length || watch.some((e, i) => e !== this.observed[i])) {
      for (const e of this.observed) this.resizeObserver.unobserve(e);
      this.observed = watch;
      for (const e of watch) {
        this.observers.set(e, this);
        this.resizeObserver.observe(e);
      }
    }
    for (const e of watch) {
      const r = e.getBoundingClientRect();
      this.sizes.set(e, sizeKey(r.width, r.height));
    }
  }

  detach(): void {
    for (const e of this.observed) this.resizeObserver.unobserve(e);
    this.observed = [];
    this.el.remove();
  }

  /** Adds `t`'s badge spot at its place in document order. */
  add(t: Text, spot: HTMLElement): void {
    // Badges mostly arrive in document order (a scan walks it): after the last one, appended.
    const last = this.order[this.order.length - 1];
    if (!last || last.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING) {
      this.order.push(t);
      this.spots.set(t, spot);
      this.pane.append(spot);
      return;
    }
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.order[mid]!.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING) lo = mid + 1;
      else hi = mid;
    }
    const next = lo < this.order.length ? this.spots.get(this.order[lo]!)! : null;
    this.order.splice(lo, 0, t);
    this.spots.set(t, spot);
    this.pane.insertBefore(spot, next);
  }

  /** A hidden sample badge to measure, in the pane (a relayout boundary: nothing else moves). */
  sample(host: HTMLElement): void {
    this.pane.append(host);
  }

  /** Lays the pane over the table; both rects read (in viewport coordinates) before any write. */
  cover(table: DOMRect, layer: DOMRect): void {
    const s = this.pane.style;
    s.left = `${table.left - layer.left}px`;
    s.top = `${table.top - layer.top}px`;
    s.width = `${table.width}px`;
    s.height = `${table.height}px`;
  }

  remove(t: Text): void {
    const spot = this.spots.get(t);
    if (!spot) return;
    spot.remove();
    this.spots.delete(t);
    this.order.splice(this.order.indexOf(t), 1);
  }

  /** After the page reordered rows (a sort), puts the badges back in the names' order. */
  reorder(): void {
    const sorted = [...this.order].sort((a, b) =>
      a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1,
    );
    if (sorted.every((t, i) => t === this.order[i])) return;
    this.order = sorted;
    for (const t of sorted) this.pane.append(this.spots.get(t)!);
  }

  /** From the ResizeObserver: only a real change of a watched size moves the badges. */
  resized(target: Element, width: number, height: number): void {
    const size = sizeKey(width, height);
    const last = this.sizes.get(target);
    if (size === last) return;
    this.sizes.set(target, size);
    if (last !== undefined) this.onResize(this);
  }
}

export interface SpotGeometry {
  /** The name's box on its (last) line, in viewport coordinates. */
  name: Box;
  /** Text and controls that follow the name in its record (the pure rule picks the same-line ones). */
  obstacles: Box[];
  /** The record's right edge: a badge never leaves its row. */
  limitRight: number;
}

const ranges = new WeakMap<Document, Range>();

/** Sizes compared at 1/100 px: the observer and getBoundingClientRect round differently. */
const sizeKey = (width: number, height: number) => `${Math.round(width * 100)}x${Math.round(height * 100)}`;

const box = (r: DOMRect): Box => ({ left: r.left, top: r.top, right: r.right, bottom: r.bottom });

/**
 * Reads where the name `t.data[start, end)` is drawn and what follows it on its line. `null` when
 * the name is not rendered (a hidden row or tab). `ours` marks our own elements (never obstacles).
 */
export function readSpotGeometry(
  t: Text,
  start: number,
  end: number,
  record: Element,
  ours: WeakSet<Node>,
): SpotGeometry | null {
  const doc = t.ownerDocument;
  // One Range per document, reused: every live Range is updated on each DOM change until it is
  // collected, and a thousand of them made scans and writes stall (measured: 10–50 ms slices).
  let range = ranges.get(doc);
  if (!range) ranges.set(doc, (range = doc.createRange()));
  range.setStart(t, start);
  range.setEnd(t, end);
  const rects = range.getClientRects();
  const last = rects[rects.length - 1];
  if (!last || (last.width === 0 && last.height === 0)) {
    range.collapse(true);
    return null;
  }
  const name = box(last);
  const obstacles: Box[] = [];
  const onLine = (b: Box) =>
    Math.min(b.bottom, name.bottom) - Math.max(b.top, name.top) > 1 && b.right > name.right + 0.5;
  let found = false;
  const add = (list: DOMRectList | DOMRect[]) => {
    for (const r of list) {
      if (r.width === 0 && r.height === 0) continue;
      const b = box(r);
      obstacles.push(b);
      if (onLine(b)) found = true;
    }
  };
  if (t.data.slice(end).trim()) {
    range.setStart(t, end);
    range.setEnd(t, t.data.length);
    add(range.getClientRects());
  }
  const walker = doc.createTreeWalker(record, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
  walker.currentNode = t;
  let looked = 0;
  let n = walker.nextNode();
  while (n && !found && looked < LOOKAHEAD) {
    if (n.nodeType === Node.TEXT_NODE) {
      if ((n as Text).data.trim()) {
        range.selectNodeContents(n);
        add(range.getClientRects());
        looked++;
      }
      n = walker.nextNode();
      continue;
    }
    const e = n as Element;
    if (ours.has(e) || REPLACED.has(e.tagName.toUpperCase())) {
      if (!ours.has(e)) {
        add([e.getBoundingClientRect()]);
        looked++;
      }
      // Skip the subtree: the next sibling, or the next sibling of an ancestor inside the record.
      let next: Node | null = walker.nextSibling();
      while (!next && walker.parentNode()) next = walker.nextSibling();
      n = next;
      continue;
    }
    n = walker.nextNode();
  }
  range.collapse(true);
  return { name, obstacles, limitRight: record.getBoundingClientRect().right };
}
