import type { SubjectSummary } from '../../core/model/summary.ts';
import { buildMatcher, matchContext, type ContextMatch, type Matcher } from '../../core/match/matcher.ts';
import { createBadge, signatureOf, type Badge, type OpenTarget } from './badge.ts';
import { validSelector, type PortalHints } from './hints.ts';
import type { OverlayText } from './text.ts';

/**
 * The overlay's DOM side: finds text nodes, hands their strings to the pure matcher, and keeps one
 * badge per match right after its text node. The page's text nodes are never split, wrapped or
 * edited; when a name sits mid-text, the badge goes after the text node and shows the name.
 *
 * Work is a generator sliced into tasks of at most `sliceMs` (yielding through a MessageChannel so
 * the page keeps rendering and handling input), and records in view are badged before the rest.
 * A page whose text cannot contain any known term is dismissed from its textContent alone.
 *
 * Dynamic pages: a MutationObserver collects changed subtrees and text nodes, debounced; a burst
 * (many records) becomes one full rescan. Every (re)scan reconciles: a text node whose matches are
 * unchanged keeps its badges, changed ones are re-badged, badges of removed text nodes go.
 */

/** Where names are never looked for: code, styles, things being typed, and non-rendered text. */
const SKIP_TAGS = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'TEXTAREA', 'INPUT', 'SELECT', 'OPTION', 'TITLE', 'IFRAME', 'OBJECT']);
const EDITABLE = '[contenteditable]:not([contenteditable="false"])';
/** A record: its whole text is the evidence for who a name is (unit, post, id cells). */
// (Not <form>: legacy portals wrap the whole page in one.)
const RECORD = 'tr, [role="row"], li, dl, fieldset, [role="listitem"]';
/** Prose: the sentence is the evidence. */
const PROSE = 'p, blockquote, article, section, h1, h2, h3, h4, h5, h6';
/** A mutation batch touching more roots than this is rescanned whole (cheaper than diffing). */
const BURST = 300;
const DEBOUNCE_MS = 16;
const MAX_WAIT_MS = 50;

interface Tracked {
  data: string;
  badges: Badge[];
}

type Context = { el: Element; mode: 'record' | 'prose' };
/** What a text node's badges should become: new (detached) badges, or none (`null`). */
type Plan = { t: Text; data: string; badges: Badge[] | null };

export interface ScannerOptions {
  onOpen(target: OpenTarget): void;
  text: OverlayText;
  sliceMs?: number;
}

