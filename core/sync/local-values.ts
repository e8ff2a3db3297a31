import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import type { StateVector } from './confirmation.ts';
import type { RecordCipher } from './at-rest.ts';
import { SealedIndexeddbPersistence } from './sealed-persistence.ts';

/**
 * Where a synced document (synced-doc.ts) keeps itself on this device, and the small values it keeps
 * beside itself there: the server's last state vector (the unconfirmed count while offline), the
 * state the user last looked at ("what arrived"), the client IDs this device wrote with, and what
 * callers keep through `readLocal`/`writeLocal`. Apart from the document's sync so that the cost
 * of reading them (one IndexedDB round trip, together, as soon as the database is open) and what
 * a damaged value means (nothing: it only costs what it would have saved) are decided in one place.
 */

/** y-indexeddb's, or the same sealed with the device's data key (README "Encrypted at rest"). */
export type Persistence = IndexeddbPersistence | SealedIndexeddbPersistence;

export const SERVER_SV_KEY = 'serverStateVector';
export const SEEN_SV_KEY = 'seenStateVector';
/** The Yjs clientIDs this device wrote with, across sessions (each load of a Y.Doc gets a new one). */
export const OWN_IDS_KEY = 'ownClientIds';

/** The document's store on this device, sealed with `cipher` when given; none in memory. */
export function openPersistence(
  persistence: 'indexeddb' | 'none',
  dbName: string,
  doc: Y.Doc,
  cipher: RecordCipher | undefined,
): Persistence | undefined {
  if (persistence !== 'indexeddb') return undefined;
  return cipher ? new SealedIndexeddbPersistence(dbName, doc, cipher) : new IndexeddbPersistence(dbName, doc);
}

/** What the synced document keeps beside itself, as the first read found it. */
export interface KeptState {
  serverSV: StateVector | undefined;
  seenSV: StateVector | undefined;
  ownIds: number[];
}

export interface LocalValues {
  /** The first read, as soon as the database is open: the document's own values, then the read-ahead ones. */
  readonly first: Promise<unknown[]> | undefined;
  readLocal(key: string): Promise<string | undefined>;
  writeLocal(key: string, value: string): Promise<void>;
}

/** The document's own values in what `LocalValues.first` read (each undefined when missing or damaged). */
export function keptIn(values: unknown[]): KeptState {
  return { serverSV: parseStateVector(values[0]), seenSV: parseStateVector(values[1]), ownIds: parseOwnIds(values[2]) };
}

/**
 * Read side by side with the document, in one transaction: each IndexedDB round trip costs more
 * than it carries. `readLocal(key)` for a read-ahead key answers from that read until the key is
 * written. Nothing is read or written without persistence, or once the document is destroyed.
 */
export function localValues(
  persistence: Persistence | undefined,
  readAheadKeys: readonly string[],
  destroyed: () => boolean,
): LocalValues {
  const first = persistence
    ? readCustom(persistence, [SERVER_SV_KEY, SEEN_SV_KEY, OWN_IDS_KEY, ...readAheadKeys])
    : undefined;
  /** Read-ahead values not yet superseded by a write through `writeLocal`. */
  const readAhead = new Map<string, Promise<string | undefined>>(
    first
      ? readAheadKeys.map((key, i) => [
          key,
          first.then((values) => (typeof values[3 + i] === 'string' ? (values[3 + i] as string) : undefined)),
        ])
      : [],
  );

  async function readLocal(key: string): Promise<string | undefined> {
    if (!persistence || destroyed()) return undefined;
    const ahead = readAhead.get(key);
    if (ahead) return ahead;
    try {
      const value: unknown = await persistence.get(key);
      return typeof value === 'string' ? value : undefined;
    } catch {
      return undefined;
    }
  }
  async function writeLocal(key: string, value: string): Promise<void> {
    if (!persistence || destroyed()) return;
    readAhead.delete(key);
    await persistence.set(key, value).catch(() => undefined);
  }
  return { first, readLocal, writeLocal };
}

function parseOwnIds(stored: unknown): number[] {
  try {
    const ids: unknown = typeof stored === 'string' ? JSON.parse(stored) : [];
    return Array.isArray(ids) ? ids.filter((id): id is number => Number.isSafeInteger(id)) : [];
  } catch {
    return [];
  }
}

function parseStateVector(stored: unknown): StateVector | undefined {
  try {
    return stored instanceof ArrayBuffer || stored instanceof Uint8Array
      ? Y.decodeStateVector(new Uint8Array(stored))
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Several values of y-indexeddb's `custom` store, asked for together as soon as the database is open
 * (in parallel with y-indexeddb's own read of the updates), through its public `get`. A value that
 * cannot be read is undefined: it only costs what it would have saved.
 */
async function readCustom(persistence: Persistence, keys: readonly string[]): Promise<unknown[]> {
  if (persistence instanceof SealedIndexeddbPersistence)
    return persistence.getMany(keys).catch(() => keys.map(() => undefined));
  return Promise.all(
    keys.map((key) =>
      persistence.get(key).then(
        (value: unknown) => value,
        () => undefined,
      ),
    ),
  );
}
