import type { SubjectSummary } from '../../core/model/summary.ts';
import type { SyncProgress } from './first-sync.ts';
import { sendToBackground } from './messages.ts';
import type { SubjectRef } from './panel.ts';

/**
 * Where a subject's dossier lives, from the background's index (every unit in scope). While the
 * workspace's first sync is still under way, "not in the index" means "not here yet": the answer
 * is `syncing` with the progress, and the lookup is repeated as the sync moves on, so the dossier
 * shows the moment its unit arrives. Only once everything in scope has synced is it `not-found`.
 */
export type Located =
  | { state: 'locating' }
  | { state: 'syncing'; progress: SyncProgress }
  | { state: 'found'; summary: SubjectSummary }
  | { state: 'not-found' };

const RETRY_MS = 1_000;

export async function locate(subject: SubjectRef, report: (l: Located) => void, signal: AbortSignal): Promise<void> {
  let wait = false;
  while (!signal.aborted) {
    let answer;
    try {
      answer = await sendToBackground({ type: 'lookup', subjects: [subject], wait });
    } catch {
      // The background was restarting: ask again shortly (it reopens from this device's copy).
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      continue;
    }
    if (signal.aborted) return;
    const hit = answer.results[0];
    if (hit) return report({ state: 'found', summary: hit });
    if (!answer.sync?.pending) return report({ state: 'not-found' });
    report({ state: 'syncing', progress: answer.sync });
    wait = true;
  }
}
