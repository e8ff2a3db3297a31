import * as v from 'valibot';
import { browser } from 'wxt/browser';
import { OPINIONS, type ReviewResult } from '../../../core/rules/review.ts';

/**
 * The log of replies sent (回复登记): 函号, date, count, purpose, requester and each person's
 * opinion.
 *
 * Why extension storage and not a Yjs document: the document layout has no place that fits. The
 * `workspace` document is admin-only configuration, and a `unit:*` document holds one unit's
 * official dossiers, while a reply spans many units and is written by the officer answering the
 * letter, who may hold no editor grant on any of them. A shared log would need a new document
 * kind with its own grants on the server; until that exists the log is kept per device in
 * storage.local, which extension pages alone can read and "wipe this device" clears with the
 * rest. Entries are validated on every read, like everything else read from storage.
 */

const KEY = 'review_log';

const personSchema = v.object({
  query: v.string(),
  cadreId: v.optional(v.string()),
  name: v.optional(v.string()),
  unitCode: v.optional(v.string()),
  post: v.optional(v.string()),
  outcome: v.picklist([...OPINIONS, 'ambiguous', 'not-found']),
});

export const logEntrySchema = v.object({
  id: v.string(),
  letterNo: v.pipe(v.string(), v.minLength(1)),
  requester: v.pipe(v.string(), v.minLength(1)),
  purpose: v.picklist(['annual-appraisal', 'promotion', 'commendation', 'reserve-cadre']),
  year: v.optional(v.number()),
  asOf: v.string(),
  /** Day the reply was recorded (the letter's date). */
  repliedOn: v.string(),
  count: v.number(),
  people: v.array(personSchema),
});
export type LogEntry = v.InferOutput<typeof logEntrySchema>;

/** The entry for a reply: what was asked and, per person, what was answered. */
export function logEntryFor(result: ReviewResult, meta: { letterNo: string; requester: string; repliedOn: string; id: string }): LogEntry {
  const r = result.request;
  return {
    ...meta,
    purpose: r.purpose,
    ...('year' in r && r.year !== undefined ? { year: r.year } : {}),
    asOf: r.asOf,
    count: result.people.length,
    people: result.people.map((p) =>
      p.match === 'found'
        ? { query: p.query, cadreId: p.cadreId, name: p.name, unitCode: p.unitCode, post: p.post, outcome: p.opinion }
        : { query: p.query, outcome: p.match },
    ),
  };
}

/** Newest first; entries that fail validation are left out rather than breaking the page. */
export async function readLog(): Promise<LogEntry[]> {
  const raw = (await browser.storage.local.get(KEY))[KEY];
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((e) => {
    const p = v.safeParse(logEntrySchema, e);
    return p.success ? [p.output] : [];
  });
}

export async function appendLog(entry: LogEntry): Promise<LogEntry[]> {
  const next = [entry, ...(await readLog())];
  await browser.storage.local.set({ [KEY]: next });
  return next;
}

export function onLogChange(cb: () => void): () => void {
  const listener = (changes: Record<string, unknown>, area: string) => {
    if (area === 'local' && KEY in changes) cb();
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}
