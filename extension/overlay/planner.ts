import { matchContext, type ContextMatch, type Matcher, type Resolution } from '../../core/match/matcher.ts';
import { needsRecord, widenToRecord } from '../../core/match/record.ts';
import { interactiveAround, previousSkipping, textAfterIn } from './anchor.ts';
import { createBadge, createLayeredBadge, signatureOf, type OpenTarget } from './badge.ts';
import { validSelector, type PortalHints } from './hints.ts';
import { largeTableAround, type BadgeLayer } from './layer.ts';
import type { OverlayText } from './text.ts';
import type { Plan, Tracked } from './tracked.ts';
import { skipText, textNodesIn } from './walker.ts';

/**
 * From text nodes to planned badges (README "What is read", "Where the badge goes"): the record
 * or paragraph each text belongs to, the matches in it (widened to the enclosing record when a
 * name is ambiguous in its row: core/match/record.ts), and per text node what its badges should
 * become. Reads the DOM and creates badges detached from the page; it never writes to the page.
 */

/** A record: its whole text is the evidence for who a name is (unit, post, id cells). */
// (Not <form>: legacy portals wrap the whole page in one.)
const RECORD = 'tr, [role="row"], li, dl, fieldset, [role="listitem"]';
/** Prose: the sentence is the evidence. */
const PROSE = 'p, blockquote, article, section, h1, h2, h3, h4, h5, h6';

export type Context = { el: Element; mode: 'record' | 'prose' };

/** What planning reads of the scanner's state, and how badges are made. */
export interface PlanEnv {
  readonly doc: Document;
  readonly tracked: ReadonlyMap<Text, Tracked>;
  /** Our own nodes: every badge made is added. */
  readonly ours: WeakSet<Node>;
  /** Text whose badge did not fit beside it in its large table: it stays in the flow. */
  readonly inlineOnly: WeakSet<Text>;
  readonly text: OverlayText;
  onOpen(target: OpenTarget): void;
  onBadge?(host: HTMLElement, resolution: Resolution): void;
  /** The layer of a large table (made on first need). */
  layerFor(table: HTMLTableElement): BadgeLayer;
}

export class Planner {
  private hints: { record?: string; cells?: string } = {};
  /** Large tables (`largeTableAround`) and rows' enclosing records, re-read at every job. */
  private tableSizes = new Map<HTMLTableElement, boolean>();
  private outerCache = new Map<Element, Element | null>();

  constructor(private readonly env: PlanEnv) {}

  /** Per-portal hints (hints.ts); invalid selectors are ignored. */
  setHints(hints?: PortalHints | null): void {
    const doc = this.env.doc;
    const cells = [hints?.name, hints?.id]
      .map((s) => validSelector(doc, s))
      .filter(Boolean)
      .join(', ');
    this.hints = { record: validSelector(doc, hints?.record), cells: cells || undefined };
  }

  /** A new job: the page may have changed, so table sizes and records are read again. */
  newJob(): void {
    this.tableSizes = new Map();
    this.outerCache = new Map();
  }

  /** The record or paragraph whose text is the evidence for a name in `n`. */
  contextOf(n: Node): Context | null {
    const p = n.nodeType === Node.ELEMENT_NODE ? (n as Element) : n.parentElement;
    if (!p) return null;
    if (this.hints.record) {
      const r = p.closest(this.hints.record);
      if (r) return { el: r, mode: 'record' };
    }
    const rec = p.closest(RECORD);
    if (rec) return { el: rec, mode: 'record' };
    const prose = p.closest(PROSE);
    if (prose) return { el: prose, mode: 'prose' };
    // A card laid out with divs: the largest small ancestor (≤ 4 levels, ≤ 300 characters).
    let el = p;
    for (let i = 0; i < 4; i++) {
      const up = el.parentElement;
      if (!up || up === this.env.doc.body || (up.textContent ?? '').length > 300) break;
      el = up;
    }
    return { el, mode: 'prose' };
  }

  /** The distinct records of `texts`; text that may not be read is passed to `unreadable`. */
  contextsOf(texts: Text[], unreadable?: (t: Text) => void): Context[] {
    const contexts = new Map<Element, Context>();
    for (const t of texts) {
      if (!t.isConnected || skipText(t)) {
        unreadable?.(t);
        continue;
      }
      const ctx = this.contextOf(t);
      if (ctx && !contexts.has(ctx.el)) contexts.set(ctx.el, ctx);
    }
    return [...contexts.values()];
  }

  /** Splits records into those in the viewport and the rest (rects read before any write). */
  viewportFirst(contexts: Context[]): [Context[], Context[]] {
    const view = this.env.doc.defaultView;
    if (!view) return [[], contexts];
    const h = view.innerHeight;
    const inView: Context[] = [];
    const rest: Context[] = [];
    for (const c of contexts) {
      const r = c.el.getBoundingClientRect();
      (r.bottom >= 0 && r.top <= h && r.height > 0 ? inView : rest).push(c);
    }
    return [inView, rest];
  }

