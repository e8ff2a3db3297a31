import type { Alert, AlertRecord } from '../model/alert.ts';
import type { Claim, UserState } from '../doc/user-doc.ts';

/**
 * Telling a user about an alert once, whichever of their devices computes it first. Every device
 * evaluates the alerts from its own synced copy; the user's own document (core/doc/user-doc.ts)
 * says which alerts the user has been told about. Two devices online at once receive a colleague's
 * edit at the same moment and would both announce it; so a device first *claims* the new keys,
 * waits until the server has its claim on disk and a moment longer for the other devices' claims
 * to arrive, and announces only the keys whose earliest fresh claim is its own (time, then device
 * id: the same answer on every device). The winner records the alert, which ends the matter.
 *
 * The first evaluation for a user records what already holds as a baseline and announces nothing:
 * enrolling must not bring two hundred old warnings as news. A device offline cannot confirm its
 * claims, so it announces after coming back online; the inbox (the records) is the same on every
 * device. A claim older than STALE_MS is ignored, so a device that claimed and then went away does
 * not hold an alert back for ever.
 */

export const STALE_MS = 5 * 60_000;
export const DEFAULT_SETTLE_MS = 1500;

export interface AnnounceDeps {
  state: UserState;
  device: string;
  now: () => Date;
  /** Resolves when the server has this device's changes to the user document on disk. */
  confirmed: () => Promise<void>;
  wait: (ms: number) => Promise<void>;
  settleMs?: number;
}

/** The claim that decides: the earliest fresh one, ties by device id. */
export function claimWinner(claims: readonly Claim[], now: Date): Claim | undefined {
  const fresh = claims.filter((c) => now.getTime() - Date.parse(c.at) < STALE_MS);
  return [...fresh].sort((a, b) =>
    a.at < b.at ? -1 : a.at > b.at ? 1 : a.device < b.device ? -1 : a.device > b.device ? 1 : 0,
  )[0];
}

const recordOf = (a: Alert, raisedAt: string, baseline?: boolean): AlertRecord => ({
  ...a,
  raisedAt,
  ...(baseline ? { baseline } : {}),
});

/**
 * Claims and settles the alerts the user has not been told about; resolves with those this device
 * must announce (already recorded in the user's document).
 */
export async function announce(current: readonly Alert[], deps: AnnounceDeps): Promise<AlertRecord[]> {
  const { state, device } = deps;
  const at = deps.now().toISOString();
  if (!state.baselineAt()) {
    state.record(
      current.map((a) => recordOf(a, at, true)),
      { baselineAt: at },
    );
    return [];
  }
  const fresh = current.filter((a) => !state.has(a.key));
  // Someone else's fresh claim: that device is on it.
  const mine = fresh.filter((a) =>
    state.claims(a.key).every((c) => c.device === device || deps.now().getTime() - Date.parse(c.at) >= STALE_MS),
  );
  if (mine.length === 0) return [];
  state.claim(
    mine.map((a) => a.key),
    device,
    at,
  );
  await deps.confirmed();
  await deps.wait(deps.settleMs ?? DEFAULT_SETTLE_MS);
  const now = deps.now();
  const won = mine.filter((a) => !state.has(a.key) && claimWinner(state.claims(a.key), now)?.device === device);
  const records = won.map((a) => recordOf(a, now.toISOString()));
  state.record(records);
  state.pruneClaims(new Date(now.getTime() - 24 * 3600_000).toISOString());
  return records;
}

/** What the inbox counts as new: raised after the user last looked, baseline aside. */
export function unseen(records: readonly AlertRecord[], lastSeenAt: string | undefined): AlertRecord[] {
  return records.filter((r) => !r.baseline && (!lastSeenAt || r.raisedAt > lastSeenAt));
}
