import * as v from 'valibot';
import { subjectSchema } from '../model/schemas.ts';
import { UNIT_CODE_SOURCE } from '../model/unit-code.ts';
import { httpUrl } from './whoami.ts';

/**
 * 查阅留痕, the view log, on the wire (README "View log"). A device says only what was opened, where
 * and when by its own clock; the server stamps who (the token's user) and its own time, checks the
 * user may read the subject's unit document, and appends. Entries are delivered in batches
 * (POST /views) from a queue kept on the device, so views made offline arrive later; each carries
 * an id chosen when it was made, so a batch sent twice (the answer was lost) is recorded once.
 */

/** The views that open a dossier: side panel, printable dossier page, an export, a review, a query result with dots. */
export const VIEW_KINDS = ['sidepanel', 'print', 'export', 'review', 'search'] as const;
export type ViewKind = (typeof VIEW_KINDS)[number];

/** At most this many entries per POST /views; a queue longer than that goes in several. */
export const MAX_VIEWS_PER_BATCH = 200;

export const viewRecordSchema = v.strictObject({
  id: v.pipe(v.string(), v.regex(/^[A-Za-z0-9-]{8,64}$/u, 'id: 8 to 64 letters, digits or -')),
  // The model's subject reference, strict on the wire.
  subject: v.strictObject(subjectSchema.entries),
  /** Code of the unit whose document holds the subject: the grant the server checks. */
  unit: v.pipe(v.string(), v.regex(new RegExp(`^${UNIT_CODE_SOURCE}$`, 'u'), 'unit: a unit code')),
  view: v.picklist(VIEW_KINDS),
  /** When it was opened, by the device's clock (ms since the epoch). */
  at: v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(8.64e15)),
});
export type ViewRecord = v.InferOutput<typeof viewRecordSchema>;

export const viewBatchSchema = v.strictObject({
  views: v.pipe(v.array(viewRecordSchema), v.minLength(1), v.maxLength(MAX_VIEWS_PER_BATCH)),
});

/** One entry as GET /views answers it (admins only). */
export const viewEntrySchema = v.object({
  seq: v.number(),
  user: v.string(),
  name: v.string(),
  subject: v.object({ type: v.picklist(['cadre', 'unit']), id: v.string() }),
  unit: v.string(),
  view: v.string(),
  /** ISO 8601: the device's time of opening, and the server's time of recording. */
  at: v.string(),
  recorded: v.string(),
});
export type ViewEntry = v.InferOutput<typeof viewEntrySchema>;

export type SendResult =
  | { ok: true; recorded: number }
  /** These entries may never be recorded (the user cannot read their subjects): drop them, send the rest. */
  | { ok: false; refused: string[] }
  /** Try again later: offline, server busy or down, token expired, or a malformed batch. */
  | { ok: false; retry: true; status?: number };

/** POST /views: one batch. */
export async function sendViews(
  serverUrl: string,
  token: string,
  views: ViewRecord[],
  signal?: AbortSignal,
): Promise<SendResult> {
  let res: Response;
  try {
    res = await fetch(`${httpUrl(serverUrl)}/views`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ views }),
      signal: signal ?? AbortSignal.timeout(15_000),
    });
  } catch {
    return { ok: false, retry: true };
  }
  const body = (await res.json().catch(() => ({}))) as { recorded?: number; refused?: { id: string }[] };
  if (res.ok) return { ok: true, recorded: body.recorded ?? 0 };
  if (res.status === 403 && Array.isArray(body.refused)) return { ok: false, refused: body.refused.map((r) => r.id) };
  return { ok: false, retry: true, status: res.status };
}

export type ViewsAnswer = { ok: true; views: ViewEntry[] } | { ok: false; status?: number };

/** GET /views: who viewed a subject, or what a user viewed (admin on `*` only). */
export async function fetchViews(
  serverUrl: string,
  token: string,
  query: { subject?: string; user?: string; since?: string; limit?: number },
  signal?: AbortSignal,
): Promise<ViewsAnswer> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== '') params.set(key, String(value));
  try {
    const res = await fetch(`${httpUrl(serverUrl)}/views?${params}`, {
      headers: { Authorization: `Bearer ${token}` },
      signal: signal ?? AbortSignal.timeout(15_000),
    });
    if (!res.ok) return { ok: false, status: res.status };
    const parsed = v.safeParse(v.object({ views: v.array(viewEntrySchema) }), await res.json());
    return parsed.success ? { ok: true, views: parsed.output.views } : { ok: false };
  } catch {
    return { ok: false };
  }
}

/**
 * For clients without a queue (the CLI's `review`): send these views now, in batches, and throw if
 * the server does not record them, so the caller shows nothing it could not log.
 */
export async function recordViewsNow(serverUrl: string, token: string, views: ViewRecord[]): Promise<void> {
  for (let i = 0; i < views.length; i += MAX_VIEWS_PER_BATCH) {
    const answer = await sendViews(serverUrl, token, views.slice(i, i + MAX_VIEWS_PER_BATCH));
    if (!answer.ok) {
      const why = 'refused' in answer ? 'refused' : `HTTP ${answer.status ?? 'unreachable'}`;
      throw new Error(`the server did not record the views for the view log (${why})`);
    }
  }
}
