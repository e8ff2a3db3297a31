import * as v from 'valibot';
import { browser } from 'wxt/browser';
import { subjectSchema as subjectRef } from '../../core/model/schemas.ts';
import type { SubjectSummary } from '../../core/model/summary.ts';
import type { WorkspaceStatus } from '../../core/sync/index.ts';
import type { SyncProgress } from './first-sync.ts';

/**
 * Requests extension pages send to the background (runtime messages). Every message is validated
 * on arrival: runtime messages can also come from our content script running on a third-party
 * page, so nothing is trusted for its shape.
 */

export const requestSchema = v.variant('type', [
  /** Close the workspace, delete every local database and setting (the options page's wipe). */
  v.object({ type: v.literal('wipe') }),
  /** Search the background's local index (every unit in scope), so a page need not open them all. */
  v.object({
    type: v.literal('search'),
    query: v.pipe(v.string(), v.maxLength(100)),
    limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100)), 20),
  }),
  /**
   * Index entries for given subjects (where they live, their names), null when unknown, and how far
   * the first sync has come. With `wait`, an answer with a subject still unknown while the first
   * sync runs is held until that progresses (or LOOKUP_WAIT_MS pass): ask again while `pending`.
   */
  v.object({
    type: v.literal('lookup'),
    subjects: v.pipe(v.array(subjectRef), v.maxLength(50)),
    wait: v.optional(v.boolean()),
  }),
  /** The background workspace's sync status (the options page shows it). */
  v.object({ type: v.literal('status') }),
  /** Open the side panel on a subject in the sender's tab (used by extension pages' links). */
  v.object({ type: v.literal('open-dossier'), subject: subjectRef }),
]);
export type Request = v.InferOutput<typeof requestSchema>;
export type RequestInput = v.InferInput<typeof requestSchema>;

export type WipeResponse = { ok: true; removedDatabases: string[] } | { ok: false; error: string };

export type StatusResponse = { status: WorkspaceStatus | null };
export type SearchResponse = { results: SubjectSummary[] };
export type LookupResponse = { results: (SubjectSummary | null)[]; sync: SyncProgress | null };

export function sendToBackground(req: { type: 'wipe' }): Promise<WipeResponse>;
export function sendToBackground(req: { type: 'status' }): Promise<StatusResponse>;
export function sendToBackground(req: { type: 'search'; query: string; limit?: number }): Promise<SearchResponse>;
export function sendToBackground(req: {
  type: 'lookup';
  subjects: { type: 'cadre' | 'unit'; id: string }[];
  wait?: boolean;
}): Promise<LookupResponse>;
export function sendToBackground(req: RequestInput): Promise<unknown>;
export function sendToBackground(req: RequestInput): Promise<unknown> {
  // Firefox structured-clones messages and refuses a Svelte $state proxy (DataCloneError: a
  // dossier panel's subject is one); Chrome serialises them as JSON. Requests are plain JSON by
  // design, so sending a JSON copy is exact in both.
  return browser.runtime.sendMessage(JSON.parse(JSON.stringify(req)) as RequestInput);
}
