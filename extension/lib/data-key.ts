import * as v from 'valibot';
import { recordCipher, type RecordCipher } from '../../core/sync/at-rest.ts';
import { databasesHere, deleteDatabase } from '../../core/sync/databases.ts';
import {
  DEFAULT_UNLOCK_POLICY,
  fetchDeviceKey,
  keyringSchema,
  sessionKeySchema,
  setPin as setPinWith,
  unlock,
  unlockWithPin as unlockWithPinWith,
  type Holder,
  type KeyStore,
  type Locked,
  type PinOutcome,
  type UnlockPolicy,
} from '../../core/sync/key-release.ts';
import { identityFromToken } from './identity.ts';
import { readConnection, readManaged, wsUrl, type Connection } from './settings.ts';
import { storedItem } from './stored-item.ts';
import { wipeLocalData } from './wipe.ts';

/**
 * The device's data key in the extension (README "Encrypted at rest"; the rules are in
 * core/sync/key-release.ts): wrapped in storage.local, in the clear only in storage.session,
 * which the browser keeps in memory and which content scripts cannot read.
 */

const keyringItem = storedItem('keyring', keyringSchema);
const sessionItem = storedItem('dataKey', sessionKeySchema, 'session');
/** Set after a wipe on revocation, so the options page can say what happened (holds no dossier data). */
export const wipedNotice = storedItem('wipedOnRevocation', v.object({ at: v.number() }));

export class DeviceLockedError extends Error {
  constructor(readonly locked: Locked) {
    super(`this device's data is locked (${locked})`);
    this.name = 'DeviceLockedError';
  }
}

const store: KeyStore = {
  keyring: () => keyringItem.get(),
  async saveKeyring(keyring) {
    // Through JSON: storage keeps plain data, and the keyring may hold undefined fields.
    await (keyring ? keyringItem.set(JSON.parse(JSON.stringify(keyring)) as typeof keyring) : keyringItem.remove());
  },
  session: () => sessionItem.get(),
  saveSession: (key) => sessionItem.set(key),
  async discardUnreadable() {
    // The documents' copies (and any left in the clear by a version before encryption): the
    // server's copy comes back on sync.
    const names = [...((await databasesHere()) ?? [])].filter((n) => n.startsWith('dossierlens:'));
    await Promise.all(names.map(deleteDatabase));
  },
};

export async function unlockPolicy(): Promise<UnlockPolicy> {
  const managed = await readManaged();
  return {
    pinAllowed: managed.offlinePin ?? DEFAULT_UNLOCK_POLICY.pinAllowed,
    pinMinLength: managed.offlinePinMinLength ?? DEFAULT_UNLOCK_POLICY.pinMinLength,
  };
}

function holderOf(connection: Connection): Holder {
  return {
    serverUrl: wsUrl(connection.serverUrl),
    token: connection.token,
    user: identityFromToken(connection.token)?.user ?? '',
  };
}

/** One unlock at a time across the background and every page (the first one makes the key). */
const exclusive = <T>(fn: () => Promise<T>): Promise<T> =>
  typeof navigator !== 'undefined' && navigator.locks
    ? (navigator.locks.request('dossierlens-keyring', fn) as Promise<T>)
    : fn();

/**
 * The cipher for this connection's workspace, or DeviceLockedError. A revoked token wipes this
 * device first (the same wipe as "清除本机数据") and leaves a notice for the options page.
 */
export async function cipherFor(connection: Connection): Promise<RecordCipher> {
  const outcome = await exclusive(async () => {
    // Only for the connection in force: a page still holding one that was just wiped or replaced
    // must not make a key (and a keyring) again behind the wipe.
    const [current, policy] = await Promise.all([readConnection(), unlockPolicy()]);
    if (!current || current.token !== connection.token || wsUrl(current.serverUrl) !== wsUrl(connection.serverUrl))
      return { ok: false, locked: 'refused' } as const;
    return unlock(store, holderOf(connection), policy);
  });
  if (outcome.ok) return recordCipher(outcome.key);
  if (outcome.locked === 'revoked') await wipeOnRevocation();
  throw new DeviceLockedError(outcome.locked);
}

export async function wipeOnRevocation(): Promise<void> {
  await wipeLocalData();
  await noteRevocationWipe();
}

/** Written after every wipe step (a later "清除本机数据" pass clears storage.local again). */
export async function noteRevocationWipe(): Promise<void> {
  await wipedNotice.set({ at: Date.now() });
}

/**
 * Asks the server whether this connection's token is revoked (mid-session: the key is already in
 * this session, so `cipherFor` would not ask); if it is, wipes this device. True when wiped.
 */
export async function revokedNow(connection: Connection): Promise<boolean> {
  const device = (await store.keyring())?.device;
  if (!device) return false;
  const answer = await fetchDeviceKey(wsUrl(connection.serverUrl), connection.token, device);
  if (answer.ok || answer.reason !== 'revoked') return false;
  await wipeOnRevocation();
  return true;
}

/** Whether the device is locked, and how it may be opened: undefined when unlocked. */
export async function lockState(connection: Connection): Promise<Locked | undefined> {
  try {
    await cipherFor(connection);
    return undefined;
  } catch (error) {
    if (error instanceof DeviceLockedError) return error.locked;
    throw error;
  }
}

export async function unlockWithPin(connection: Connection, pin: string): Promise<PinOutcome> {
  return exclusive(async () => unlockWithPinWith(store, holderOf(connection), pin, await unlockPolicy()));
}

export async function setOfflinePin(connection: Connection, pin: string): Promise<PinOutcome> {
  return exclusive(async () => setPinWith(store, holderOf(connection), pin, await unlockPolicy()));
}

export async function hasOfflinePin(): Promise<boolean> {
  return !!(await store.keyring())?.pin;
}

/** Calls `cb` when this session's key arrives (a PIN unlock in a page); not when a wipe takes it. */
export const onDataKeyChange = (cb: () => void): (() => void) =>
  sessionItem.watch((key) => {
    if (key !== undefined) cb();
  });
