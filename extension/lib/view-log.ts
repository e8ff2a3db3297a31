import * as v from 'valibot';
import { browser } from 'wxt/browser';
import { type ViewKind, viewRecordSchema } from '../../core/sync/view-log.ts';
import { enqueueViews, newView } from '../../core/sync/view-queue.ts';
import { identityFromToken } from '../../core/sync/whoami.ts';
import type { SubjectRef } from './panel.ts';
import { readConnection, wsUrl } from './settings.ts';
import { cipherFor } from './data-key.ts';

/**
 * 查阅留痕 from the pages (README "View log"): a page that shows a dossier (the side panel, the
 * printable dossier page, an export, a review, a query result with dots) calls `recordViews`. The
 * entries go to the device's queue first (core/sync/view-queue.ts, on disk before this resolves),
 * then the background is asked to deliver them (view-log-host.ts); offline, they wait there.
 */

/** The owner of queued entries for the connection in force: which server, which user (the token's). */
export function ownerOf(connection: { serverUrl: string; token: string }): { server: string; user: string } {
  return { server: wsUrl(connection.serverUrl), user: identityFromToken(connection.token)?.user ?? '' };
}

export const FLUSH_VIEWS_MESSAGE = 'flush-views';

export interface Viewed {
  subject: SubjectRef;
  /** The unit whose document holds the subject; undefined while not known (nothing is logged then). */
  unit: string | undefined;
}

export async function recordViews(viewed: readonly Viewed[], view: ViewKind): Promise<void> {
  try {
    const connection = await readConnection();
    if (!connection) return;
    const entries = viewed.flatMap(({ subject, unit }) => {
      // A unit is its own unit; a cadre whose unit is not known cannot be checked against grants.
      const code = subject.type === 'unit' ? subject.id : unit;
      const entry = code ? { subject: { type: subject.type, id: subject.id }, unit: code, view } : undefined;
      // An id or code our schemas would refuse never came from our documents: not logged.
      return entry && v.is(v.omit(viewRecordSchema, ['id', 'at']), entry) ? [newView(entry)] : [];
    });
    if (entries.length === 0) return;
    // Sealed like everything else kept on this device (README "Encrypted at rest").
    await enqueueViews(entries, ownerOf(connection), await cipherFor(connection));
  } catch (error) {
    // Never in the way of reading the dossier.
    console.warn('view log: not queued', error);
    return;
  }
  await browser.runtime.sendMessage({ type: FLUSH_VIEWS_MESSAGE }).catch(() => undefined);
}
