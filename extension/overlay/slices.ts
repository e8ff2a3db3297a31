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
