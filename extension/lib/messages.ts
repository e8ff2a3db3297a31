import * as v from 'valibot';
import { browser } from 'wxt/browser';
import type { WorkspaceStatus } from '../../core/sync/index.ts';

/**
 * Requests extension pages send to the background (runtime messages). Every message is validated
 * on arrival: runtime messages can also come from our content script running on a third-party
 * page, so nothing is trusted for its shape.
 */

const subjectRef = v.object({ type: v.picklist(['cadre', 'unit']), id: v.pipe(v.string(), v.minLength(1), v.maxLength(64)) });

export const requestSchema = v.variant('type', [
  /** Close the workspace, delete every local database and setting (the options page's wipe). */
  v.object({ type: v.literal('wipe') }),
  /** The background workspace's sync status (the options page shows it). */
  v.object({ type: v.literal('status') }),
  /** Open the side panel on a subject in the sender's tab (used by extension pages' links). */
  v.object({ type: v.literal('open-dossier'), subject: subjectRef }),
]);
export type Request = v.InferOutput<typeof requestSchema>;

export type WipeResponse = { ok: true; removedDatabases: string[] } | { ok: false; error: string };

export type StatusResponse = { status: WorkspaceStatus | null };

export function sendToBackground(req: { type: 'wipe' }): Promise<WipeResponse>;
export function sendToBackground(req: { type: 'status' }): Promise<StatusResponse>;
export function sendToBackground(req: Request): Promise<unknown>;
export function sendToBackground(req: Request): Promise<unknown> {
  return browser.runtime.sendMessage(req);
}
