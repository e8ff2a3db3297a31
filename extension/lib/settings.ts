import * as v from 'valibot';
import { browser } from 'wxt/browser';
import { grantsSchema, httpUrl } from '../../core/sync/whoami.ts';
import { removeItems, setItems, storedItem, watchItems } from './stored-item.ts';

/**
 * Enrolment settings: which server, with which token, and the user's portal list. Kept in
 * storage.local (extension-only; content scripts never read it). An organisation can push the
 * same settings by policy through storage.managed (schema: public/managed_schema.json); managed
 * values win and the options page shows them as set by the organisation.
 */

export const serverUrlSchema = v.pipe(
  v.string(),
  v.trim(),
  v.minLength(1, 'required'),
  v.url('url.format'),
  v.check((u) => /^(wss?|https?):\/\//i.test(u), 'url.scheme'),
);

export const connectionSchema = v.object({
  serverUrl: serverUrlSchema,
  token: v.pipe(v.string(), v.trim(), v.minLength(1, 'required')),
});
export type Connection = v.InferOutput<typeof connectionSchema>;

const managedSchema = v.object({
  serverUrl: v.optional(serverUrlSchema),
  token: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1))),
  portals: v.optional(v.array(v.string()), []),
  /** Offline PIN unlock (README "Encrypted at rest"): allowed unless the organisation says false. */
  offlinePin: v.optional(v.boolean()),
  offlinePinMinLength: v.optional(v.pipe(v.number(), v.integer(), v.minValue(4), v.maxValue(64))),
});
export type Managed = v.InferOutput<typeof managedSchema>;

const connectionItem = storedItem('connection', connectionSchema);
const portalsItem = storedItem('portals', v.array(v.string()));
/**
 * The grants GET /whoami reported for the connection in force, so the workspace opens only the
 * documents the token can read, offline too. Stamped with a digest of the server and token they
 * were read for: a policy may change the token without this page knowing, and grants that belong
 * to another token must not decide what is opened. Kept beside the connection, not inside it, so
 * a policy connection (storage.managed, read-only) has them too.
 */
const grantsItem = storedItem('grants', v.object({ for: v.string(), grants: grantsSchema }));

/** Which role on which documents (a name, or a prefix ending in `*`), as GET /whoami and tokens say. */
export { grantsSchema };
export type Grants = v.InferOutput<typeof grantsSchema>;

export async function connectionDigest(c: Connection): Promise<string> {
  const bytes = new TextEncoder().encode(`${c.serverUrl}\n${c.token}`);
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(hash, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** ws(s):// for the sync socket, whatever scheme the user typed. */
export function wsUrl(serverUrl: string): string {
  return serverUrl.replace(/^http(s?):\/\//i, 'ws$1://').replace(/\/+$/, '');
}

/** http(s):// for /whoami and /history. */
export { httpUrl };

const MANAGED_TIMEOUT_MS = 500;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves once the browser's policy service has answered (with or without a policy). */
export async function whenManagedSettles(): Promise<void> {
  await browser.storage.managed.get(null).catch(() => undefined);
}

export async function readManaged(): Promise<Managed> {
  try {
    // Chromium can take seconds to answer when no policy is installed (it waits for the policy
    // service); a later policy still arrives through storage.onChanged ('managed').
    const raw = await Promise.race([browser.storage.managed.get(null), sleep(MANAGED_TIMEOUT_MS).then(() => ({}))]);
    const parsed = v.safeParse(managedSchema, raw);
    return parsed.success ? parsed.output : { portals: [] };
  } catch {
    // No policy installed (the usual case), or a browser without storage.managed.
    return { portals: [] };
  }
}

/**
 * The connection in force: the organisation's policy, else what the user enrolled with; with the
 * grants last read for it (undefined until GET /whoami has answered for this server and token).
 */
export async function readConnection(): Promise<(Connection & { managed: boolean; grants?: Grants }) | undefined> {
  const managed = await readManaged();
  const [local, stored] = await Promise.all([connectionItem.get(), grantsItem.get()]);
  let connection: (Connection & { managed: boolean }) | undefined;
  if (managed.serverUrl && managed.token)
    connection = { serverUrl: managed.serverUrl, token: managed.token, managed: true };
  else if (local) connection = { ...local, managed: false };
  if (!connection) return undefined;
  return stored?.for === (await connectionDigest(connection)) ? { ...connection, grants: stored.grants } : connection;
}

/** Enrols: the connection and the grants the server just reported for it, in one write (one change event). */
export async function saveConnection(c: Connection, grants: Grants): Promise<void> {
  const connection = v.parse(connectionSchema, c);
  await setItems([
    { item: connectionItem, value: connection },
    { item: grantsItem, value: { for: await connectionDigest(connection), grants } },
  ]);
}

/**
 * Records fresh grants for `c` (the connection in force). Writes, and so notifies
 * onConnectionChange listeners, only when they differ from what is stored: a reopen that
 * refreshes unchanged grants must not trigger another reopen.
 */
export async function saveGrants(c: Connection, grants: Grants): Promise<boolean> {
  const digest = await connectionDigest(c);
  const stored = await grantsItem.get();
  if (stored?.for === digest && sameGrants(stored.grants, grants)) return false;
  await grantsItem.set({ for: digest, grants });
  return true;
}

function sameGrants(a: Grants, b: Grants): boolean {
  const key = (g: Grants) =>
    g
      .map((x) => `${x.role} ${x.doc}`)
      .sort()
      .join('\n');
  return key(a) === key(b);
}

export async function forgetConnection(): Promise<void> {
  await removeItems([connectionItem, grantsItem]);
}

/** Calls `cb` whenever the enrolled connection or its grants may have changed. Returns an unsubscribe. */
export const onConnectionChange = (cb: () => void): (() => void) =>
  watchItems([connectionItem, grantsItem], cb, { managed: true });

export const readUserPortals = async (): Promise<string[]> => (await portalsItem.get()) ?? [];
export const writeUserPortals = (patterns: string[]): Promise<void> => portalsItem.set([...new Set(patterns)]);
export const onPortalsChange = (cb: () => void): (() => void) => watchItems([portalsItem], cb, { managed: true });
