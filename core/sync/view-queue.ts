import * as v from 'valibot';
import type { RecordCipher } from './at-rest.ts';
import { MAX_VIEWS_PER_BATCH, type SendResult, type ViewRecord, sendViews, viewRecordSchema } from './view-log.ts';

/**
 * The device's queue of views not yet on the server (查阅留痕, README "View log"): one IndexedDB
 * database, so an entry made offline survives the page closing and the browser restarting, and is
 * sent when the server can be reached (POST /views, core/sync/view-log.ts). The server stamps the
 * user from the token it receives, so each entry remembers which server and user it was made under
 * and is only ever sent with that user's token: a view queued by one officer is never delivered,
 * and so never attributed, under a colleague who enrols on the same browser afterwards.
 */

export const VIEW_QUEUE_DB = 'dossierlens-view-log';
const STORE = 'queue';

const queuedSchema = v.object({ ...viewRecordSchema.entries, server: v.string(), user: v.string() });
export type QueuedView = v.InferOutput<typeof queuedSchema>;

function openQueue(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(VIEW_QUEUE_DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'id' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('cannot open the view queue'));
  });
}

async function withStore<T>(
  mode: IDBTransactionMode,
  run: (store: IDBObjectStore) => IDBRequest<T> | undefined,
): Promise<T | undefined> {
  const db = await openQueue();
  try {
    return await new Promise<T | undefined>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = run(tx.objectStore(STORE));
      // Resolved when the transaction is durable, not merely when the request succeeded.
      tx.oncomplete = () => resolve(req?.result);
      tx.onerror = () => reject(tx.error ?? new Error('view queue transaction failed'));
      tx.onabort = () => reject(tx.error ?? new Error('view queue transaction aborted'));
    });
  } finally {
    db.close();
  }
}

/** A view with a fresh id and the device's time, for `enqueueView`. */
export function newView(entry: Omit<ViewRecord, 'id' | 'at'>, now = Date.now()): ViewRecord {
  return v.parse(viewRecordSchema, { ...entry, id: crypto.randomUUID(), at: now });
}

/**
 * With a cipher (the extension: README "Encrypted at rest") an entry is kept as its id and the
 * rest sealed, `{ id, sealed }`; entries kept in the clear (before encryption) are still read.
 */
const SEALED_AT = 'dossierlens-view-log#entry';
const sealedSchema = v.object({ id: v.string(), sealed: v.instance(ArrayBuffer) });

async function toStored(entry: QueuedView, cipher: RecordCipher | undefined): Promise<unknown> {
  if (!cipher) return entry;
  const sealed = await cipher.seal(new TextEncoder().encode(JSON.stringify(entry)), SEALED_AT);
  return { id: entry.id, sealed: sealed.buffer };
}

async function fromStored(item: unknown, cipher: RecordCipher | undefined): Promise<QueuedView | undefined> {
  const sealed = v.safeParse(sealedSchema, item);
  if (sealed.success) {
    if (!cipher) return undefined;
    const plain = await cipher.open(new Uint8Array(sealed.output.sealed), SEALED_AT).catch(() => undefined);
    item = plain ? (JSON.parse(new TextDecoder().decode(plain)) as unknown) : undefined;
  }
  const parsed = v.safeParse(queuedSchema, item);
  return parsed.success ? parsed.output : undefined;
}

/** Keep views until they are delivered; resolves once they are on disk (one transaction). */
export async function enqueueViews(
  views: readonly ViewRecord[],
  owner: { server: string; user: string },
  cipher?: RecordCipher,
): Promise<void> {
  if (views.length === 0) return;
  const entries = await Promise.all(
    views.map((view) => toStored(v.parse(queuedSchema, { ...view, ...owner }), cipher)),
  );
  await withStore('readwrite', (store) => {
    for (const entry of entries) store.put(entry);
    return undefined;
  });
}

export const enqueueView = (
  view: ViewRecord,
  owner: { server: string; user: string },
  cipher?: RecordCipher,
): Promise<void> => enqueueViews([view], owner, cipher);

/** Everything still queued (every owner) that can be read, oldest first. */
export async function queuedViews(cipher?: RecordCipher): Promise<QueuedView[]> {
  const raw = (await withStore<unknown[]>('readonly', (store) => store.getAll())) ?? [];
  const read = await Promise.all(raw.map((item) => fromStored(item, cipher)));
  return read.filter((q): q is QueuedView => q !== undefined).sort((a, b) => a.at - b.at);
}

async function remove(ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await withStore('readwrite', (store) => {
    for (const id of ids) store.delete(id);
    return undefined;
  });
}

export interface FlushResult {
  sent: number;
  /** Dropped: the server will never record them (the user cannot read their subjects). */
  refused: number;
  /** Still queued for this owner (kept for the next attempt). */
  left: number;
  /** Why sending stopped early, if it did (undefined: unreachable). */
  stopped?: { status?: number | undefined };
}

/**
 * Send this owner's queued views, a batch at a time, removing each batch once the server has
 * recorded it. Stops at the first batch that cannot go now (offline, server busy, token expired):
 * those entries stay for the next call.
 */
export async function flushViews(
  connection: { serverUrl: string; token: string; server: string; user: string },
  send: (views: ViewRecord[]) => Promise<SendResult> = (views) =>
    sendViews(connection.serverUrl, connection.token, views),
  cipher?: RecordCipher,
): Promise<FlushResult> {
  const mine = (await queuedViews(cipher)).filter((q) => q.server === connection.server && q.user === connection.user);
  const result: FlushResult = { sent: 0, refused: 0, left: mine.length };
  let pending = mine;
  while (pending.length > 0) {
    const batch = pending.slice(0, MAX_VIEWS_PER_BATCH);
    const answer = await send(batch.map(({ server: _server, user: _user, ...view }) => view));
    if (answer.ok) {
      await remove(batch.map((q) => q.id));
      result.sent += batch.length;
      pending = pending.slice(batch.length);
    } else if ('refused' in answer && answer.refused.length > 0) {
      const refused = new Set(answer.refused);
      await remove([...refused]);
      result.refused += batch.filter((q) => refused.has(q.id)).length;
      pending = pending.filter((q) => !refused.has(q.id));
    } else {
      result.stopped = { status: 'status' in answer ? answer.status : undefined };
      break;
    }
    result.left = pending.length;
  }
  return result;
}
