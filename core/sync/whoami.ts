import * as v from 'valibot';
import { grantSchema, type Grant } from './access.ts';
import { readTokenPayload } from './token.ts';

/**
 * Who a token is and which documents it may use: GET /whoami (the server's view, so a revoked
 * token or a changed grant shows), or the token's own payload (`dl1.<payload>.<signature>`, read
 * without checking the signature: offline, and before the server has answered). The extension's
 * options page and workspace, and the CLI import, read the grants from here; the server verifies
 * the token and enforces the roles on every connection and write, whatever a client believes.
 */

/** Which role on which documents (a name, or a prefix ending in `*`), as GET /whoami and tokens say. */
export const grantsSchema = v.array(grantSchema);

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

/** http(s):// for /whoami and /history, whatever scheme the server URL was given with. */
export function httpUrl(serverUrl: string): string {
  return serverUrl.replace(/^ws(s?):\/\//i, 'http$1://').replace(/\/+$/, '');
}

export async function fetchWhoami(serverUrl: string, token: string, signal?: AbortSignal): Promise<WhoamiResult> {
  let res: Response;
  try {
    res = await fetch(`${httpUrl(serverUrl)}/whoami`, {
      headers: { Authorization: `Bearer ${token}` },
      signal: signal ?? AbortSignal.timeout(10_000),
    });
  } catch {
    return { ok: false, reason: 'unreachable' };
  }
  if (res.status === 401 || res.status === 403) return { ok: false, reason: 'unauthorized', status: res.status };
  if (!res.ok) return { ok: false, reason: 'invalid-response', status: res.status };
  const parsed = v.safeParse(whoamiSchema, await res.json().catch(() => undefined));
  return parsed.success
    ? { ok: true, whoami: parsed.output }
    : { ok: false, reason: 'invalid-response', status: res.status };
}

/** The token's own claims (unverified: for choosing what to open and show, never for deciding). */
export function identityFromToken(token: string): Whoami | undefined {
  const payload = readTokenPayload(token);
  if (!payload) return undefined;
  const { sub, name, grants, exp } = payload;
  return { user: sub, name, grants, exp };
}

/**
 * The grants to open a workspace with: those GET /whoami reports, else those the token carries
 * (the server unreachable, or not accepting the token: the connection itself then says why).
 */
export async function grantsFor(serverUrl: string, token: string): Promise<Grant[] | undefined> {
  const answer = await fetchWhoami(serverUrl, token);
  return answer.ok ? answer.whoami.grants : identityFromToken(token)?.grants;
}
