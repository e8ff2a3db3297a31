import type { Matcher } from '../../core/match/matcher.ts';
import type { BadgeBook } from './book.ts';
import type { LayeredPlacer } from './layered.ts';
import type { Planner } from './planner.ts';
import { AFTER_FRAME, type Job, type Step } from './slices.ts';
import type { Plan } from './tracked.ts';
import { skipElement, textNodesIn, textOf, walk, type WalkEnv } from './walker.ts';

/**
 * One scan of the page as a job of time slices (README "Scheduling", "Dynamic pages"): walk the
 * text (walker.ts), plan the badges of its records (planner.ts), commit them in the flow
 * (book.ts) or in a large table's layer (layered.ts), then drop the badges of text that went.
 * Records in view are badged first. No DOM write happens while planning.
 */

/** The parts a scan works with (the scanner owns them, scanner.ts). */
export interface ScanEnv {
  readonly doc: Document;
  readonly matcher: Matcher;
  readonly sliceMs: number;
  readonly book: BadgeBook;
  readonly planner: Planner;
  readonly placer: LayeredPlacer;
  readonly walkEnv: WalkEnv;
  /** What the running slice is doing (the benchmark's attribution of long slices). */
  setPhase(phase: string): void;
  /** A frame's new document: observed like the first one. */
  observe(doc: Document): void;
  /** Text to be planned again by the next job (e.g. the page removed our host but kept it). */
  replan(t: Text): void;
}

/** One scan, full (`roots === null`) or of changed subtrees, as a generator of time slices. */
export function* scan(env: ScanEnv, roots: Node[] | null): Job {
  const { matcher, book, planner } = env;
  let deadline = performance.now() + env.sliceMs;
  const over = () => performance.now() > deadline;
  const candidates: Text[] = [];

  // A node counts if it holds an accepted match of its own (look-alikes such as 王芳芳 contain
  // a known term but are rejected here, before any record is looked at), or held one before.
  const visit = (t: Text) => {
    if ((t.data.length >= 2 && matcher.mayMatch(t.data) && matcher.find(t.data).length > 0) || book.tracked.has(t))
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
    deadline = performance.now() + env.sliceMs;
    if (!early) return;
    early = false;
    const [inView] = planner.viewportFirst(planner.contextsOf(candidates));
    const plans: Plan[] = [];
    for (const ctx of inView) {
      planner.plan(matcher, ctx, plans);
      done.add(ctx.el);
    }
    if (plans.length > 0) {
      env.setPhase('commit in view');
      commitNow(env, plans, misfits);
      wroteEarly = true;
    }
  };

  // 1. Find text nodes that may hold a known term (and those that held one before).
  env.setPhase('walk');
  const walkRoots: Node[] = roots === null ? [env.doc] : roots;
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
    if (root.nodeType === Node.ELEMENT_NODE && skipElement(root as Element, book.ours)) continue;
    // A frame that loaded a new document: observe it like the first one.
    if (root.nodeType === Node.DOCUMENT_NODE) env.observe(root as Document);
    // Fast path: the whole subtree's text holds no known term, so only look for shadow roots
    // and frames inside it (they are not part of textContent).
    yield* walk(root, env.walkEnv, visit, matcher.mayMatch(textOf(root)), { over, reset });
    if (over()) {
      yield;
      reset();
    }
  }
  // Tracked text nodes inside a changed record must be re-matched with it.
  if (roots !== null) {
    for (const root of roots) {
      if (root.nodeType === Node.ELEMENT_NODE || root.nodeType === Node.TEXT_NODE) {
        const ctx = planner.contextOf(root);
        if (ctx) for (const t of textNodesIn(ctx.el)) if (book.tracked.has(t)) candidates.push(t);
      }
    }
  }

  // 2. Their records and paragraphs, in view first (rects are read before this job writes;
  // after an early commit they are not read again: that would force a layout).
  early = false;
  const contexts = planner.contextsOf(candidates, (t) => book.untrack(t)).filter((c) => !done.has(c.el));
  if (over()) {
    yield;
    deadline = performance.now() + env.sliceMs;
  }
  // Incremental jobs do not read rects: the page's own change has dirtied layout, and reading
  // would pull a (possibly whole-table) layout into our task.
  const [inView, rest] = wroteEarly || roots !== null ? [[], contexts] : planner.viewportFirst(contexts);

  env.setPhase('plan');
  // 3. Plan badges record by record in slices (no DOM writes), then commit each group in one
  // synchronous step. Any insertion inside a large table makes the browser lay out the whole
  // table again (measured: ~190 ms for a single span in a 10,000-row table), so the number of
  // commits is what costs, not their size: records in view first, then all the others.
  for (const group of [inView, rest]) {
    if (group.length === 0) continue;
    const plans: Plan[] = [];
    for (const ctx of group) {
      if (ctx.el.isConnected) planner.plan(matcher, ctx, plans);
      if (over()) {
        yield;
        deadline = performance.now() + env.sliceMs;
      }
    }
    // Layered badges are placed from rects, read once the page has rendered (it may just have
    // changed: a rescan after a burst, rows re-rendered), so its own layout is not ours to pay.
    if (plans.some((p) => p.layer)) yield AFTER_FRAME;
    yield* commitSliced(env, plans, misfits, over, () => (deadline = performance.now() + env.sliceMs));
    yield;
    deadline = performance.now() + env.sliceMs;
  }
  book.commitInline(misfits);

  env.setPhase('plan');
  // 4. Badges whose text went away go too.
  if (roots === null || roots.length > 0) {
    for (const [t, entry] of book.tracked) {
      if (!t.isConnected) book.untrack(t);
      else if (entry.badges.some((b) => !b.host.isConnected)) {
        // The page removed our host (or layer) but kept the text (e.g. re-rendered the cell).
        env.replan(t);
      }
    }
  }
  // Layers made for plans that never placed a badge (the text changed meanwhile).
  book.dropEmptyLayers();
  // A change inside a layered table may have moved any of its names (rows above, column
  // widths): its badges are placed again. So are those of tables that changed size.
  if (roots !== null) {
    for (const root of roots) {
      for (const [table, layer] of book.layers) if (table.contains(root)) book.pendingLayers.add(layer);
    }
  }
  if (book.pendingLayers.size > 0) {
    yield AFTER_FRAME;
    deadline = performance.now() + env.sliceMs;
    yield* env.placer.placeAgain({ over, reset: () => (deadline = performance.now() + env.sliceMs) });
  }
}

/**
 * Applies a group's plans. Badges in the flow go in one synchronous step at the end (one layout
 * for the whole group: in a table every commit costs a layout of the table). Layered badges are
 * placed by `layered.ts`, and those that fit nowhere join the job's last flow step.
 */
function* commitSliced(
  env: ScanEnv,
  plans: Plan[],
  misfits: Plan[],
  over: () => boolean,
  reset: () => void,
): Generator<Step, void, void> {
  const live = plans.filter((p) => p.t.isConnected && p.t.data === p.data);
  const layered = live.filter((p) => p.badges && p.layer);
  if (layered.length > 0) yield* env.placer.place(layered, misfits, { over, reset });
  env.book.commitInline(live.filter((p) => !(p.badges && p.layer)));
}

/** A group committed within the current slice (the few records in view, found early). */
function commitNow(env: ScanEnv, plans: Plan[], misfits: Plan[]): void {
  const job = commitSliced(
    env,
    plans,
    misfits,
    () => false,
    () => undefined,
  );
  while (!job.next().done);
}
