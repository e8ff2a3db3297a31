import type { Badge } from './badge.ts';
import { segmentElement } from './badge.ts';
import type { BadgeBook } from './book.ts';
import { readSpotGeometry, type BadgeLayer, type SpotGeometry } from './layer.ts';
import { spotAfter, type Form, type Size } from './placement.ts';
import { AFTER_FRAME, type Slice, type Step } from './slices.ts';
import { PILL_GAP_PX } from './styles.ts';
import type { Layered, Plan } from './tracked.ts';

/**
 * Badges of large tables, drawn in a layer beside the table (README "Where the badge goes",
 * "Scheduling"): the DOM side of `placement.ts`'s geometry, over `layer.ts`'s layers. Every
 * name's geometry is read first, with no write in between; then the spots are written a batch
 * per frame. A badge that fits nowhere beside its name goes into the flow instead.
 */

/** The compact mark's box (styles.ts `.pill.compact`). */
const MARK: Size = { width: 12, height: 16 };
/** Layered badges written per frame (each frame with a change costs a pre-paint walk). */
const WRITE_BATCH = 120;

export class LayeredPlacer {
  /** Measured widths of pill parts by `segmentKey`, and the pill's own chrome (see `pillSize`). */
  private readonly segmentWidths = new Map<string, number>();
  private pillChrome: Size | null = null;

  constructor(
    private readonly book: BadgeBook,
    private readonly stats: { layered: number },
    /** What the running slice is doing (the benchmark's attribution of long slices). */
    private readonly onPhase: (phase: string) => void,
    /** A placed badge no longer fits beside its name: its text is planned again (into the flow). */
    private readonly replan: (t: Text) => void,
  ) {}

  /**
   * Draws planned layered badges. On a large page every rendered frame in which anything changed
   * costs the browser a pre-paint walk of the page (~20–30 ms per frame at 10,000 rows, whatever
   * the change and wherever it is in flow: traced), so what counts is how many frames see a change:
   *   1. every name's geometry, in slices, with no write at all (layout stays clean);
   *   2. WRITE_BATCH badges per frame, each batch in one task: layers attached and laid over their
   *      tables (rects read first, while layout is clean), the widths of pill parts not seen before
   *      (one hidden sample, see `pillSize`), then the spots written.
   */
  *place(plans: Plan[], misfits: Plan[], slice: Slice): Generator<Step, void, void> {
    const { reset } = slice;
    this.onPhase('read geometry');
    for (const layer of new Set(plans.map((p) => this.book.layerFor(p.layer!.table)))) layer.watch();
    const geometry = yield* this.readGeometry(
      plans.map((p) => ({ t: p.t, ...p.layer! })),
      slice,
    );
    this.onPhase('write spots');
    for (let i = 0; i < plans.length; i += WRITE_BATCH) {
      if (i > 0) {
        yield AFTER_FRAME;
        reset();
      }
      // Text the page changed since it was planned is left to its mutation, which re-plans it.
      const batch = plans
        .slice(i, i + WRITE_BATCH)
        .map((p, k) => ({ p, g: geometry[i + k]! }))
        .filter(({ p }) => p.t.isConnected && p.t.data === p.data);
      const layers = [...new Set(batch.map(({ p }) => this.book.layerFor(p.layer!.table)))];
      for (const layer of layers) layer.attach();
      const origins = this.coverTables(layers);
      this.measureSegments(
        layers[0],
        batch.flatMap(({ p }) => p.badges![0]!.segments),
      );
      batch.forEach(({ p, g }) => {
        this.book.untrack(p.t);
        const { table, start, end, record } = p.layer!;
        const layer = this.book.layerFor(table);
        const badge = p.badges![0]!;
        const layered: Layered = { layer, start, end, record, pill: this.pillSize(badge), placed: false };
        const spot = this.spotOf(layered, g, origins.get(layer)!);
        if (spot === 'none') {
          this.book.inlineOnly.add(p.t);
          const origin = origins.get(layer)!;
          const at = g ? { left: g.name.right - origin.left, top: g.name.top - origin.top } : { left: 0, top: 0 };
          misfits.push({ t: p.t, data: p.data, badges: [p.layer!.inFlow()], proxyIn: { table, ...at } });
          return;
        }
        this.writeSpot(badge, layered, spot);
        layer.add(p.t, badge.host);
        this.book.tracked.set(p.t, { data: p.data, badges: p.badges!, layered });
        this.stats.layered++;
      });
    }
  }

  /** Reads the geometry of names in slices; nothing is written meanwhile. */
  private *readGeometry(
    names: { t: Text; start: number; end: number; record: Element }[],
    slice: Slice,
  ): Generator<Step, (SpotGeometry | null)[], void> {
    const out: (SpotGeometry | null)[] = [];
    for (const n of names) {
      out.push(
        n.t.isConnected && n.record.isConnected
          ? readSpotGeometry(n.t, n.start, n.end, n.record, this.book.ours)
          : null,
      );
      // The clock is cheap next to a read; a read that stalls (a collection, a starved core) then
      // costs one slice a few reads, not many.
      if (out.length % 4 === 0 && out.length < names.length && slice.over()) {
        yield;
        slice.reset();
      }
    }
    return out;
  }

