import * as Y from 'yjs';
import * as idb from 'lib0/indexeddb';
import { Observable } from 'lib0/observable';
import type { RecordCipher } from './at-rest.ts';

/**
 * y-indexeddb's storage, sealed (README "Encrypted at rest"): the same database layout (an
 * auto-keyed `updates` store of Yjs updates and a `custom` store of small values), so databases.ts
 * and the wipe find it as before, but every record is sealed with the device's data key
 * (at-rest.ts) before it reaches IndexedDB and opened after it is read.
 *
 * Why a class of its own rather than a subclass of IndexeddbPersistence: y-indexeddb writes each
 * update synchronously inside its own IndexedDB transaction, from the document's 'update' handler,
 * and reads them back in a transaction that applies them; WebCrypto is asynchronous, and an
 * IndexedDB transaction ends as soon as it waits on anything else. So sealing cannot be slotted
 * into its transactions; a wrapper of the `indexedDB` global would have to know which values are
 * dossier bytes. This class keeps y-indexeddb's interface (`whenSynced`, 'synced', `_storeUpdate`,
 * `get`/`set`, `destroy`, `clearData`) so synced-doc.ts drives both the same way.
 *
 * Differences that matter: writes are queued (seal, then store, in order), so `destroy` waits for
 * them; and a load that finds many records writes them back as one (fewer records to open next
 * time: a start opens one sealed record per document).
 */

const UPDATES = 'updates';
const CUSTOM = 'custom';
/** More records than this and they are merged into one (y-indexeddb: 500, but each costs a decryption). */
export const COMPACT_AT = 64;

type Value = string | ArrayBuffer;
const STRING = 0;
const BYTES = 1;

function encodeValue(value: Value): Uint8Array {
  const body = typeof value === 'string' ? new TextEncoder().encode(value) : new Uint8Array(value);
  const out = new Uint8Array(body.length + 1);
  out[0] = typeof value === 'string' ? STRING : BYTES;
  out.set(body, 1);
  return out;
}

function decodeValue(plain: Uint8Array): Value | undefined {
  if (plain[0] === STRING) return new TextDecoder().decode(plain.subarray(1));
  if (plain[0] === BYTES) return plain.slice(1).buffer;
  return undefined;
}

const asBytes = (stored: unknown): Uint8Array | undefined =>
  stored instanceof Uint8Array ? stored : stored instanceof ArrayBuffer ? new Uint8Array(stored) : undefined;

export class SealedIndexeddbPersistence extends Observable<string> {
  readonly doc: Y.Doc;
  readonly name: string;
  readonly cipher: RecordCipher;
  db: IDBDatabase | null = null;
  readonly _db: Promise<IDBDatabase>;
  synced = false;
  readonly whenSynced: Promise<SealedIndexeddbPersistence>;
  /** Records that could not be opened at load (another key): dropped at the next compaction. */
  unreadable = 0;
  readonly _storeUpdate: (update: Uint8Array, origin: unknown) => void;
  private size = 0;
  private destroyed = false;
  /** Seal-then-store, in order; `destroy` waits for it. */
  private writes: Promise<void> = Promise.resolve();
  private compactTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(name: string, doc: Y.Doc, cipher: RecordCipher) {
    super();
    this.doc = doc;
    this.name = name;
    this.cipher = cipher;
    this._db = idb.openDB(name, (db) => idb.createStores(db, [[UPDATES, { autoIncrement: true }], [CUSTOM]]));
    this.whenSynced = new Promise((resolve) => this.once('synced', () => resolve(this)));
    this._storeUpdate = (update, origin) => {
      if (origin === this || this.destroyed) return;
      this.queue(async () => {
        const sealed = await this.cipher.seal(update, this.name);
        const [store] = idb.transact(await this._db, [UPDATES]);
        await idb.addAutoKey(store!, sealed.buffer);
        this.size += 1;
      });
      if (this.size + 1 >= COMPACT_AT) this.scheduleCompaction();
    };
    doc.on('update', this._storeUpdate);
    this.destroy = this.destroy.bind(this);
    doc.on('destroy', this.destroy);
    void this._db.then((db) => {
      this.db = db;
      return this.load(db);
    });
  }

