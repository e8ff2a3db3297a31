import * as v from 'valibot';
import {
  fromBase64,
  fromBase64Url,
  newDataKey,
  toBase64,
  unwrapFromServer,
  unwrapWithPin,
  wrapForServer,
  wrapWithPin,
  PIN_ITERATIONS,
} from './at-rest.ts';
import { httpUrl } from './whoami.ts';

/**
 * Getting the device's data key (README "Encrypted at rest"), with the storage left to the caller
 * (`KeyStore`: the extension's storage areas, or memory in tests):
 *
 * 1. This browser session already has it (memory-only session storage): use it, no server needed.
 * 2. Else ask the server for this user's and device's wrap key (GET /device-key) and unwrap the
 *    stored data key with it; the first time, make a data key and store it wrapped.
 * 3. The server cannot be reached: with an offline PIN set and allowed by policy, the user may
 *    unlock with it ('pin'); otherwise the device stays locked ('offline') until it can be reached.
 * 4. The server refuses the token: revoked, the caller wipes this device ('revoked'); anything
 *    else (expired, forged) stays locked ('refused') and keeps the data for a renewed token.
 */

const pinWrapSchema = v.object({
  salt: v.string(),
  iterations: v.pipe(v.number(), v.integer(), v.minValue(1)),
  wrapped: v.string(),
});
export const keyringSchema = v.object({
  server: v.string(),
  user: v.string(),
  device: v.string(),
  serverWrapped: v.string(),
  pin: v.optional(pinWrapSchema),
});
export type Keyring = v.InferOutput<typeof keyringSchema>;
export const sessionKeySchema = v.object({ for: v.string(), key: v.string() });
export type SessionKey = v.InferOutput<typeof sessionKeySchema>;

export interface KeyStore {
  keyring(): Promise<Keyring | undefined>;
  saveKeyring(keyring: Keyring | undefined): Promise<void>;
  session(): Promise<SessionKey | undefined>;
  saveSession(key: SessionKey): Promise<void>;
  /** Copies that no key here opens any more (another user's, a lost key's): delete them. */
  discardUnreadable(): Promise<void>;
}

export interface UnlockPolicy {
  /** The organisation allows an offline PIN (managed storage `offlinePin`; default allowed). */
  pinAllowed: boolean;
  pinMinLength: number;
}
export const DEFAULT_UNLOCK_POLICY: UnlockPolicy = { pinAllowed: true, pinMinLength: 6 };

export interface Holder {
  serverUrl: string;
  token: string;
  user: string;
}

export type Locked = 'pin' | 'offline' | 'refused' | 'revoked';
export type UnlockOutcome = { ok: true; key: Uint8Array<ArrayBuffer> } | { ok: false; locked: Locked };

export type Release =
  { ok: true; key: Uint8Array<ArrayBuffer> } | { ok: false; reason: 'unreachable' | 'revoked' | 'refused' };

/** GET /device-key: the wrap key, or why not. Only 401 says anything about the token. */
export async function fetchDeviceKey(serverUrl: string, token: string, device: string): Promise<Release> {
  let res: Response;
  try {
    res = await fetch(`${httpUrl(serverUrl)}/device-key?device=${encodeURIComponent(device)}`, {
      headers: { Authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(10_000),
    });
  } catch {
    return { ok: false, reason: 'unreachable' };
  }
  const body = (await res.json().catch(() => undefined)) as { key?: unknown; reason?: unknown } | undefined;
  if (res.status === 401) return { ok: false, reason: body?.reason === 'revoked' ? 'revoked' : 'refused' };
  const key = res.ok && typeof body?.key === 'string' ? fromBase64Url(body.key) : undefined;
  // A proxy's error page, a server without the endpoint, a 5xx: as good as unreachable, for now.
  return key?.length === 32 ? { ok: true, key } : { ok: false, reason: 'unreachable' };
}

const holderId = (h: Pick<Holder, 'serverUrl' | 'user'>) => `${h.serverUrl.replace(/\/+$/, '')}\n${h.user}`;
const owns = (k: Keyring, h: Holder) => holderId({ serverUrl: k.server, user: k.user }) === holderId(h);

export async function unlock(
  store: KeyStore,
  holder: Holder,
  policy: UnlockPolicy,
  release = fetchDeviceKey,
): Promise<UnlockOutcome> {
  const session = await store.session();
  if (session?.for === holderId(holder)) return { ok: true, key: fromBase64(session.key) };
  let keyring = await store.keyring();
  if (keyring && !owns(keyring, holder)) keyring = undefined;
  if (keyring?.pin && !policy.pinAllowed) {
    // The organisation forbade offline PINs since this one was set: it goes now, not at next use.
    keyring = { ...keyring, pin: undefined };
    await store.saveKeyring(keyring);
  }
  const device = keyring?.device ?? crypto.randomUUID();
  const answer = await release(holder.serverUrl, holder.token, device);
  if (!answer.ok) {
    if (answer.reason === 'unreachable')
      return { ok: false, locked: keyring?.pin && policy.pinAllowed ? 'pin' : 'offline' };
    return { ok: false, locked: answer.reason };
  }
  let key = keyring ? await unwrapFromServer(keyring.serverWrapped, answer.key).catch(() => undefined) : undefined;
  if (!key) {
    // First use here, another user before, or a server whose secret changed: what is stored
    // cannot be opened by anyone now; it goes, and the server's copy comes back on sync.
    await store.discardUnreadable();
    key = newDataKey();
    await store.saveKeyring({
      server: holder.serverUrl,
      user: holder.user,
      device,
      serverWrapped: await wrapForServer(key, answer.key),
    });
  }
  await store.saveSession({ for: holderId(holder), key: toBase64(key) });
  return { ok: true, key };
}

export type PinOutcome =
  { ok: true } | { ok: false; reason: 'forbidden' | 'too-short' | 'wrong' | 'no-pin' | 'locked' };

/** Offline unlock with the PIN set earlier on this device (when policy allows). */
export async function unlockWithPin(
  store: KeyStore,
  holder: Holder,
  pin: string,
  policy: UnlockPolicy,
): Promise<PinOutcome> {
  if (!policy.pinAllowed) return { ok: false, reason: 'forbidden' };
  const keyring = await store.keyring();
  if (!keyring?.pin || !owns(keyring, holder)) return { ok: false, reason: 'no-pin' };
  const key = await unwrapWithPin(keyring.pin, pin).catch(() => undefined);
  if (!key) return { ok: false, reason: 'wrong' };
  await store.saveSession({ for: holderId(holder), key: toBase64(key) });
  return { ok: true };
}

/** Sets (or replaces) the offline PIN; needs the device unlocked (the data key in this session). */
export async function setPin(
  store: KeyStore,
  holder: Holder,
  pin: string,
  policy: UnlockPolicy,
  iterations = PIN_ITERATIONS,
): Promise<PinOutcome> {
  if (!policy.pinAllowed) return { ok: false, reason: 'forbidden' };
  if ([...pin].length < policy.pinMinLength) return { ok: false, reason: 'too-short' };
  const [session, keyring] = await Promise.all([store.session(), store.keyring()]);
  if (session?.for !== holderId(holder) || !keyring || !owns(keyring, holder)) return { ok: false, reason: 'locked' };
  await store.saveKeyring({ ...keyring, pin: await wrapWithPin(fromBase64(session.key), pin, iterations) });
  return { ok: true };
}

export async function clearPin(store: KeyStore): Promise<void> {
  const keyring = await store.keyring();
  if (keyring?.pin) await store.saveKeyring({ ...keyring, pin: undefined });
}
