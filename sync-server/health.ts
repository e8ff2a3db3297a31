/**
 * What is wrong with the store, for operators: integrity check failures, acknowledged writes that
 * storage no longer holds, stored updates that do not apply. Every problem is logged as an error
 * when reported; `GET /healthz` answers 503 with the list while any is known, and `/metrics`
 * counts them (`dossierlens_store_problems`). Problems found at start stay until the next start,
 * or until an operator clears the alarm (`cli check --clear`, see integrity.ts).
 */
import type { Logger } from './log.ts';
import type { Metrics } from './metrics.ts';
import type { StoreProblem } from './storage/types.ts';

export type { StoreProblem };

export class Health {
  private readonly known = new Map<string, StoreProblem>();

  constructor(
    private readonly log: Logger,
    private readonly metrics: Metrics,
  ) {}

  report(problem: StoreProblem): void {
    const key = `${problem.kind}\u0000${problem.doc ?? ''}\u0000${problem.seq ?? ''}\u0000${problem.detail}`;
    if (this.known.has(key)) return;
    // Keep the list bounded: a thousand distinct problems say all there is to say.
    if (this.known.size >= 1000) return;
    this.known.set(key, problem);
    this.metrics.storeProblems = this.known.size;
    this.log.error('store damaged', {
      problem: problem.kind,
      detail: problem.detail,
      doc: problem.doc,
      seq: problem.seq,
    });
  }

  /** Forget everything reported (an operator cleared the alarm; current problems are reported again). */
  clear(): void {
    this.known.clear();
    this.metrics.storeProblems = 0;
  }

  /** Services the server depends on (database, Redis): name → reachable, from the last check. */
  readonly dependencies = new Map<string, boolean>();

  /** Record a dependency's state; a change is logged once, as an error when it goes down. */
  dependency(name: string, up: boolean): void {
    if (this.dependencies.get(name) === up) return;
    const before = this.dependencies.get(name);
    this.dependencies.set(name, up);
    this.metrics.dependencies.set(name, up);
    if (!up) this.log.error('dependency unreachable', { dependency: name });
    else if (before === false) this.log.info('dependency reachable again', { dependency: name });
  }

  get ok(): boolean {
    return this.known.size === 0 && [...this.dependencies.values()].every(Boolean);
  }

  get problems(): StoreProblem[] {
    return [...this.known.values()];
  }
}
