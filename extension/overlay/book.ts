import { badgeAnchor } from './anchor.ts';
import { BadgeLayer } from './layer.ts';
import type { Layered, Plan, Tracked } from './tracked.ts';

/**
 * The badges the overlay keeps on the page: one entry per text node with badges, the large
 * tables' layers, hide/show, and the commit of badges in the flow (README "Where the badge goes").
 * Layered badges are placed by `layered.ts` and recorded here.
 */
export class BadgeBook {
  readonly tracked = new Map<Text, Tracked>();
  /** Our own hosts and layers: never read, and their mutations are not the page's. */
  readonly ours = new WeakSet<Node>();
  /** Text whose badge did not fit beside it: it stays in the flow from then on. */
  readonly inlineOnly = new WeakSet<Text>();
  /** Large tables and their badge layers. */
  readonly layers = new Map<HTMLTableElement, BadgeLayer>();
  /** Layers whose table changed (resized, mutated): their badges are placed again. */
  readonly pendingLayers = new Set<BadgeLayer>();
  private readonly resizeObserver: ResizeObserver;
  /** Which layer each element the ResizeObserver watches belongs to. */
  private readonly observedBy = new WeakMap<Element, BadgeLayer>();
  private visible = true;

  constructor(
    doc: Document,
    /** A layer's table changed: the scanner schedules a job (it finds `pendingLayers`). */
    private readonly onLayerChanged: () => void,
    private readonly stats: { inline: number },
  ) {
    const View = doc.defaultView ?? window;
    this.resizeObserver = new View.ResizeObserver((entries) => {
      for (const e of entries) {
        const layer = this.observedBy.get(e.target);
        const box = e.borderBoxSize?.[0];
        if (layer && this.layers.get(layer.table) === layer)
          layer.resized(e.target, box?.inlineSize ?? e.contentRect.width, box?.blockSize ?? e.contentRect.height);
      }
    });
  }

  get badgeCount(): number {
    let n = 0;
    for (const t of this.tracked.values()) n += t.badges.length;
    return n;
  }

  /** Whether `t` has its badges on screen (the benchmark's "badged" for rows in view). */
  isBadged(t: Text): boolean {
    const entry = this.tracked.get(t);
    return !!entry && entry.badges.every((b) => b.host.isConnected) && (!entry.layered || entry.layered.placed);
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    for (const t of this.tracked.values()) {
      for (const b of t.badges) this.applyVisibility(b.host, t.layered);
      if (t.proxy) t.proxy.spot.style.setProperty('display', visible ? 'flex' : 'none', 'important');
    }
  }

  applyVisibility(host: HTMLElement, layered: Layered | null): void {
    const shown = this.visible && (!layered || layered.placed);
    host.style.setProperty('display', shown ? (layered ? 'flex' : 'inline-block') : 'none', 'important');
  }

  /** The layer of a large table, made on first need (attached when its first badge is placed). */
  layerFor(table: HTMLTableElement): BadgeLayer {
    let layer = this.layers.get(table);
    if (!layer) {
      layer = new BadgeLayer(
        table,
        (l) => {
          this.pendingLayers.add(l);
          this.onLayerChanged();
        },
        this.resizeObserver,
        this.observedBy,
      );
      this.layers.set(table, layer);
      this.ours.add(layer.el);
    }
    return layer;
  }

  /** Removes a text node's badges (and its layer, once empty). */
  untrack(t: Text): void {
    const prev = this.tracked.get(t);
    if (!prev) return;
    for (const b of prev.badges) b.host.remove();
    this.tracked.delete(t);
    const layer = prev.layered?.layer ?? prev.proxy?.layer;
    if (layer) {
      layer.remove(t);
      if (layer.size === 0 && this.layers.get(layer.table) === layer) this.dropLayer(layer);
    }
  }

  /** Layers made for plans that never placed a badge (the text changed meanwhile). */
  dropEmptyLayers(): void {
    for (const layer of [...this.layers.values()]) if (layer.size === 0) this.dropLayer(layer);
  }

  private dropLayer(layer: BadgeLayer): void {
    layer.detach();
    this.layers.delete(layer.table);
    this.pendingLayers.delete(layer);
  }

  /** Every badge and layer off the page (the scanner stops). */
  clear(): void {
    for (const t of this.tracked.values()) for (const b of t.badges) b.host.remove();
    this.tracked.clear();
    for (const layer of this.layers.values()) layer.detach();
    this.layers.clear();
    this.resizeObserver.disconnect();
  }

  /**
   * Puts planned badges in the flow, right after their text node (or the page's link around it:
   * anchor.ts), in one synchronous step: in a table every commit costs a layout of the table.
   */
  commitInline(plans: Plan[]): void {
    for (const p of plans) {
      // The page may have changed the text since it was planned; the mutation brings it back.
      if (!p.t.isConnected || p.t.data !== p.data) continue;
      this.untrack(p.t);
      if (p.badges === null) continue;
      // After the name's text (or the page's link around it), after any badges already there.
      let anchor: ChildNode = badgeAnchor(p.t);
      while (anchor.nextSibling && this.ours.has(anchor.nextSibling)) anchor = anchor.nextSibling;
      for (const b of p.badges) {
        this.applyVisibility(b.host, null);
        anchor.after(b.host);
        anchor = b.host;
      }
      const entry: Tracked = { data: p.data, badges: p.badges, layered: null };
      if (p.proxyIn && p.badges.length === 1) {
        // A badge that fit nowhere beside its name in a large table: its stand-in keeps the
        // layer's focus order (badge.ts `proxy`).
        const layer = this.layerFor(p.proxyIn.table);
        layer.attach();
        const spot = p.badges[0]!.proxy();
        spot.style.left = `${p.proxyIn.left.toFixed(1)}px`;
        spot.style.top = `${p.proxyIn.top.toFixed(1)}px`;
        if (!this.visible) spot.style.setProperty('display', 'none', 'important');
        layer.add(p.t, spot);
        entry.proxy = { layer, spot };
      }
      this.tracked.set(p.t, entry);
      this.stats.inline += p.badges.length;
    }
  }
}
