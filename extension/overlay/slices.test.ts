import { afterEach, describe, expect, it, vi } from 'vitest';
import { Scheduler, type Job } from './slices.ts';

const stats = () => ({ workMs: 0, maxSliceMs: 0, maxSlicePhase: '', slices: 0 });
const doc = {} as Document;

afterEach(() => {
  vi.useRealTimers();
});

describe('scheduler', () => {
  it('a burst of changes starts one job, at most 50 ms after its first change', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const start = vi.fn();
    const s = new Scheduler(doc, stats(), { start, finished: () => undefined });
    for (let t = 0; t <= 40; t += 10) {
      s.schedule(false);
      vi.advanceTimersByTime(t < 40 ? 10 : 9);
    }
    expect(start).not.toHaveBeenCalled();
    expect(s.waiting).toBe(true);
    vi.advanceTimersByTime(1);
    expect(start).toHaveBeenCalledTimes(1);
    expect(s.waiting).toBe(false);
    s.stop();
  });

  it('a quiet change starts after 16 ms; a full rescan at once; nothing after stop', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const start = vi.fn();
    const s = new Scheduler(doc, stats(), { start, finished: () => undefined });
    s.schedule(false);
    vi.advanceTimersByTime(15);
    expect(start).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(start).toHaveBeenCalledTimes(1);
    s.schedule(true);
    vi.advanceTimersByTime(0);
    expect(start).toHaveBeenCalledTimes(2);
    s.schedule(false);
    s.stop();
    vi.advanceTimersByTime(100);
    expect(start).toHaveBeenCalledTimes(2);
  });

  it('runs a job slice by slice, each in its own task, and reports when it is done', async () => {
    const st = stats();
    const ran: number[] = [];
    let finished!: () => void;
    const done = new Promise<void>((r) => (finished = r));
    const s = new Scheduler(doc, st, { start: () => undefined, finished });
    function* job(): Job {
      for (let i = 0; i < 3; i++) {
        ran.push(i);
        s.phase = `step ${i}`;
        yield;
      }
    }
    s.run(job());
    expect(s.busy).toBe(true);
    // Nothing runs in the caller's task.
    expect(ran).toEqual([]);
    await done;
    expect(ran).toEqual([0, 1, 2]);
    expect(st.slices).toBe(4);
    expect(s.busy).toBe(false);
    s.stop();
  });
});
