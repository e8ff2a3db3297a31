/**
 * The overlay's work runs as generators cut into time slices (README "Scheduling"): a job yields
 * when its slice is over, and the scheduler resumes it in a later task.
 */

/** Yielded by a job to continue after the next rendering (the page's own layout is then done). */
export const AFTER_FRAME = 'frame';
export type Step = typeof AFTER_FRAME | void;
export type Job = Generator<Step, void, void>;

/** The time slice a job runs in: `over()` when it should yield, `reset()` once resumed. */
export interface Slice {
  over(): boolean;
  reset(): void;
}

/** A burst of mutations becomes one batch after this quiet time… */
const DEBOUNCE_MS = 16;
/** …but never later than this after its first change. */
const MAX_WAIT_MS = 50;

/** Our own main-thread time, for the benchmark: work slices in ms, and the slowest one's phase. */
export interface SliceStats {
  workMs: number;
  maxSliceMs: number;
  maxSlicePhase: string;
  slices: number;
}

/**
 * Runs one job at a time in slices, each in its own task (a MessageChannel message: the page keeps
 * rendering and handling input in between), and debounces the requests that start jobs.
 */
export class Scheduler {
  private job: Job | null = null;
  private debounce: ReturnType<typeof setTimeout> | undefined;
  private firstDirtyAt = 0;
  private readonly channel = new MessageChannel();
  private stopped = false;
  /** What the running slice is doing, for `stats.maxSlicePhase` (the benchmark's attribution). */
  phase = '';

  constructor(
    private readonly doc: Document,
    private readonly stats: SliceStats,
    private readonly hooks: {
      /** The debounce is over: time to start (or extend) a job. */
      start(): void;
      /** The running job has finished. */
      finished(): void;
    },
  ) {
    this.channel.port1.onmessage = () => this.runSlice();
  }

  /** A job is running. */
  get busy(): boolean {
    return this.job !== null;
  }

  /** A start is scheduled and not yet due. */
  get waiting(): boolean {
    return this.debounce !== undefined;
  }

  /** Debounced: a burst of requests becomes one start, but never later than MAX_WAIT_MS. */
  schedule(now: boolean): void {
    if (this.stopped) return;
    const t = performance.now();
    if (this.debounce === undefined) this.firstDirtyAt = t;
    clearTimeout(this.debounce);
    const wait = now ? 0 : Math.max(0, Math.min(DEBOUNCE_MS, this.firstDirtyAt + MAX_WAIT_MS - t));
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      this.hooks.start();
    }, wait);
  }

  /** Runs `job` from the next task on (replacing a running one). */
  run(job: Job): void {
    this.job = job;
    this.channel.port2.postMessage(0);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.debounce);
    this.job = null;
    this.channel.port1.close();
  }

  private runSlice(): void {
    if (!this.job) return;
    const t0 = performance.now();
    const job = this.job;
    const r = job.next();
    const took = performance.now() - t0;
    this.stats.workMs += took;
    this.stats.slices++;
    if (took > this.stats.maxSliceMs) {
      this.stats.maxSliceMs = took;
      this.stats.maxSlicePhase = this.phase;
    }
    if (!r.done) {
      if (r.value === AFTER_FRAME) this.afterFrame(job);
      else this.channel.port2.postMessage(0);
      return;
    }
    this.job = null;
    this.hooks.finished();
  }

  /**
   * Continues `job` once the browser has rendered (requestAnimationFrame, then a task): reading
   * rects then costs nothing, where reading them right after the page changed would pull the
   * page's own (possibly whole-table) layout into our task. A hidden page renders no frames, so a
   * timer stands in.
   */
  private afterFrame(job: Job): void {
    const view = this.doc.defaultView ?? window;
    let sent = false;
    const go = () => {
      if (sent || this.job !== job) return;
      sent = true;
      this.channel.port2.postMessage(0);
    };
    view.requestAnimationFrame(() => view.setTimeout(go, 0));
    view.setTimeout(go, 250);
  }
}