  private queue(step: () => Promise<void>): void {
    // One failed write (quota, a closing database) must not stop the ones after it.
    this.writes = this.writes.then(step).catch(() => undefined);
  }

  private async load(db: IDBDatabase): Promise<void> {
    const [store] = idb.transact(db, [UPDATES], 'readonly');
    const [values, keys] = await Promise.all([idb.getAll(store!), idb.getAllKeys(store!)]);
    const opened = await Promise.all(
      values.map((value) => {
        const sealed = asBytes(value);
        return sealed ? this.cipher.open(sealed, this.name).catch(() => undefined) : Promise.resolve(undefined);
      }),
    );
    if (this.destroyed) return;
    // What the document already holds (e.g. an answer from the server during the load) is not in
    // the store yet: keep it, as y-indexeddb does before applying what it read.
    const before = Y.encodeStateVector(this.doc).length > 1 ? Y.encodeStateAsUpdate(this.doc) : undefined;
    Y.transact(
      this.doc,
      () => {
        for (const update of opened) if (update) Y.applyUpdate(this.doc, update);
      },
      this,
      false,
    );
    this.unreadable = opened.filter((u) => !u).length;
    this.size = keys.length;
    if (before) this._storeUpdate(before, undefined);
    this.synced = true;
    this.emit('synced', [this]);
    if (this.size >= COMPACT_AT || this.unreadable > 0) this.scheduleCompaction(0);
  }

  private scheduleCompaction(delayMs = 1000): void {
    if (this.compactTimer !== undefined || this.destroyed) return;
    this.compactTimer = setTimeout(() => {
      this.compactTimer = undefined;
      this.queue(() => this.compact());
    }, delayMs);
  }

  /** The whole document as one sealed record; every record before it goes (one transaction). */
  private async compact(): Promise<void> {
    if (this.destroyed || !this.synced) return;
    const sealed = await this.cipher.seal(Y.encodeStateAsUpdate(this.doc), this.name);
    const [store] = idb.transact(await this._db, [UPDATES]);
    const key = await idb.addAutoKey(store!, sealed.buffer);
    await idb.del(store!, idb.createIDBKeyRangeUpperBound(key, true));
    this.size = await idb.count(store!);
    this.unreadable = 0;
  }

  override destroy(): Promise<void> {
    if (this.compactTimer !== undefined) clearTimeout(this.compactTimer);
    this.compactTimer = undefined;
    this.doc.off('update', this._storeUpdate);
    this.doc.off('destroy', this.destroy);
    this.destroyed = true;
    // Updates already queued are written before the database closes: they are the user's edits.
    return this.writes.then(() => this._db).then((db) => db.close());
  }

  clearData(): Promise<void> {
    return this.destroy().then(() => idb.deleteDB(this.name));
  }

  private context = (key: string) => `${this.name}#${key}`;

  /** Several small values in one read-only transaction; one that cannot be read is undefined. */
  async getMany(keys: readonly string[]): Promise<(Value | undefined)[]> {
    const db = await this._db;
    const [store] = idb.transact(db, [CUSTOM], 'readonly');
    const raw = await Promise.all(keys.map((key) => idb.get(store!, key)));
    return Promise.all(
      raw.map(async (stored, i) => {
        const sealed = asBytes(stored);
        if (!sealed) return undefined;
        const plain = await this.cipher.open(sealed, this.context(keys[i]!)).catch(() => undefined);
        return plain ? decodeValue(plain) : undefined;
      }),
    );
  }

  async get(key: string): Promise<Value | undefined> {
    return (await this.getMany([key]))[0];
  }

  async set(key: string, value: Value): Promise<void> {
    const sealed = await this.cipher.seal(encodeValue(value), this.context(key));
    const [store] = idb.transact(await this._db, [CUSTOM]);
    await idb.put(store!, sealed.buffer, key);
  }
}
