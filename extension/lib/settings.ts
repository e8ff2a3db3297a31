import * as v from 'valibot';
import { browser } from 'wxt/browser';

/**
 * Enrolment settings: which server, with which token, and the user's portal list. Kept in
 * storage.local (extension-only; content scripts never read it). An organisation can push the
 * same settings by policy through storage.managed (schema: public/managed_schema.json); managed
 * values win and the options page shows them as set by the organisation.
 */

const serverUrlSchema = v.pipe(
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
});
export type Managed = v.InferOutput<typeof managedSchema>;

const CONNECTION_KEY = 'connection';
const PORTALS_KEY = 'portals';

/** ws(s):// for the sync socket, whatever scheme the user typed. */
export function wsUrl(serverUrl: string): string {
  return serverUrl.replace(/^http(s?):\/\//i, 'ws$1://').replace(/\/+$/, '');
}

/** http(s):// for /whoami and /history. */
export function httpUrl(serverUrl: string): string {
  return serverUrl.replace(/^ws(s?):\/\//i, 'http$1://').replace(/\/+$/, '');
}

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

/** The connection in force: the organisation's policy, else what the user enrolled with. */
export async function readConnection(): Promise<(Connection & { managed: boolean }) | undefined> {
  const managed = await readManaged();
  if (managed.serverUrl && managed.token) return { serverUrl: managed.serverUrl, token: managed.token, managed: true };
  const stored = (await browser.storage.local.get(CONNECTION_KEY))[CONNECTION_KEY];
  const parsed = v.safeParse(connectionSchema, stored);
  return parsed.success ? { ...parsed.output, managed: false } : undefined;
}

export async function saveConnection(c: Connection): Promise<void> {
  await browser.storage.local.set({ [CONNECTION_KEY]: v.parse(connectionSchema, c) });
}

export async function forgetConnection(): Promise<void> {
  await browser.storage.local.remove(CONNECTION_KEY);
}

/** Calls `cb` whenever the enrolled connection may have changed. Returns an unsubscribe. */
export function onConnectionChange(cb: () => void): () => void {
  const listener = (changes: Record<string, unknown>, area: string) => {
    if ((area === 'local' && CONNECTION_KEY in changes) || area === 'managed') cb();
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}

export async function readUserPortals(): Promise<string[]> {
  const raw = (await browser.storage.local.get(PORTALS_KEY))[PORTALS_KEY];
  const parsed = v.safeParse(v.array(v.string()), raw);
  return parsed.success ? parsed.output : [];
}

export async function writeUserPortals(patterns: string[]): Promise<void> {
  await browser.storage.local.set({ [PORTALS_KEY]: [...new Set(patterns)] });
}

export function onPortalsChange(cb: () => void): () => void {
  const listener = (changes: Record<string, unknown>, area: string) => {
    if ((area === 'local' && PORTALS_KEY in changes) || area === 'managed') cb();
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}
