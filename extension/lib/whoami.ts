import * as v from 'valibot';
import { grantsSchema, httpUrl } from './settings.ts';

/**
 * GET /whoami: the server's view of a token (who, which roles on which documents, until when).
 * The options page shows it after enrolment, and enrolment only completes when it succeeds, so
 * a mistyped URL or a revoked token is caught while the user is still looking at the form.
 */

export type Role = v.InferOutput<typeof grantsSchema>[number]['role'];

export const whoamiSchema = v.object({
  user: v.pipe(v.string(), v.minLength(1)),
  name: v.string(),
  grants: grantsSchema,
  /** Expiry, seconds since the epoch. */
  exp: v.optional(v.number()),
});
export type Whoami = v.InferOutput<typeof whoamiSchema>;

export type WhoamiResult =
  | { ok: true; whoami: Whoami }
  | { ok: false; reason: 'unreachable' | 'unauthorized' | 'invalid-response'; status?: number };

export async function fetchWhoami(serverUrl: string, token: string, signal?: AbortSignal): Promise<WhoamiResult> {
  let res: Response;
  try {
    res = await fetch(`${httpUrl(serverUrl)}/whoami`, { headers: { Authorization: `Bearer ${token}` }, signal: signal ?? AbortSignal.timeout(10_000) });
  } catch {
    return { ok: false, reason: 'unreachable' };
  }
  if (res.status === 401 || res.status === 403) return { ok: false, reason: 'unauthorized', status: res.status };
  if (!res.ok) return { ok: false, reason: 'invalid-response', status: res.status };
  const parsed = v.safeParse(whoamiSchema, await res.json().catch(() => undefined));
  return parsed.success ? { ok: true, whoami: parsed.output } : { ok: false, reason: 'invalid-response', status: res.status };
}

/** Writes are allowed for these roles on unit documents; annotators write only notes documents. */
export function canWriteDoc(role: Role | undefined, docName: string): boolean {
  if (!role || role === 'viewer') return false;
  if (role === 'annotator') return docName.startsWith('notes:');
  if (role === 'editor') return docName !== 'workspace';
  return true;
}

/** The role a set of grants gives on one document: the strongest matching grant wins. */
export function roleOn(grants: Whoami['grants'], docName: string): Role | undefined {
  const order: Role[] = ['viewer', 'annotator', 'editor', 'admin'];
  let best: Role | undefined;
  for (const g of grants) {
    const matches = g.doc === docName || (g.doc.endsWith('*') && docName.startsWith(g.doc.slice(0, -1)));
    if (matches && (!best || order.indexOf(g.role) > order.indexOf(best))) best = g.role;
  }
  return best;
}
