/**
 * Integrity of the store, at start and on demand (`npm run cli -- check`).
 *
 * `Storage.verify` finds structural damage, values that no longer match their hash, and
 * acknowledged writes that storage no longer holds (the commit mark). What it finds is reported
 * loudly (health.ts: an error log line per problem, `/healthz` 503, `/metrics`) and written to
 * `integrity-alarm.json` in the data directory, so the alarm outlives a restart: once the store has
 * taken new writes, a lost tail can no longer be seen from the data alone. The server keeps serving
 * meanwhile, on purpose: clients that still hold the lost writes (the extension keeps every edit in
 * IndexedDB until the server acknowledges it) send them again when they reconnect. An operator who
 * has looked into it clears the alarm with `cli check --clear`.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Health } from './health.ts';
import type { Storage, StoreProblem } from './storage/types.ts';

export const alarmFileName = 'integrity-alarm.json';

interface Alarm {
  detectedAt: string;
  problems: StoreProblem[];
}

export function readAlarm(dataDir: string): Alarm | null {
  try {
    const parsed = JSON.parse(readFileSync(join(dataDir, alarmFileName), 'utf8')) as Alarm;
    return Array.isArray(parsed.problems) ? parsed : null;
  } catch {
    return existsSync(join(dataDir, alarmFileName))
      ? { detectedAt: 'unknown', problems: [{ kind: 'integrity', detail: `${alarmFileName} is unreadable` }] }
      : null;
  }
}

const sameProblem = (a: StoreProblem, b: StoreProblem) =>
  a.kind === b.kind && a.detail === b.detail && a.doc === b.doc && a.seq === b.seq;

function raiseAlarm(dataDir: string, found: StoreProblem[]): StoreProblem[] {
  const alarm = readAlarm(dataDir) ?? { detectedAt: new Date().toISOString(), problems: [] };
  const added = found.filter((problem) => !alarm.problems.some((known) => sameProblem(known, problem)));
  if (added.length > 0)
    writeFileSync(
      join(dataDir, alarmFileName),
      JSON.stringify({ ...alarm, problems: [...alarm.problems, ...added] }, null, 2) + '\n',
    );
  return [...alarm.problems, ...added];
}

export interface IntegrityReport {
  ok: boolean;
  /** Everything the alarm holds: found now, and found before and not yet cleared. */
  problems: StoreProblem[];
  cleared: boolean;
}

/**
 * Verify the store; report and remember what is wrong. With `clear`, first acknowledge what was
 * found before (the alarm is removed and the commit mark lowered to what storage holds), so only
 * what is wrong now remains.
 */
export async function checkIntegrity(
  storage: Storage,
  dataDir: string,
  options: { full: boolean; clear?: boolean },
  health?: Health,
): Promise<IntegrityReport> {
  if (options.clear) {
    await storage.acknowledgeLoss();
    rmSync(join(dataDir, alarmFileName), { force: true });
    health?.clear();
  }
  const found = await storage.verify({ full: options.full });
  const problems = found.length > 0 ? raiseAlarm(dataDir, found) : (readAlarm(dataDir)?.problems ?? []);
  for (const problem of problems) health?.report(problem);
  return { ok: problems.length === 0, problems, cleared: options.clear === true };
}