  /** Decides the badges of one record; creates new ones detached from the page. */
  plan(matcher: Matcher, ctx: Context, plans: Plan[]): void {
    const nodes = textNodesIn(ctx.el);
    const segments = nodes.map((t) => t.data);
    let matches = matchContext(matcher, segments, ctx.mode);
    // A name ambiguous in its row (or an id): the enclosing record may decide (core/match/record.ts).
    if (ctx.mode === 'record' && needsRecord(matches)) {
      const outer = this.enclosingRecord(ctx.el);
      if (outer) {
        const outerText = textNodesIn(outer).map((t) => t.data);
        matches = widenToRecord(matcher, matches, segments, outerText);
      }
    }
    const bySegment = new Map<number, ContextMatch[]>();
    for (const m of matches) {
      if (!this.allowedByHints(nodes[m.segment]!, m)) continue;
      const list = bySegment.get(m.segment) ?? [];
      list.push(m);
      bySegment.set(m.segment, list);
    }
    nodes.forEach((t, i) => {
      const list = bySegment.get(i);
      if (!list || skipText(t)) {
        if (this.env.tracked.has(t)) plans.push({ t, data: t.data, badges: null });
        return;
      }
      const plan = this.planText(t, list, ctx.el);
      if (plan) plans.push(plan);
    });
  }

  /**
   * The record a row belongs to when the row is part of one person's form or detail page: its
   * small table (≤ 40 rows), else the form or fieldset around it; at most 3,000 characters (a
   * whole-page <form> of a legacy portal is not a record). Cached for the job.
   */
  enclosingRecord(row: Element): Element | null {
    const table = row.closest('table');
    const key = table ?? row;
    if (this.outerCache.has(key)) return this.outerCache.get(key)!;
    let found: Element | null = null;
    if (table && table.rows.length <= 40 && (table.textContent ?? '').length <= 3000) found = table;
    else {
      const form = row.parentElement?.closest('form, fieldset, [role="form"], [role="group"]');
      if (form && (form.textContent ?? '').length <= 3000) found = form;
    }
    this.outerCache.set(key, found);
    return found;
  }

  /** One text node's plan, or null when its badges stay as they are. */
  private planText(t: Text, list: ContextMatch[], record: Element): Plan | null {
    const { tracked, ours, inlineOnly } = this.env;
    // A name in the page's own link gets its badge after the link (anchor.ts): the link's text
    // after this node counts as what follows the name.
    const around = interactiveAround(t);
    const trail = around ? textAfterIn(t, around) : '';
    const anchor = around ?? t;
    const wanted = list.map((m) => {
      const name = t.data.slice(m.start, m.end);
      const labelled = !/^[\s\p{P}]*$/u.test(t.data.slice(m.end) + trail);
      return { m, name, labelled, signature: signatureOf(m.resolution, labelled ? name : '') };
    });
    // In a large table, a lone name at the end of its text gets a layered badge (placement.ts).
    const only = wanted.length === 1 && !wanted[0]!.labelled ? wanted[0]! : null;
    const table = only && !inlineOnly.has(t) ? largeTableAround(t, this.tableSizes) : null;
    const prev = tracked.get(t);
    const kept = table
      ? prev?.layered?.layer.table === table &&
        prev.badges[0]!.signature === only!.signature &&
        prev.layered.start === only!.m.start &&
        prev.badges[0]!.host.parentNode === prev.layered.layer.root &&
        prev.layered.layer.el.previousSibling === table
      : prev &&
        !prev.layered &&
        prev.badges.length === wanted.length &&
        prev.badges.every(
          (b, i) =>
            b.signature === wanted[i]!.signature &&
            b.host.isConnected &&
            (i === 0 ? previousSkipping(b.host, ours) === anchor : b.host.previousSibling === prev.badges[i - 1]!.host),
        );
    if (prev && kept) {
      prev.data = t.data;
      return null;
    }
    const doc = t.ownerDocument;
    const make = (w: (typeof wanted)[number], inLayer: BadgeLayer | null) => {
      const opts = { name: w.name, labelled: w.labelled, text: this.env.text, onOpen: this.env.onOpen };
      const b = inLayer
        ? createLayeredBadge(doc, w.m.resolution, opts, inLayer.root)
        : createBadge(doc, w.m.resolution, opts);
      ours.add(b.host);
      this.env.onBadge?.(b.host, w.m.resolution);
      return b;
    };
    if (!table) {
      // A badge that did not fit beside its name in a large table keeps a stand-in in the
      // table's layer, so focus order stays row order (WCAG 2.4.3).
      const big = only && inlineOnly.has(t) ? largeTableAround(t, this.tableSizes) : null;
      const at = prev?.proxy
        ? { left: parseFloat(prev.proxy.spot.style.left) || 0, top: parseFloat(prev.proxy.spot.style.top) || 0 }
        : { left: 0, top: 0 };
      return {
        t,
        data: t.data,
        badges: wanted.map((w) => make(w, null)),
        ...(big ? { proxyIn: { table: big, ...at } } : {}),
      };
    }
    // If it fits nowhere beside the name, it is made again as an ordinary host for the flow.
    const layer = { table, start: only!.m.start, end: only!.m.end, record, inFlow: () => make(only!, null) };
    return { t, data: t.data, badges: [make(only!, this.env.layerFor(table))], layer };
  }

  /** With `name`/`id` hints, cadres are badged only in those cells and only on the whole cell. */
  private allowedByHints(t: Text, m: ContextMatch): boolean {
    if (!this.hints.cells) return true;
    const r = m.resolution;
    const isCadre = r.kind === 'subject' ? r.subject.type === 'cadre' : r.candidates.some((c) => c.type === 'cadre');
    if (!isCadre) return true;
    const cell = t.parentElement?.closest(this.hints.cells);
    return !!cell && (cell.textContent ?? '').trim() === t.data.slice(m.start, m.end);
  }
}
