import * as v from 'valibot';
import {
  connectionDigest,
  grantsSchema,
  httpUrl,
  readConnection,
  saveConnection,
  type Connection,
} from './settings.ts';
import { storedItem } from './stored-item.ts';

/**
 * A connection made through single sign-on (README "Single sign-on"): the token is the server's
 * own, issued for the renewal period; the background renews it before it expires (sso-renewal.ts)
 * and sign-out revokes it at the server. What marks a connection as signed in this way is a
 * record beside it, stamped with the digest of the server and token it belongs to (like the
 * stored grants), so a token pasted or pushed by policy later is never taken for an SSO one.
 * The provider's own tokens never reach the device: the server keeps the refresh token.
 */
const recordSchema = v.object({
  for: v.string(),
  /** When to renew (ms since the epoch): two thirds into the token's life. */
  renewAt: v.number(),
  /** When the token expires (ms). */
  expiresAt: v.number(),
});
export type SsoRecord = v.InferOutput<typeof recordSchema>;
const ssoItem = storedItem('sso', recordSchema);

export const issuedSchema = v.object({
  token: v.pipe(v.string(), v.minLength(1)),
  user: v.string(),
  name: v.string(),
  grants: grantsSchema,
  exp: v.number(),
});
export type Issued = v.InferOutput<typeof issuedSchema>;

/** Why the server refused a sign-in or renewal, as /sso/* answers (sync-server/sso/http.ts). */
export type SsoFailure = 'unavailable' | 'unreachable' | 'no-grants' | 'refused' | 'cancelled';

export class SsoError extends Error {
  constructor(readonly failure: SsoFailure) {
    super(failure);
  }
}

/** Renew two thirds into the token's life: a third of it is left for a slow or briefly offline renewal. */
export function renewalTime(expiresAtMs: number, nowMs: number): number {
  return nowMs + Math.max(0, (expiresAtMs - nowMs) * (2 / 3));
}

/** The SSO record for `c` (the connection in force), or undefined when `c` was not signed in that way. */
export async function readSso(c: Connection): Promise<SsoRecord | undefined> {
  const record = await ssoItem.get();
  return record?.for === (await connectionDigest(c)) ? record : undefined;
}

/**
 * Saves an issued token as the connection: the SSO record first (nothing watches it), then the
 * connection and grants in one write, which the background and the options page follow.
 */
export async function saveIssued(serverUrl: string, issued: Issued, now = Date.now()): Promise<void> {
  const connection = { serverUrl, token: issued.token };
  const expiresAt = issued.exp * 1000;
  await ssoItem.set({ for: await connectionDigest(connection), renewAt: renewalTime(expiresAt, now), expiresAt });
  await saveConnection(connection, issued.grants);
}

export async function forgetSso(): Promise<void> {
  await ssoItem.remove();
}

/** POST to /sso/<path> with the token (renew, logout) or a body (exchange); the answer's JSON or a failure. */
export async function postSso(
  serverUrl: string,
  path: 'exchange' | 'renew' | 'logout',
  init: { token?: string; body?: unknown },
): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(`${httpUrl(serverUrl)}/sso/${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}) },
      body: JSON.stringify(init.body ?? {}),
    });
  } catch {
    throw new SsoError('unreachable');
  }
  if (res.ok) return res.json();
  if (res.status === 404) throw new SsoError('unavailable');
  if (res.status === 403) throw new SsoError('no-grants');
  throw new SsoError(res.status === 401 || res.status === 400 ? 'refused' : 'unreachable');
}

/** Asks the server for a fresh token; saves it. A refusal means the provider no longer vouches for the user. */
export async function renewNow(c: Connection): Promise<void> {
  const issued = v.safeParse(issuedSchema, await postSso(c.serverUrl, 'renew', { token: c.token }));
  if (!issued.success) throw new SsoError('unreachable');
  // Signed out (or re-enrolled) while the request was out: the fresh token must not bring it back.
  const current = await readConnection();
  if (current?.serverUrl !== c.serverUrl || current.token !== c.token) return;
  await saveIssued(c.serverUrl, issued.output);
}
