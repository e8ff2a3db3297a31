import { describe, expect, it } from 'vitest';
import { revoke } from '../../sync-server/admin.ts';
import { loadOrCreateSecret, mintToken } from '../../sync-server/token.ts';
import { serverForThisFile } from './test/server.ts';
import {
  DEFAULT_UNLOCK_POLICY,
  type Holder,
  type Keyring,
  type KeyStore,
  type SessionKey,
  setPin,
  unlock,
  unlockWithPin,
  fetchDeviceKey,
} from './key-release.ts';

/**
 * Releasing the device's data key against the real server: the server's key opens it in a new
 * session, a PIN opens it offline only where policy allows, and a revoked token gets nothing.
 * The store is memory (the extension's is browser storage: extension/lib/data-key.ts).
 */

const server = serverForThisFile();

function memoryStore(): KeyStore & { discarded: number; restart(): void } {
  let keyring: Keyring | undefined;
  let session: SessionKey | undefined;
  return {
    discarded: 0,
    keyring: async () => keyring && structuredClone(keyring),
    saveKeyring: async (k) => void (keyring = k && structuredClone(k)),
    session: async () => session,
    saveSession: async (s) => void (session = s),
    async discardUnreadable() {
      this.discarded += 1;
    },
    /** A browser restart: session storage is memory, it is gone. */
    restart: () => void (session = undefined),
  };
}

const holder = (user: string): Holder => ({
  serverUrl: server().url,
  token: server().token(user, [{ role: 'viewer', doc: 'unit:*' }]),
  user,
});
const offline: typeof fetchDeviceKey = async () => ({ ok: false, reason: 'unreachable' });
const FAST = 1000;

describe('unlocking the data key', () => {
  it('makes a key once, and gets the same one back from the server in the next session', async () => {
    const store = memoryStore();
    const wang = holder('wang');
    const first = await unlock(store, wang, DEFAULT_UNLOCK_POLICY);
    expect(first.ok).toBe(true);
    expect(store.discarded).toBe(1);
    store.restart();
    // A renewed token for the same user: the same key.
    const again = await unlock(store, holder('wang'), DEFAULT_UNLOCK_POLICY);
    expect(again).toEqual(first);
    expect(store.discarded).toBe(1);
    // Nothing stored in the clear: the keyring holds the key only wrapped.
    const raw = JSON.stringify(await store.keyring());
    expect(raw).not.toContain(Buffer.from(first.ok ? first.key : []).toString('base64'));
  });

  it('stays locked offline after a restart unless a PIN is set and allowed', async () => {
    const store = memoryStore();
    const li = holder('li');
    const first = await unlock(store, li, DEFAULT_UNLOCK_POLICY);
    store.restart();
    expect(await unlock(store, li, DEFAULT_UNLOCK_POLICY, offline)).toEqual({ ok: false, locked: 'offline' });

    expect(await unlock(store, li, DEFAULT_UNLOCK_POLICY)).toEqual(first);
    expect(await setPin(store, li, '123', DEFAULT_UNLOCK_POLICY, FAST)).toEqual({ ok: false, reason: 'too-short' });
    expect(await setPin(store, li, '135790', DEFAULT_UNLOCK_POLICY, FAST)).toEqual({ ok: true });
    store.restart();
    expect(await unlock(store, li, DEFAULT_UNLOCK_POLICY, offline)).toEqual({ ok: false, locked: 'pin' });
    expect(await unlockWithPin(store, li, '000000', DEFAULT_UNLOCK_POLICY)).toEqual({ ok: false, reason: 'wrong' });
    expect(await unlockWithPin(store, li, '135790', DEFAULT_UNLOCK_POLICY)).toEqual({ ok: true });
    expect(await unlock(store, li, DEFAULT_UNLOCK_POLICY, offline)).toEqual(first);

    // The organisation forbids offline PINs: the stored one is dropped and no longer opens anything.
    store.restart();
    const forbidden = { ...DEFAULT_UNLOCK_POLICY, pinAllowed: false };
    expect(await unlock(store, li, forbidden, offline)).toEqual({ ok: false, locked: 'offline' });
    expect((await store.keyring())?.pin).toBeUndefined();
    expect(await unlockWithPin(store, li, '135790', DEFAULT_UNLOCK_POLICY)).toEqual({ ok: false, reason: 'no-pin' });
    expect(await setPin(store, li, '135790', forbidden, FAST)).toEqual({ ok: false, reason: 'forbidden' });
  });

  it('tells a revoked token from an expired one, and releases nothing to either', async () => {
    const store = memoryStore();
    const rex = holder('rex');
    expect((await unlock(store, rex, DEFAULT_UNLOCK_POLICY)).ok).toBe(true);
    store.restart();
    const secret = loadOrCreateSecret(server().dataDir);
    const old = mintToken(secret, {
      user: 'rex',
      grants: [{ role: 'viewer', doc: 'unit:*' }],
      ttlSeconds: 60,
      now: Date.now() - 3_600_000,
    });
    const expired = { ...rex, token: old.token };
    expect(await unlock(store, expired, DEFAULT_UNLOCK_POLICY)).toEqual({ ok: false, locked: 'refused' });
    await revoke(server().dataDir, { user: 'rex' });
    expect(await unlock(store, rex, DEFAULT_UNLOCK_POLICY)).toEqual({ ok: false, locked: 'revoked' });
  });

  it('does not open another user’s key for a new user of the same browser', async () => {
    const store = memoryStore();
    const a = await unlock(store, holder('amy'), DEFAULT_UNLOCK_POLICY);
    const b = await unlock(store, holder('bo'), DEFAULT_UNLOCK_POLICY);
    expect(a.ok && b.ok && Buffer.from(a.key).equals(Buffer.from(b.key))).toBe(false);
    expect(store.discarded).toBe(2);
    expect((await store.keyring())?.user).toBe('bo');
  });
});
