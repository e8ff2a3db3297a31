import type { SubjectSummary } from '../../core/model/summary.ts';
import { buildMatcher, type Matcher, type Resolution } from '../../core/match/matcher.ts';
import type { OpenTarget } from './badge.ts';
import { BadgeBook } from './book.ts';
import type { PortalHints } from './hints.ts';
import { LayeredPlacer } from './layered.ts';
import { Planner } from './planner.ts';
import { AFTER_FRAME, Scheduler, type Step } from './slices.ts';
import type { OverlayText } from './text.ts';
import type { Plan } from './tracked.ts';
import { frameDocument, skipElement, textNodesIn, textOf, walk, type WalkEnv } from './walker.ts';

/**
 * The overlay's DOM side: finds text nodes, hands their strings to the pure matcher, and keeps one
 * badge per match right after its text node. The page's text nodes are never split, wrapped or
 * edited; when a name sits mid-text, the badge goes after the text node and shows the name. In a
 * large table the badge is drawn in a layer beside the table instead (placement.ts, layer.ts).
 *
 * Work is a generator sliced into tasks of at most `sliceMs` (yielding through a MessageChannel so
 * the page keeps rendering and handling input), and records in view are badged before the rest.
 * A page whose text cannot contain any known term is dismissed from its textContent alone.
 *
 * Dynamic pages: a MutationObserver collects changed subtrees and text nodes, debounced; a burst
 * (many records) becomes one full rescan. Every (re)scan reconciles: a text node whose matches are
 * unchanged keeps its badges, changed ones are re-badged, badges of removed text nodes go.
 */

/** A mutation batch touching more roots than this is rescanned whole (cheaper than diffing). */
const BURST = 300;

export interface ScannerOptions {
  onOpen(target: OpenTarget): void;
  text: OverlayText;
  sliceMs?: number;
  /** Each badge made, with whom it names (the page summary counts them: page-summary.ts). */
  onBadge?(host: HTMLElement, resolution: Resolution): void;
  /** A scan has settled: nothing is pending. */
  onSettled?(): void;
}

