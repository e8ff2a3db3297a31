import type { WorkspaceStatus } from './status.ts';

/**
 * The workspace's status (status.ts, `aggregate`) for its listeners, once per burst of changes.
 * Aggregating is O(documents), and a hundred documents syncing change their status hundreds of
 * times in a burst: listeners hear the latest once the burst's tasks have run, and nothing is
 * aggregated while nobody listens (e.g. a CLI import).
 */
export interface StatusBursts {
  /** A document's status changed. */
  changed(): void;
  onStatus(listener: (status: WorkspaceStatus) => void): () => void;
  /** Nobody hears anything more. */
  stop(): void;
}

export function statusBursts(status: () => WorkspaceStatus, closed: () => boolean): StatusBursts {
  const listeners = new Set<(s: WorkspaceStatus) => void>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tell = () => {
    timer = undefined;
    if (closed() || listeners.size === 0) return;
    const s = status();
    for (const l of listeners) l(s);
  };
  return {
    changed() {
      if (listeners.size > 0) timer ??= setTimeout(tell, 0);
    },
    onStatus(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    stop() {
      clearTimeout(timer);
      listeners.clear();
    },
  };
}
