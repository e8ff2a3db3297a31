import type { SubjectSummary } from '../../core/model/summary.ts';
import { buildMatcher, type Matcher, type Resolution } from '../../core/match/matcher.ts';
import type { OpenTarget } from './badge.ts';
import { BadgeBook } from './book.ts';
import type { PortalHints } from './hints.ts';
import { LayeredPlacer } from './layered.ts';
import { Planner } from './planner.ts';
import { scan, type ScanEnv } from './scan.ts';
import { Scheduler } from './slices.ts';
import type { OverlayText } from './text.ts';
import { frameDocument, type WalkEnv } from './walker.ts';

/**
 * The overlay's DOM side, as a coordinator (README "The portal overlay"): it owns the matcher, the
 * MutationObserver and the state of one page, and decides which job runs next — a full scan, or
 * one of the subtrees that changed (a burst becomes one full rescan). The jobs themselves are in
 * `scan.ts`; the parts they use: `walker.ts` (which text is read), `planner.ts` (records and
 * planned badges), `book.ts` (the badges on the page, committed in the flow), `layered.ts` (large
 * tables' layers) and `slices.ts` (time slices and the debounce).
 *
 * The page's text nodes are never split, wrapped or edited. Every (re)scan reconciles: a text node
 * whose matches are unchanged keeps its badges, changed ones are re-badged, badges of removed text
 * nodes go.
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
      this.scheduler.run(scan(this.scanEnv(), null));
    } else {
      const roots = [...this.dirty];
      this.dirty.clear();
      this.jobIsFull = false;
      this.scheduler.run(scan(this.scanEnv(), roots));
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

  private scanEnv(): ScanEnv {
    const matcher = () => this.matcher!;
    return {
      doc: this.doc,
      // Read when the job starts running, not when it is made (as a method's generator would).
      get matcher() {
        return matcher();
      },
      sliceMs: this.sliceMs,
      book: this.book,
      planner: this.planner,
      placer: this.placer,
      walkEnv: this.walkEnv,
      setPhase: (phase) => (this.scheduler.phase = phase),
      observe: (doc) => this.observe(doc),
      replan: (t) => this.dirty.add(t),
    };
  }
}