export class OverlayScanner {
  private matcher: Matcher | null = null;
  private readonly observedRoots = new WeakSet<Node>();
  private readonly walkEnv: WalkEnv;
  private readonly book: BadgeBook;
  private readonly mo: MutationObserver;
  private dirty = new Set<Node>();
  private wantFull = false;
  private jobIsFull = false;
  private stopped = false;
  private readonly scheduler: Scheduler;
  private readonly sliceMs: number;
  private readonly placer: LayeredPlacer;
  private readonly planner: Planner;
  /** Our own main-thread time, for the benchmark: index builds and work slices, in ms. */
  readonly stats = { buildMs: 0, workMs: 0, maxSliceMs: 0, maxSlicePhase: '', slices: 0, layered: 0, inline: 0 };
  /** Resolvers waiting for the scanner to go idle (tests and the benchmark). */
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly doc: Document,
    private readonly opts: ScannerOptions,
  ) {
    this.sliceMs = opts.sliceMs ?? 8;
    this.scheduler = new Scheduler(doc, this.stats, {
      start: () => this.startJob(),
      finished: () => {
        if (this.wantFull || this.dirty.size > 0 || this.book.pendingLayers.size > 0) this.startJob();
        else this.settle();
      },
    });
    this.book = new BadgeBook(doc, () => this.schedule(false), this.stats);
    this.placer = new LayeredPlacer(
      this.book,
      this.stats,
      (phase) => (this.scheduler.phase = phase),
      (t) => this.dirty.add(t),
    );
    this.walkEnv = {
      ours: this.book.ours,
      mayMatch: (text) => this.matcher!.mayMatch(text),
      observe: (root) => this.observe(root),
      // A frame that loads a new document is walked (and observed) again.
      frameDocument: (frame) =>
        frameDocument(frame, this.observedRoots, (doc) => {
          this.dirty.add(doc);
          this.schedule(false);
        }),
    };
    this.planner = new Planner({
      doc,
      tracked: this.book.tracked,
      ours: this.book.ours,
      inlineOnly: this.book.inlineOnly,
      get text() {
        return opts.text;
      },
      onOpen: (target) => opts.onOpen(target),
      onBadge: (host, resolution) => opts.onBadge?.(host, resolution),
      layerFor: (table) => this.book.layerFor(table),
    });
    this.mo = new MutationObserver((records) => this.onMutations(records));
    this.observe(doc);
  }

  /** New index (or hints): every badge is re-evaluated. */
  setIndex(subjects: readonly SubjectSummary[], hints?: PortalHints | null): void {
    const t0 = performance.now();
    this.matcher = buildMatcher(subjects);
    this.stats.buildMs += performance.now() - t0;
    this.planner.setHints(hints);
    this.requestFull();
  }

  setVisible(visible: boolean): void {
    this.book.setVisible(visible);
  }

  /** A full rescan, e.g. after SPA navigation. */
  requestFull(): void {
    this.wantFull = true;
    this.schedule(true);
  }

  stop(): void {
    this.stopped = true;
    this.mo.disconnect();
    this.scheduler.stop();
    this.book.clear();
  }

  /** Resolves when no work is pending (used by tests and benchmarks, never by the product). */
  idle(): Promise<void> {
    if (
      !this.scheduler.busy &&
      !this.wantFull &&
      this.dirty.size === 0 &&
      this.book.pendingLayers.size === 0 &&
      !this.scheduler.waiting
    )
      return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  get badgeCount(): number {
    return this.book.badgeCount;
  }

  /** Whether `t` has its badges on screen (the benchmark's "badged" for rows in view). */
  isBadged(t: Text): boolean {
    return this.book.isBadged(t);
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
        if (this.book.ours.has(n)) return;
        this.dirty.add(n);
        relevant = true;
      });
      r.removedNodes.forEach((n) => {
        if (!this.book.ours.has(n)) relevant = true;
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

  /** Debounced: a burst of mutations becomes one batch (slices.ts). */
  private schedule(now: boolean): void {
    this.scheduler.schedule(now);
  }

  private startJob(): void {
    if (!this.matcher || this.stopped) return this.settle();
    if (this.scheduler.busy && !(this.wantFull && !this.jobIsFull)) return; // the running job picks it up after
    this.planner.newJob();
    if (this.wantFull) {
      this.wantFull = false;
      this.dirty.clear();
      this.jobIsFull = true;
      this.scheduler.run(this.work(null));
    } else {
      const roots = [...this.dirty];
      this.dirty.clear();
      this.jobIsFull = false;
      this.scheduler.run(this.work(roots));
    }
  }

  private settle(): void {
    if (
      this.scheduler.busy ||
      this.wantFull ||
      this.dirty.size > 0 ||
      this.book.pendingLayers.size > 0 ||
      this.scheduler.waiting
    )
      return;
    this.opts.onSettled?.();
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  // ---- the work -----------------------------------------------------------------------------

  /** One scan, full (`roots === null`) or of changed subtrees, as a generator of time slices. */
  private *work(roots: Node[] | null): Generator<Step, void, void> {
    const matcher = this.matcher!;
    let deadline = performance.now() + this.sliceMs;
    const over = () => performance.now() > deadline;
    const candidates: Text[] = [];

    // A node counts if it holds an accepted match of its own (look-alikes such as 王芳芳 contain
    // a known term but are rejected here, before any record is looked at), or held one before.
    const visit = (t: Text) => {
      if (
        (t.data.length >= 2 && matcher.mayMatch(t.data) && matcher.find(t.data).length > 0) ||
        this.book.tracked.has(t)
      )
        candidates.push(t);
    };

    // First badges early: after the first slice of a full scan, the top of the document has been
    // walked; the records found so far that are in view are badged right away (rects are read
    // before this job's first write, so no layout is forced), the rest of the page after the walk.
    const done = new Set<Element>();
    // Layered badges that fit nowhere go into the flow last, in one step: that step lays out their
    // large table, and no geometry may be read after it in this job.
    const misfits: Plan[] = [];
    let early = roots === null;
    let wroteEarly = false;
    const reset = () => {
      deadline = performance.now() + this.sliceMs;
      if (!early) return;
      early = false;
      const [inView] = this.planner.viewportFirst(this.planner.contextsOf(candidates));
      const plans: Plan[] = [];
      for (const ctx of inView) {
        this.planner.plan(matcher, ctx, plans);
        done.add(ctx.el);
      }
      if (plans.length > 0) {
        this.scheduler.phase = 'commit in view';
        this.commitNow(plans, misfits);
        wroteEarly = true;
      }
    };

    // 1. Find text nodes that may hold a known term (and those that held one before).
    this.scheduler.phase = 'walk';
    const walkRoots: Node[] = roots === null ? [this.doc] : roots;
    for (const root of walkRoots) {
      if (!root.isConnected) continue;
      if (root.nodeType === Node.TEXT_NODE) {
        visit(root as Text);
        continue;
      }
      if (
        root.nodeType !== Node.ELEMENT_NODE &&
        root.nodeType !== Node.DOCUMENT_NODE &&
        root.nodeType !== Node.DOCUMENT_FRAGMENT_NODE
      )
        continue;
      if (root.nodeType === Node.ELEMENT_NODE && skipElement(root as Element, this.book.ours)) continue;
      // A frame that loaded a new document: observe it like the first one.
      if (root.nodeType === Node.DOCUMENT_NODE) this.observe(root as Document);
      // Fast path: the whole subtree's text holds no known term, so only look for shadow roots
      // and frames inside it (they are not part of textContent).
      yield* walk(root, this.walkEnv, visit, matcher.mayMatch(textOf(root)), { over, reset });
      if (over()) {
        yield;
        reset();
      }
    }
    // Tracked text nodes inside a changed record must be re-matched with it.
    if (roots !== null) {
      for (const root of roots) {
        if (root.nodeType === Node.ELEMENT_NODE || root.nodeType === Node.TEXT_NODE) {
          const ctx = this.planner.contextOf(root);
          if (ctx) for (const t of textNodesIn(ctx.el)) if (this.book.tracked.has(t)) candidates.push(t);
        }
      }
    }

    // 2. Their records and paragraphs, in view first (rects are read before this job writes;
    // after an early commit they are not read again: that would force a layout).
    early = false;
    const contexts = this.planner.contextsOf(candidates, (t) => this.book.untrack(t)).filter((c) => !done.has(c.el));
    if (over()) {
      yield;
      deadline = performance.now() + this.sliceMs;
    }
    // Incremental jobs do not read rects: the page's own change has dirtied layout, and reading
    // would pull a (possibly whole-table) layout into our task.
    const [inView, rest] = wroteEarly || roots !== null ? [[], contexts] : this.planner.viewportFirst(contexts);

    this.scheduler.phase = 'plan';
    // 3. Plan badges record by record in slices (no DOM writes), then commit each group in one
    // synchronous step. Any insertion inside a large table makes the browser lay out the whole
    // table again (measured: ~190 ms for a single span in a 10,000-row table), so the number of
    // commits is what costs, not their size: records in view first, then all the others.
    for (const group of [inView, rest]) {
      if (group.length === 0) continue;
      const plans: Plan[] = [];
      for (const ctx of group) {
        if (ctx.el.isConnected) this.planner.plan(matcher, ctx, plans);
        if (over()) {
          yield;
          deadline = performance.now() + this.sliceMs;
        }
      }
      // Layered badges are placed from rects, read once the page has rendered (it may just have
      // changed: a rescan after a burst, rows re-rendered), so its own layout is not ours to pay.
      if (plans.some((p) => p.layer)) yield AFTER_FRAME;
      yield* this.commitSliced(plans, misfits, over, () => (deadline = performance.now() + this.sliceMs));
      yield;
      deadline = performance.now() + this.sliceMs;
    }
    this.book.commitInline(misfits);

    this.scheduler.phase = 'plan';
    // 4. Badges whose text went away go too.
    if (roots === null || roots.length > 0) {
      for (const [t, entry] of this.book.tracked) {
        if (!t.isConnected) this.book.untrack(t);
        else if (entry.badges.some((b) => !b.host.isConnected)) {
          // The page removed our host (or layer) but kept the text (e.g. re-rendered the cell).
          this.dirty.add(t);
        }
      }
    }
    // Layers made for plans that never placed a badge (the text changed meanwhile).
    this.book.dropEmptyLayers();
    // A change inside a layered table may have moved any of its names (rows above, column
    // widths): its badges are placed again. So are those of tables that changed size.
    if (roots !== null) {
      for (const root of roots) {
        for (const [table, layer] of this.book.layers) if (table.contains(root)) this.book.pendingLayers.add(layer);
      }
    }
    if (this.book.pendingLayers.size > 0) {
      yield AFTER_FRAME;
      deadline = performance.now() + this.sliceMs;
      yield* this.placer.placeAgain({ over, reset: () => (deadline = performance.now() + this.sliceMs) });
    }
  }

  /**
   * Applies a group's plans. Badges in the flow go in one synchronous step at the end (one layout
   * for the whole group: in a table every commit costs a layout of the table). Layered badges are
   * placed by `placeLayered`, and those that fit nowhere join the job's last flow step.
   */
  private *commitSliced(
    plans: Plan[],
    misfits: Plan[],
    over: () => boolean,
    reset: () => void,
  ): Generator<Step, void, void> {
    const live = plans.filter((p) => p.t.isConnected && p.t.data === p.data);
    const layered = live.filter((p) => p.badges && p.layer);
    if (layered.length > 0) yield* this.placer.place(layered, misfits, { over, reset });
    this.book.commitInline(live.filter((p) => !(p.badges && p.layer)));
  }

  /** A group committed within the current slice (the few records in view, found early). */
  private commitNow(plans: Plan[], misfits: Plan[]): void {
    const job = this.commitSliced(
      plans,
      misfits,
      () => false,
      () => undefined,
    );
    while (!job.next().done);
  }
}
