import * as v from 'valibot';
import { httpUrl } from './settings.ts';

/**
 * GET /history?doc=NAME: who changed a document and when, as the server attributed it, with the
 * Yjs clientIDs each update carried (the server binds a clientID to the user who first wrote with it).
 */
const historySchema = v.object({
  doc: v.string(),
  entries: v.array(
    v.object({ seq: v.number(), time: v.string(), user: v.string(), name: v.string(), size: v.number(), clientIds: v.optional(v.array(v.number()), []) }),
  ),
});
export type HistoryEntry = v.InferOutput<typeof historySchema>['entries'][number];

export async function fetchHistory(serverUrl: string, token: string, doc: string, limit = 5000): Promise<HistoryEntry[] | undefined> {
  try {
    const res = await fetch(`${httpUrl(serverUrl)}/history?doc=${encodeURIComponent(doc)}&limit=${limit}`, {
      headers: { Authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) return undefined;
    const parsed = v.safeParse(historySchema, await res.json());
    return parsed.success ? parsed.output.entries : undefined;
  } catch {
    return undefined;
  }
}