export class OverlayScanner {
  private matcher: Matcher | null = null;
  private hints: { record?: string; cells?: string } = {};
  private readonly tracked = new Map<Text, Tracked>();
  private readonly ours = new WeakSet<Node>();
  private readonly observedRoots = new WeakSet<Node>();
  private readonly mo: MutationObserver;
  private visible = true;
  private dirty = new Set<Node>();
  private wantFull = false;
  private job: Generator<void, void, void> | null = null;
  private jobIsFull = false;
  private debounce: ReturnType<typeof setTimeout> | undefined;
  private firstDirtyAt = 0;
  private readonly channel = new MessageChannel();
  private stopped = false;
  private readonly sliceMs: number;
  /** Our own main-thread time, for the benchmark: index builds and work slices, in ms. */
  readonly stats = { buildMs: 0, workMs: 0, maxSliceMs: 0, slices: 0 };
  /** Resolvers waiting for the scanner to go idle (tests and the benchmark). */
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly doc: Document,
    private readonly opts: ScannerOptions,
  ) {
    this.sliceMs = opts.sliceMs ?? 8;
    this.mo = new MutationObserver((records) => this.onMutations(records));
    this.channel.port1.onmessage = () => this.runSlice();
    this.observe(doc);
  }

  /** New index (or hints): every badge is re-evaluated. */
  setIndex(subjects: readonly SubjectSummary[], hints?: PortalHints | null): void {
    const t0 = performance.now();
    this.matcher = buildMatcher(subjects);
    this.stats.buildMs += performance.now() - t0;
    const cells = [hints?.name, hints?.id].map((s) => validSelector(this.doc, s)).filter(Boolean).join(', ');
    this.hints = { record: validSelector(this.doc, hints?.record), cells: cells || undefined };
    this.requestFull();
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    for (const t of this.tracked.values()) for (const b of t.badges) this.applyVisibility(b.host);
  }

  /** A full rescan, e.g. after SPA navigation. */
  requestFull(): void {
    this.wantFull = true;
    this.schedule(true);
  }

  stop(): void {
    this.stopped = true;
    this.mo.disconnect();
    clearTimeout(this.debounce);
    this.job = null;
    for (const t of this.tracked.values()) for (const b of t.badges) b.host.remove();
    this.tracked.clear();
    this.channel.port1.close();
  }

  /** Resolves when no work is pending (used by tests and benchmarks, never by the product). */
  idle(): Promise<void> {
    if (!this.job && !this.wantFull && this.dirty.size === 0 && this.debounce === undefined) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  get badgeCount(): number {
    let n = 0;
    for (const t of this.tracked.values()) n += t.badges.length;
    return n;
  }

  // ---- observation -------------------------------------------------------------------------

  private observe(root: Document | ShadowRoot): void {
    if (this.observedRoots.has(root)) return;
    this.observedRoots.add(root);
    this.mo.observe(root, { childList: true, subtree: true, characterData: true });
  }

  private onMutations(records: MutationRecord[]): void {
    for (const r of records) {
      if (r.type === 'characterData') {
        this.dirty.add(r.target);
        continue;
      }
      let relevant = false;
      r.addedNodes.forEach((n) => {
        if (this.ours.has(n)) return;
        this.dirty.add(n);
        relevant = true;
      });
      r.removedNodes.forEach((n) => {
        if (!this.ours.has(n)) relevant = true;
      });
      // A removal or a replaced text changes the record around it: re-match the parent record.
      if (relevant) this.dirty.add(r.target);
    }
    if (this.dirty.size > BURST) {
      this.dirty.clear();
      this.wantFull = true;
    }
    if (this.dirty.size > 0 || this.wantFull) this.schedule(false);
  }

  /** Debounced: a burst of mutations becomes one batch, but never later than MAX_WAIT_MS. */
  private schedule(now: boolean): void {
    if (this.stopped) return;
    const t = performance.now();
    if (this.debounce === undefined) this.firstDirtyAt = t;
    clearTimeout(this.debounce);
    const wait = now ? 0 : Math.max(0, Math.min(DEBOUNCE_MS, this.firstDirtyAt + MAX_WAIT_MS - t));
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      this.startJob();
    }, wait);
  }

  private startJob(): void {
    if (!this.matcher || this.stopped) return this.settle();
    if (this.job && !(this.wantFull && !this.jobIsFull)) return; // the running job picks it up after
    if (this.wantFull) {
      this.wantFull = false;
      this.dirty.clear();
      this.jobIsFull = true;
      this.job = this.work(null);
    } else {
      const roots = [...this.dirty];
      this.dirty.clear();
      this.jobIsFull = false;
      this.job = this.work(roots);
    }
    this.channel.port2.postMessage(0);
  }

  private runSlice(): void {
    if (!this.job) return;
    const t0 = performance.now();
    const r = this.job.next();
    const took = performance.now() - t0;
    this.stats.workMs += took;
    this.stats.slices++;
    if (took > this.stats.maxSliceMs) this.stats.maxSliceMs = took;
    if (!r.done) {
      this.channel.port2.postMessage(0);
      return;
    }
    this.job = null;
    if (this.wantFull || this.dirty.size > 0) this.startJob();
    else this.settle();
  }

  private settle(): void {
    if (this.job || this.wantFull || this.dirty.size > 0 || this.debounce !== undefined) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  // ---- the work -----------------------------------------------------------------------------

  /** One scan, full (`roots === null`) or of changed subtrees, as a generator of time slices. */
  private *work(roots: Node[] | null): Generator<void, void, void> {
    const matcher = this.matcher!;
    let deadline = performance.now() + this.sliceMs;
    const over = () => performance.now() > deadline;
    const candidates: Text[] = [];

    // A node counts if it holds an accepted match of its own (look-alikes such as 王芳芳 contain
    // a known term but are rejected here, before any record is looked at), or held one before.
    const visit = (t: Text) => {
      if ((t.data.length >= 2 && matcher.mayMatch(t.data) && matcher.find(t.data).length > 0) || this.tracked.has(t)) candidates.push(t);
    };

    // First badges early: after the first slice of a full scan, the top of the document has been
    // walked; the records found so far that are in view are badged right away (rects are read
    // before this job's first write, so no layout is forced), the rest of the page after the walk.
    const done = new Set<Element>();
    let early = roots === null;
    let wroteEarly = false;
    const reset = () => {
      deadline = performance.now() + this.sliceMs;
      if (!early) return;
      early = false;
      const [inView] = this.viewportFirst(this.contextsOf(candidates, false));
      const plans: Plan[] = [];
      for (const ctx of inView) {
        this.plan(matcher, ctx, plans);
        done.add(ctx.el);
      }
      if (plans.length > 0) {
        this.commit(plans);
        wroteEarly = true;
      }
    };

    // 1. Find text nodes that may hold a known term (and those that held one before).
    const walkRoots: Node[] = roots === null ? [this.doc] : roots;
    for (const root of walkRoots) {
      if (!root.isConnected) continue;
      if (root.nodeType === Node.TEXT_NODE) {
        visit(root as Text);
        continue;
      }
      if (root.nodeType !== Node.ELEMENT_NODE && root.nodeType !== Node.DOCUMENT_NODE && root.nodeType !== Node.DOCUMENT_FRAGMENT_NODE) continue;
      if (root.nodeType === Node.ELEMENT_NODE && this.skipElement(root as Element)) continue;
      // A frame that loaded a new document: observe it like the first one.
      if (root.nodeType === Node.DOCUMENT_NODE) this.observe(root as Document);
      // Fast path: the whole subtree's text holds no known term, so only look for shadow roots
      // and frames inside it (they are not part of textContent).
      const text = root.nodeType === Node.DOCUMENT_NODE ? ((root as Document).body?.textContent ?? '') : (root.textContent ?? '');
      const textMayMatch = matcher.mayMatch(text);
      yield* this.walk(root, visit, textMayMatch, over, reset);
      if (over()) {
        yield;
        reset();
      }
    }
    // Tracked text nodes inside a changed record must be re-matched with it.
    if (roots !== null) {
      for (const root of roots) {
        if (root.nodeType === Node.ELEMENT_NODE || root.nodeType === Node.TEXT_NODE) {
          const ctx = this.contextOfNode(root);
          if (ctx) for (const t of this.textNodesIn(ctx.el)) if (this.tracked.has(t)) candidates.push(t);
        }
      }
    }

    // 2. Their records and paragraphs, in view first (rects are read before this job writes;
    // after an early commit they are not read again: that would force a layout).
    early = false;
    const contexts = this.contextsOf(candidates, true).filter((c) => !done.has(c.el));
    if (over()) {
      yield;
      deadline = performance.now() + this.sliceMs;
    }
    // Incremental jobs do not read rects: the page's own change has dirtied layout, and reading
    // would pull a (possibly whole-table) layout into our task.
    const [inView, rest] = wroteEarly || roots !== null ? [[], contexts] : this.viewportFirst(contexts);

    // 3. Plan badges record by record in slices (no DOM writes), then commit each group in one
    // synchronous step. Any insertion inside a large table makes the browser lay out the whole
    // table again (measured: ~190 ms for a single span in a 10,000-row table), so the number of
    // commits is what costs, not their size: records in view first, then all the others.
    for (const group of [inView, rest]) {
      if (group.length === 0) continue;
      const plans: Plan[] = [];
      for (const ctx of group) {
        if (ctx.el.isConnected) this.plan(matcher, ctx, plans);
        if (over()) {
          yield;
          deadline = performance.now() + this.sliceMs;
        }
      }
      this.commit(plans);
      yield;
      deadline = performance.now() + this.sliceMs;
    }

    // 4. Badges whose text went away go too.
    if (roots === null || roots.length > 0) {
      for (const [t, entry] of this.tracked) {
        if (!t.isConnected) this.untrack(t);
        else if (entry.badges.some((b) => !b.host.isConnected)) {
          // The page removed our host but kept the text (e.g. re-rendered the cell's children).
          this.dirty.add(t);
        }
      }
    }
  }

  /** Walks a subtree (entering open shadow roots and same-origin about: frames), in slices. */
  private *walk(
    root: Node,
    visitAll: (t: Text) => void,
    withText: boolean,
    over: () => boolean,
    reset: () => void,
  ): Generator<void, void, void> {
    const doc = root.nodeType === Node.DOCUMENT_NODE ? (root as Document) : (root.ownerDocument ?? this.doc);
    // Without text (the subtree cannot match) the walk only looks for shadow roots and frames.
    const show = withText ? NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT : NodeFilter.SHOW_ELEMENT;
    const walker = doc.createTreeWalker(root, show);
    let n: Node | null = walker.currentNode;
    let count = 0;
    const nested: Node[] = [];
    while (n) {
      if (n.nodeType === Node.TEXT_NODE) {
        visitAll(n as Text);
        n = walker.nextNode();
      } else if (n.nodeType === Node.ELEMENT_NODE) {
        const e = n as Element;
        if (e !== root && (SKIP_TAGS.has(e.tagName) || this.ours.has(e))) {
          if (e.tagName === 'IFRAME') nested.push(e);
          n = this.skipSubtree(walker);
          continue;
        }
        if (e.shadowRoot) nested.push(e.shadowRoot);
        n = walker.nextNode();
      } else {
        n = walker.nextNode();
      }
      if (++count % 256 === 0 && over()) {
        yield;
        reset();
      }
    }
    // Shadow roots and frames are not in their host's textContent: each gets its own fast check.
    for (const r of nested) {
      const inner = r.nodeType === Node.DOCUMENT_FRAGMENT_NODE ? (r as ShadowRoot) : this.frameDocument(r as HTMLIFrameElement);
      if (!inner) continue;
      this.observe(inner);
      const text = inner.nodeType === Node.DOCUMENT_NODE ? ((inner as Document).body?.textContent ?? '') : (inner.textContent ?? '');
      yield* this.walk(inner, visitAll, this.matcher!.mayMatch(text), over, reset);
    }
  }

  private skipSubtree(walker: TreeWalker): Node | null {
    let n: Node | null = walker.currentNode;
    while (n) {
      const sib = walker.nextSibling();
      if (sib) return sib;
      n = walker.parentNode();
    }
    return null;
  }

  /**
   * Frames whose document we may read and that our own script does not run in: about:blank and
   * srcdoc frames of the portal. A frame with its own portal URL gets its own overlay (allFrames).
   */
  private frameDocument(frame: HTMLIFrameElement): Document | null {
    try {
      const d = frame.contentDocument;
      if (!d || !d.location.protocol.startsWith('about')) return null;
      if (!this.observedRoots.has(frame)) {
        this.observedRoots.add(frame);
        frame.addEventListener('load', () => {
          const nd = frame.contentDocument;
          if (nd) {
            this.dirty.add(nd);
            this.schedule(false);
          }
        });
      }
      return d;
    } catch {
      return null;
    }
  }

  private skipElement(e: Element): boolean {
    return SKIP_TAGS.has(e.tagName) || this.ours.has(e) || e.closest(EDITABLE) !== null;
  }

  private skipText(t: Text): boolean {
    const p = t.parentElement;
    if (!p) return true;
    if (SKIP_TAGS.has(p.tagName)) return true;
    // Only checked for text that may match: closest() per node would cost the no-match page.
    return p.closest(`${EDITABLE}, textarea, script, style, noscript, template`) !== null;
  }

  private contextOfNode(n: Node): Context | null {
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
      if (!up || up === this.doc.body || (up.textContent ?? '').length > 300) break;
      el = up;
    }
    return { el, mode: 'prose' };
  }

  private textNodesIn(el: Element): Text[] {
    const out: Text[] = [];
    const walker = el.ownerDocument.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const t = n as Text;
      if (t.data.trim() && !this.skipTextCheap(t)) out.push(t);
    }
    // Text inside open shadow roots of the record counts too (a web-component cell).
    el.querySelectorAll('*').forEach((e) => {
      if (e.shadowRoot) for (const c of this.textNodesInRoot(e.shadowRoot)) out.push(c);
    });
    return out;
  }

  private textNodesInRoot(root: ShadowRoot): Text[] {
    const out: Text[] = [];
    const walker = (root.ownerDocument ?? this.doc).createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) if ((n as Text).data.trim() && !this.skipTextCheap(n as Text)) out.push(n as Text);
    return out;
  }

  private skipTextCheap(t: Text): boolean {
    const p = t.parentElement;
    return !p || SKIP_TAGS.has(p.tagName);
  }

  /** The distinct records of `texts`; with `untrack`, badges of text that may no longer be read go. */
  private contextsOf(texts: Text[], untrack: boolean): Context[] {
    const contexts = new Map<Element, Context>();
    for (const t of texts) {
      if (!t.isConnected || this.skipText(t)) {
        if (untrack) this.untrack(t);
        continue;
      }
      const ctx = this.contextOfNode(t);
      if (ctx && !contexts.has(ctx.el)) contexts.set(ctx.el, ctx);
    }
    return [...contexts.values()];
  }

  /** Splits records into those in the viewport and the rest (rects read before any write). */
  private viewportFirst(contexts: Context[]): [Context[], Context[]] {
    const view = this.doc.defaultView;
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

  // ---- badges -------------------------------------------------------------------------------

  /** Decides the badges of one record; creates new ones detached from the page. */
  private plan(matcher: Matcher, ctx: Context, plans: Plan[]): void {
    const nodes = this.textNodesIn(ctx.el);
    const matches = matchContext(
      matcher,
      nodes.map((t) => t.data),
      ctx.mode,
    );
    const bySegment = new Map<number, ContextMatch[]>();
    for (const m of matches) {
      if (!this.allowedByHints(nodes[m.segment]!, m)) continue;
      const list = bySegment.get(m.segment) ?? [];
      list.push(m);
      bySegment.set(m.segment, list);
    }
    nodes.forEach((t, i) => {
      const list = bySegment.get(i);
      if (!list || this.skipText(t)) {
        if (this.tracked.has(t)) plans.push({ t, data: t.data, badges: null });
        return;
      }
      const plan = this.planText(t, list);
      if (plan) plans.push(plan);
    });
  }

  private planText(t: Text, list: ContextMatch[]): Plan | null {
    const wanted = list.map((m) => {
      const name = t.data.slice(m.start, m.end);
      const labelled = !/^[\s\p{P}]*$/u.test(t.data.slice(m.end));
      return { m, name, labelled, signature: signatureOf(m.resolution, labelled ? name : '') };
    });
    const prev = this.tracked.get(t);
    if (
      prev &&
      prev.badges.length === wanted.length &&
      prev.badges.every((b, i) => b.signature === wanted[i]!.signature && b.host.isConnected && b.host.previousSibling === (i === 0 ? t : prev.badges[i - 1]!.host))
    ) {
      prev.data = t.data;
      return null;
    }
    const doc = t.ownerDocument;
    const badges = wanted.map((w) => {
      const b = createBadge(doc, w.m.resolution, { name: w.name, labelled: w.labelled, text: this.opts.text, onOpen: this.opts.onOpen });
      this.ours.add(b.host);
      this.applyVisibility(b.host);
      return b;
    });
    return { t, data: t.data, badges };
  }

  /** Applies planned badges in one synchronous step (one layout for the whole group). */
  private commit(plans: Plan[]): void {
    for (const p of plans) {
      // The page may have changed the text since it was planned; the mutation brings it back.
      if (!p.t.isConnected || p.t.data !== p.data) continue;
      if (p.badges === null) {
        this.untrack(p.t);
        continue;
      }
      const prev = this.tracked.get(p.t);
      if (prev) for (const b of prev.badges) b.host.remove();
      let anchor: ChildNode = p.t;
      for (const b of p.badges) {
        anchor.after(b.host);
        anchor = b.host;
      }
      this.tracked.set(p.t, { data: p.data, badges: p.badges });
    }
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

  private untrack(t: Text): void {
    const prev = this.tracked.get(t);
    if (!prev) return;
    for (const b of prev.badges) b.host.remove();
    this.tracked.delete(t);
  }

  private applyVisibility(host: HTMLElement): void {
    host.style.setProperty('display', this.visible ? 'inline-block' : 'none', 'important');
  }
}