  /**
   * Measures pill parts not seen before, all in one hidden sample pill in a layer's pane (one
   * small layout), and the pill's chrome (border, padding, margins) and height with them.
   */
  private measureSegments(layer: BadgeLayer | undefined, keys: readonly string[]): void {
    const unknown = [...new Set(keys)].filter((k) => !this.segmentWidths.has(k));
    if (!layer || (unknown.length === 0 && this.pillChrome)) return;
    // The chrome is what is left of a pill's width once its parts and gaps are taken away.
    if (unknown.length === 0) unknown.push('grade:A');
    const doc = layer.table.ownerDocument;
    const spot = doc.createElement('span');
    spot.className = 'spot';
    spot.style.visibility = 'hidden';
    const button = doc.createElement('button');
    button.className = 'pill';
    const parts = unknown.map((k) => {
      const at = k.indexOf(':');
      return segmentElement(doc, { cls: k.slice(0, at), text: k.slice(at + 1) });
    });
    button.append(...parts);
    spot.append(button);
    layer.sample(spot);
    const whole = spot.getBoundingClientRect();
    const widths = parts.map((p) => p.getBoundingClientRect().width);
    spot.remove();
    unknown.forEach((k, i) => this.segmentWidths.set(k, widths[i]!));
    const inner = widths.reduce((a, b) => a + b, 0) + PILL_GAP_PX * (parts.length - 1);
    this.pillChrome ??= { width: whole.width - inner, height: whole.height };
  }

  /** A pill's size from its parts' measured widths (`measureSegments` has seen them all). */
  private pillSize(badge: Badge): Size {
    const chrome = this.pillChrome ?? { width: 0, height: 0 };
    const parts = badge.segments.reduce((a, k) => a + (this.segmentWidths.get(k) ?? Infinity), 0);
    return {
      width: chrome.width + parts + PILL_GAP_PX * Math.max(0, badge.segments.length - 1),
      height: chrome.height,
    };
  }

  /**
   * Reads each layer's table and own position, then lays its pane over the table. Returns the
   * origin badges are positioned from: the table's top-left corner (the pane's), per layer.
   */
  private coverTables(layers: BadgeLayer[]): Map<BadgeLayer, DOMRect> {
    const rects = new Map<BadgeLayer, [DOMRect, DOMRect]>();
    for (const l of layers)
      if (!rects.has(l)) rects.set(l, [l.table.getBoundingClientRect(), l.el.getBoundingClientRect()]);
    const origins = new Map<BadgeLayer, DOMRect>();
    for (const [l, [table, own]] of rects) {
      l.cover(table, own);
      origins.set(l, table);
    }
    return origins;
  }

  /** Where a layered badge goes: a spot in its layer, `hidden` (name not drawn), or `none` (no room). */
  private spotOf(
    l: Layered,
    g: SpotGeometry | null,
    origin: DOMRect,
  ): { form: Form; left: number; top: number } | 'hidden' | 'none' {
    if (!g) return 'hidden';
    const spot = spotAfter(g.name, g.obstacles, g.limitRight, { pill: l.pill, mark: MARK });
    if (!spot) return 'none';
    return { form: spot.form, left: spot.x - origin.left, top: spot.y - origin.top };
  }

  private writeSpot(badge: Badge, l: Layered, spot: { form: Form; left: number; top: number } | 'hidden'): void {
    l.placed = spot !== 'hidden';
    if (spot !== 'hidden') {
      badge.setForm(spot.form);
      badge.host.style.left = `${spot.left.toFixed(1)}px`;
      badge.host.style.top = `${spot.top.toFixed(1)}px`;
    }
    this.book.applyVisibility(badge.host, l);
  }

  /**
   * Places the badges of layers whose table changed again, the same way: geometry first (reads
   * only), then the spots a batch per frame. A badge that no longer fits goes into the flow.
   */
  *placeAgain(slice: Slice): Generator<Step, void, void> {
    const { reset } = slice;
    const layers = [...this.book.pendingLayers].filter((l) => this.book.layers.get(l.table) === l && l.el.isConnected);
    this.book.pendingLayers.clear();
    for (const layer of layers) {
      layer.reorder();
      layer.watch();
    }
    const items = layers.flatMap((layer) =>
      layer.members.flatMap((t) => {
        const e = this.book.tracked.get(t);
        return e?.layered?.layer === layer ? [{ t, e, l: e.layered }] : [];
      }),
    );
    this.onPhase('place again');
    const geometry = yield* this.readGeometry(
      items.map(({ t, l }) => ({ t, start: l.start, end: l.end, record: l.record })),
      slice,
    );
    const origins = this.coverTables(layers);
    for (let i = 0; i < items.length; i += WRITE_BATCH) {
      if (i > 0) {
        yield AFTER_FRAME;
        reset();
      }
      items.slice(i, i + WRITE_BATCH).forEach(({ t, e, l }, k) => {
        if (this.book.tracked.get(t) !== e) return;
        const spot = this.spotOf(l, geometry[i + k]!, origins.get(l.layer)!);
        if (spot !== 'none') return this.writeSpot(e.badges[0]!, l, spot);
        // No room any more (e.g. a narrower window): re-planned into the flow.
        this.book.inlineOnly.add(t);
        this.book.untrack(t);
        this.replan(t);
      });
    }
  }
}
