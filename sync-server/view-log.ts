/**
 * 查阅留痕, the view log over HTTP (README "View log"; wire format core/sync/view-log.ts):
 *
 *   POST /views   {"views": [{id, subject: {type, id}, unit, view, at}, …]}   any authenticated user
 *   GET  /views?subject=ID | user=U [&since=ISO date] [&limit=N]             admin on `*`
 *
 * The server writes who (the token's `sub` and name) and when (its clock) into every entry; the
 * device's time of opening is kept beside it. A batch is recorded whole or not at all: an entry about
 * a unit the user has no grant on refuses the batch with 403 and lists the entries refused, so the
 * device drops those (they can never be recorded) and sends the rest. Malformed batches are 400.
 * Each user has a request budget (a token bucket) and each body a size cap; past them 429 / 413.
 * Nothing edits or removes an entry (storage/sqlite-views.ts).
 */
import type { IncomingMessage } from 'node:http';
import * as v from 'valibot';
import { type Grant } from './access.ts';
import { readBody } from './http-replies.ts';
import { authorize } from './auth.ts';
import { TokenBucket } from './limits.ts';
import type { Metrics } from './metrics.ts';
import type { Storage, ViewEntry } from './storage/types.ts';
import type { TokenPayload } from './token.ts';
import { viewBatchSchema } from '../core/sync/view-log.ts';

export const viewLogLimits = {
  /** Largest POST body: a full batch of 200 entries is about 40 KiB. */
  maxBodyBytes: 64 * 1024,
  /** Per user: sustained requests per second and the burst above it (a device catching up sends a few at once). */
  requestsPerSecond: 2,
  requestBurst: 20,
  /** Largest answer to GET /views. */
  maxRead: 10_000,
};

type Reply = (status: number, body: unknown) => void;

const res413 = (reply: Reply) => reply(413, { error: `larger than ${viewLogLimits.maxBodyBytes} bytes` });

/** One budget per user per running server (its storage), without a field in the shared HTTP context. */
const budgets = new WeakMap<Storage, Map<string, TokenBucket>>();

function withinBudget(storage: Storage, user: string, now = Date.now()): boolean {
  let perUser = budgets.get(storage);
  if (!perUser) budgets.set(storage, (perUser = new Map()));
  // Users who stopped sending for a while have full buckets again: forget them rather than grow.
  if (perUser.size > 10_000) perUser.clear();
  let bucket = perUser.get(user);
  if (!bucket)
    perUser.set(user, (bucket = new TokenBucket(viewLogLimits.requestsPerSecond, viewLogLimits.requestBurst, now)));
  return bucket.take(1, now);
}

export const canReadViewLog = (grants: readonly Grant[]) =>
  grants.some((grant) => grant.doc === '*' && grant.role === 'admin');

export async function handleViews(
  context: { storage: Storage; metrics: Metrics },
  req: IncomingMessage,
  url: URL,
  payload: TokenPayload,
  reply: Reply,
): Promise<void> {
  if (!withinBudget(context.storage, payload.sub)) {
    context.metrics.refuse('rate-limit');
    return reply(429, { error: 'too many requests: try again in a few seconds' });
  }
  if (req.method === 'GET') return readViews(context, url, payload, reply);
  // Said up front, refused before reading (a body that only turns out too long is cut off instead).
  if (Number(req.headers['content-length'] ?? 0) > viewLogLimits.maxBodyBytes) {
    context.metrics.refuse('too-large');
    res413(reply);
    req.resume();
    return;
  }
  const body = await readBody(req, viewLogLimits.maxBodyBytes);
  if (body === null) return res413(reply);
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    context.metrics.refuse('bad-request');
    return reply(400, { error: 'expected JSON: {"views": [...]}' });
  }
  const parsed = v.safeParse(viewBatchSchema, json);
  if (!parsed.success) {
    context.metrics.refuse('bad-request');
    const issue = parsed.issues[0];
    return reply(400, { error: `bad view batch: ${v.getDotPath(issue) ?? 'body'}: ${issue.message}` });
  }
  const views = parsed.output.views;
  const refused = views
    .filter(
      (entry) =>
        (entry.subject.type === 'unit' && entry.subject.id !== entry.unit) ||
        authorize(payload.grants, `unit:${entry.unit}`, payload.sub) === null,
    )
    .map((entry) => ({ id: entry.id, unit: entry.unit }));
  if (refused.length > 0) {
    context.metrics.refuse('forbidden');
    return reply(403, {
      error: `${payload.sub} may not read unit ${refused[0]!.unit}: views of it are not recorded`,
      refused,
    });
  }
  const time = Date.now();
  const recorded = await context.storage.recordViews(
    views.map((entry) => ({
      id: entry.id,
      user: payload.sub,
      name: payload.name,
      subjectType: entry.subject.type,
      subjectId: entry.subject.id,
      unit: entry.unit,
      view: entry.view,
      clientTime: entry.at,
      time,
    })),
  );
  return reply(200, { recorded, received: views.length });
}

const readQuerySchema = v.object({
  subject: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(64))),
  user: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(128))),
  since: v.optional(
    v.pipe(
      v.string(),
      v.check((text) => !Number.isNaN(Date.parse(text)), 'since: a date such as 2026-01-31'),
    ),
  ),
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d{1,6}$/u, 'limit: a number'))),
});

async function readViews(context: { storage: Storage }, url: URL, payload: TokenPayload, reply: Reply): Promise<void> {
  if (!canReadViewLog(payload.grants)) return reply(403, { error: 'reading the view log needs admin on *' });
  const parsed = v.safeParse(readQuerySchema, Object.fromEntries(url.searchParams));
  if (!parsed.success) return reply(400, { error: parsed.issues[0].message });
  const query = parsed.output;
  const entries = await context.storage.views({
    ...(query.subject !== undefined ? { subjectId: query.subject } : {}),
    ...(query.user !== undefined ? { user: query.user } : {}),
    ...(query.since !== undefined ? { since: Date.parse(query.since) } : {}),
    limit: Math.min(Math.max(Number(query.limit ?? 1000), 1), viewLogLimits.maxRead),
  });
  return reply(200, { views: entries.map(viewToJson) });
}

/** An entry as GET /views and `cli views --json` give it (core/sync/view-log.ts `viewEntrySchema`). */
export function viewToJson(entry: ViewEntry) {
  return {
    seq: entry.seq,
    user: entry.user,
    name: entry.name,
    subject: { type: entry.subjectType, id: entry.subjectId },
    unit: entry.unit,
    view: entry.view,
    at: new Date(entry.clientTime).toISOString(),
    recorded: new Date(entry.time).toISOString(),
  };
}
