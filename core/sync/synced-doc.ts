import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as authProtocol from 'y-protocols/auth';
import * as syncProtocol from 'y-protocols/sync';
import type { Awareness } from 'y-protocols/awareness';
import { WebsocketProvider, messageAuth, messageSync } from 'y-websocket';
import { IndexeddbPersistence } from 'y-indexeddb';
import { hasContent, migrate, type MigrationOutcome } from '../doc/migrations.ts';
import type { DocKind } from '../doc/names.ts';
import {
  advanced,
  encodeStateVectorMap,
  peekSyncStep1,
  stateVectorOf,
  unconfirmedChanges,
  type StateVector,
} from './confirmation.ts';
import { connectionOf, type DocStatus } from './status.ts';
import { changedSince, type Changes } from '../doc/observe.ts';
import { trackAuthors, type Authors } from './authors.ts';
import {
  definitiveRefusal,
  FORBIDDEN_CLOSE,
  REFUSAL_REASONS,
  SyncRefusedError,
  type RefusalStatus,
} from './refusal.ts';
import { offeringSocket } from './offer.ts';
import type { RecordCipher } from './at-rest.ts';
import { SealedIndexeddbPersistence } from './sealed-persistence.ts';

/** y-indexeddb's, or the same sealed with the device's data key (README "Encrypted at rest"). */
type Persistence = IndexeddbPersistence | SealedIndexeddbPersistence;

/**
 * One document kept on this device (y-indexeddb) and in step with the server (y-websocket), with
 * the confirmation protocol on top (confirmation.ts) and the status a user sees (status.ts).
 *
 * The token travels in `Sec-WebSocket-Protocol` (`dossierlens`, `auth.<token>`), never in the URL,
 * so it stays out of proxy and server access logs. y-websocket 3 passes its `protocols` option
 * straight to the WebSocket constructor, so no wrapper is needed.
 */

export const SUBPROTOCOL = 'dossierlens';
/** The subprotocols a document's socket offers: ours, and the token (never in the URL). */
export const syncProtocols = (token: string): string[] => [SUBPROTOCOL, `auth.${token}`];
const SERVER_SV_KEY = 'serverStateVector';
const SEEN_SV_KEY = 'seenStateVector';
/** The Yjs clientIDs this device wrote with, across sessions (each load of a Y.Doc gets a new one). */
const OWN_IDS_KEY = 'ownClientIds';

export interface SyncedDocOptions {
  name: string;
  kind: DocKind;
  serverUrl: string;
  token: string;
  /** 'indexeddb' keeps the document on this device (works offline); 'none' keeps it in memory. */
  persistence: 'indexeddb' | 'none';
  /** IndexedDB database name; the workspace derives it from the server and document names. */
  dbName: string;
  /** For Node (the `ws` package) or tests; browsers use the global WebSocket. */
  WebSocketPolyfill?: typeof WebSocket;
  /** Keep other extension views / tabs of this origin in step through BroadcastChannel. */
  crossTab: boolean;
  /** Wait this long after a local change before asking the server for its state vector. */
  confirmDebounceMs: number;
  /** Upper bound of the reconnect backoff (y-websocket doubles from 100 ms). */
  maxBackoffTime: number;
  /** Start disconnected (e.g. an explicit "work offline"). */
  connect: boolean;
  /**
   * Nothing of this document is on this device yet (a unit never opened here): ask the server at
   * once, while the local database is being created, rather than after reading it. (Otherwise the
   * first step 1 waits for what this device holds, so that only what it lacks is sent.)
   */
  connectAtOnce?: boolean;
  /**
   * Values kept beside the document (`readLocal`) to read in the same IndexedDB transaction as the
   * client's own (state vectors, own client IDs), as soon as the database is open: one round trip
   * per document instead of one per value. `readLocal(key)` then answers from that read until the
   * key is written.
   */
  readAhead?: readonly string[];
  /**
   * What this device held of the document when it was last open (an encoded state vector kept
   * elsewhere, state-cache.ts), with nothing unconfirmed: connect at once, offering it in the
   * first step 1 while the database is still being read, so that the server answers with what
   * changed since and the document is online before its copy here is read. Once read, the
   * document asks again with its real state (what the server lacks, or the offer overstated, is
   * exchanged then). Only with persistence and `connect`.
   */
  offerState?: Uint8Array;
  /** Seal everything stored on this device with this cipher (sealed-persistence.ts). */
  cipher?: RecordCipher;
}

export interface SyncedDoc {
  readonly name: string;
  readonly kind: DocKind;
  readonly doc: Y.Doc;
  readonly provider: WebsocketProvider;
  /** Presence: set `user` in the local state; peers' states arrive here. */
  readonly awareness: Awareness;
  /** Who wrote with each clientID, from the server (authors.ts): the only authorship to show. */
  readonly authors: Authors;
  /** Resolves once what this device stored is in `doc` (immediately without persistence). */
  readonly whenLoaded: Promise<void>;
  /**
   * Resolves the next time the document is connected and has exchanged state with the server;
   * rejects with SyncRefusedError if the server closes the connection for good meanwhile, or (Node
   * clients) refuses the upgrade with 401 or 403.
   */
  whenSynced(): Promise<void>;
  /**
   * Resolves when the server has durably acknowledged every local change; rejects with
   * SyncRefusedError if the server refuses a write meanwhile (e.g. a viewer) or closes for good.
   */
  whenConfirmed(): Promise<void>;
  status(): DocStatus;
  onStatus(listener: (status: DocStatus) => void): () => void;
  /**
   * Entities others changed since the user last looked (`markSeen`), by collection, for "what
   * arrived while you were away". Until the first `markSeen`, the first sync is the baseline.
   */
  arrivedSinceSeen(): Changes;
  markSeen(): void;
  /** Small values kept beside the document on this device (nothing without persistence). */
  readLocal(key: string): Promise<string | undefined>;
  writeLocal(key: string, value: string): Promise<void>;
  /** The result of running schema migrations, once the document was loaded or synced. */
  schema(): MigrationOutcome | undefined;
  connect(): void;
  disconnect(): void;
  setToken(token: string): void;
  /** Stops syncing and releases the document; what is stored on this device stays. */
  destroy(): Promise<void>;
  /** Stops syncing and deletes this device's copy. */
  clear(): Promise<void>;
}

/** Whether a transaction changed the document (Yjs emits 'update' only then). */
function changedIn(tr: Y.Transaction): boolean {
  if (tr.deleteSet.clients.size > 0) return true;
  for (const [client, clock] of tr.afterState) if (tr.beforeState.get(client) !== clock) return true;
  return false;
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

export function openSyncedDoc(opts: SyncedDocOptions): SyncedDoc {
  const doc = new Y.Doc();
  const persistence: Persistence | undefined =
    opts.persistence !== 'indexeddb'
      ? undefined
      : opts.cipher
        ? new SealedIndexeddbPersistence(opts.dbName, doc, opts.cipher)
        : new IndexeddbPersistence(opts.dbName, doc);
  const BaseSocket = opts.WebSocketPolyfill ?? (globalThis as { WebSocket?: typeof WebSocket }).WebSocket;
  const offer = persistence && opts.connect && BaseSocket ? opts.offerState : undefined;
  const WebSocketPolyfill = offer ? offeringSocket(BaseSocket!, offer, () => !loaded) : opts.WebSocketPolyfill;
  const provider = new WebsocketProvider(opts.serverUrl, opts.name, doc, {
    connect: false,
    protocols: syncProtocols(opts.token),
    disableBc: !opts.crossTab,
    maxBackoffTime: opts.maxBackoffTime,
    ...(WebSocketPolyfill ? { WebSocketPolyfill } : {}),
  });
  /** The socket being set up was refused with 401/403 (its 'connection-error' came before its close). */
  let refusal: RefusalStatus | undefined;
  // A refused upgrade ends like a dropped connection (1006); stop as y-websocket stops on 4400–4499.
  const reconnectAfter = provider.shouldReconnect;
  provider.shouldReconnect = (event, p) => refusal === undefined && reconnectAfter(event, p);

  let serverSV: StateVector | undefined;
  let seenSV: StateVector | undefined;
  const saveSeen = () => {
    seenSV = stateVectorOf(doc);
    void persistence?.set(SEEN_SV_KEY, encodeStateVectorMap(seenSV).slice().buffer);
  };
  let unconfirmed = 0;
  const ownIds = new Set<number>();
  let token = opts.token;
  let loaded = !persistence;
  let denied: string | undefined;
  /** Counts denials so a waiter can tell a new refusal from one that happened before it waited. */
  let denials = 0;
  let closed: { code: number; reason: string; httpStatus?: RefusalStatus } | undefined;
  let schema: MigrationOutcome | undefined;
  let firstAnswerOnConnection = true;
  /** Connecting is wanted (options, connect()) and no attempt has failed since: "connecting", not "offline". */
  let wantConnected = opts.connect;
  let attemptFailed = false;
  let askTimer: ReturnType<typeof setTimeout> | undefined;
  let destroyed = false;
  const listeners = new Set<(s: DocStatus) => void>();

  const status = (): DocStatus => ({
    name: opts.name,
    connection: connectionOf({
      connected: provider.wsconnected,
      connecting: wantConnected && !attemptFailed && closed === undefined,
      synced: provider.synced && serverSV !== undefined,
      unconfirmed,
    }),
    unconfirmed,
    loaded,
    ...(denied !== undefined ? { denied } : {}),
    ...(closed ? { closed } : {}),
    ...(schema?.status === 'newer' ? { newerSchema: schema.version } : {}),
  });
  let last = JSON.stringify(status());
  /** Waiters re-check on every fact change, not only when the visible status changes. */
  const waiters = new Set<() => void>();
  const emit = () => {
    if (destroyed) return;
    for (const w of [...waiters]) w();
    const s = status();
    const key = JSON.stringify(s);
    if (key === last) return;
    last = key;
    for (const l of listeners) l(s);
  };
  const recount = () => {
    unconfirmed = unconfirmedChanges(stateVectorOf(doc), serverSV ?? new Map(), ownIds);
    emit();
  };

  /** Our sync step 1; the server answers with step 2 and its own step 1 (the acknowledgement). */
  const askServer = () => {
    askTimer = undefined;
    const ws = provider.ws;
    if (!provider.wsconnected || !ws || ws.readyState !== ws.OPEN) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, messageSync);
    syncProtocol.writeSyncStep1(encoder, doc);
    ws.send(encoding.toUint8Array(encoder));
  };
  const scheduleAsk = () => {
    if (askTimer !== undefined) clearTimeout(askTimer);
    askTimer = setTimeout(askServer, opts.confirmDebounceMs);
  };

  const handleSync = provider.messageHandlers[messageSync]!;
  provider.messageHandlers[messageSync] = (encoder, decoder, p, fromServer, type) => {
    // Only the server's own step 1 is an acknowledgement; another tab's (via BroadcastChannel) is not.
    const sv = fromServer ? peekSyncStep1(decoder) : undefined;
    handleSync(encoder, decoder, p, fromServer, type);
    if (!sv) return;
    const progressed = advanced(serverSV, sv);
    serverSV = sv;
    void persistence?.set(SERVER_SV_KEY, encodeStateVectorMap(sv).slice().buffer);
    recount();
    // We just answered with a step 2 carrying what the server lacked (e.g. offline edits); ask once
    // more to learn whether it stored them. Stop when the server makes no progress (e.g. refused).
    if (unconfirmed > 0 && (firstAnswerOnConnection || progressed)) scheduleAsk();
    firstAnswerOnConnection = false;
  };
  provider.messageHandlers[messageAuth] = (_encoder, decoder) => {
    authProtocol.readAuthMessage(decoder, doc, (_doc, reason) => {
      denied = reason;
      denials += 1;
      emit();
    });
  };
  provider.on('status', ({ status: s }) => {
    // A new socket: what the last one was refused with no longer applies.
    if (s !== 'disconnected') refusal = undefined;
    if (s === 'connected') {
      attemptFailed = false;
      firstAnswerOnConnection = true;
      closed = undefined;
    }
    emit();
  });
  // A failed attempt: a socket of its own (its close follows), or the shared socket, which retries
  // for this document while it waits (multiplex.ts). Either way we are offline now, not connecting.
  // Node (`ws`) only: a refused upgrade's status arrives here too, just before the socket's close.
  provider.on('connection-error', (event) => {
    refusal = definitiveRefusal(event);
    attemptFailed = true;
    emit();
  });
  // Every closed socket, whether it never opened or dropped: from now on we are offline (retrying).
  provider.on('connection-close', () => {
    attemptFailed = true;
    emit();
  });
  provider.on('sync', (isSynced) => {
    // Synced on an offered state before the database was read, the document holds only what
    // changed since: neither a baseline of what the user saw nor a whole document to migrate
    // (both happen once it is read, in `whenLoaded`).
    const partial = offer !== undefined && !loaded;
    if (isSynced && !seenSV && !destroyed && !partial) saveSeen();
    // Only documents with content: stamping an empty one would be a write (refused for a viewer);
    // the first write through core/doc stamps the version anyway.
    if (isSynced && !schema && !destroyed && !partial && hasContent(doc)) schema = migrate(doc, opts.kind);
    emit();
  });
  provider.on('closed', (event) => {
    // On a multiplexed connection a document without a grant is closed with 4403 (its 403).
    if (refusal === undefined && event.code === FORBIDDEN_CLOSE) refusal = 403;
    closed =
      refusal === undefined
        ? { code: event.code, reason: event.reason }
        : { code: event.code, reason: REFUSAL_REASONS[refusal], httpStatus: refusal };
    refusal = undefined;
    emit();
  });

  const onUpdate = (_update: Uint8Array, origin: unknown) => {
    // A change made here (not one that came from the server or another tab) needs confirming.
    const local = origin !== provider && origin !== persistence;
    if (local && !ownIds.has(doc.clientID)) {
      ownIds.add(doc.clientID);
      void persistence?.set(OWN_IDS_KEY, JSON.stringify([...ownIds])).catch(() => undefined);
    }
    recount();
    if (local) scheduleAsk();
  };
  /**
   * While the stored updates are applied nobody listens for 'update': with a listener, Yjs encodes
   * every transaction as an update message, and for the load that is the whole document again
   * (a third of a 10,000-cadre open, for listeners that would ignore it: y-indexeddb skips its own
   * origin). The listeners are back the moment y-indexeddb has applied what it stored. A change
   * made or received before then (the server's answer to `connectAtOnce`, another tab's edit) is
   * still stored: y-indexeddb writes the document's state right before applying what it read, in
   * the same task as its 'synced' event; a local one is counted and offered to the server here.
   */
  let changedWhileLoading: { local: boolean } | undefined;
  const watchLoading = (tr: Y.Transaction) => {
    if (tr.origin === persistence || !changedIn(tr)) return;
    changedWhileLoading = { local: (changedWhileLoading?.local ?? false) || tr.origin !== provider };
  };
  const listenAgain = (p: Persistence) => {
    p.off('synced', listenAgain);
    doc.off('afterTransaction', watchLoading);
    if (destroyed) return;
    doc.on('update', p._storeUpdate);
    doc.on('update', provider._updateHandler);
    doc.on('update', onUpdate);
    if (changedWhileLoading?.local) onUpdate(new Uint8Array(), undefined);
    else if (changedWhileLoading && provider.wsconnected) scheduleAsk();
  };
  if (persistence) {
    doc.off('update', persistence._storeUpdate);
    doc.off('update', provider._updateHandler);
    doc.on('afterTransaction', watchLoading);
    persistence.on('synced', listenAgain);
  } else doc.on('update', onUpdate);

  // Read side by side with the document, in one transaction: each IndexedDB round trip costs more
  // than it carries. A missing or damaged record only costs the offline count (or the "arrived"
  // baseline) until the next answer from the server.
  const readAheadKeys = opts.readAhead ?? [];
  const small = persistence
    ? readCustom(persistence, [SERVER_SV_KEY, SEEN_SV_KEY, OWN_IDS_KEY, ...readAheadKeys])
    : undefined;
  /** Read-ahead values not yet superseded by a write through `writeLocal`. */
  const readAhead = new Map<string, Promise<string | undefined>>(
    small
      ? readAheadKeys.map((key, i) => [
          key,
          small.then((values) => (typeof values[3 + i] === 'string' ? (values[3 + i] as string) : undefined)),
        ])
      : [],
  );

  if (opts.connect && (opts.connectAtOnce || offer)) provider.connect();
  const whenLoaded = (async () => {
    if (persistence && small) {
      const [, values] = await Promise.all([persistence.whenSynced, small]);
      for (const id of parseOwnIds(values[2])) ownIds.add(id);
      serverSV ??= parseStateVector(values[0]);
      seenSV ??= parseStateVector(values[1]);
      loaded = true;
      // Migrate what this device holds; an empty document waits for the server (see migrate()).
      if (hasContent(doc) && !schema) schema = migrate(doc, opts.kind);
      if (offer && !destroyed) {
        if (!seenSV && provider.synced) saveSeen();
        // The handshake so far spoke for the remembered state: now the real one, at once.
        askServer();
      }
      recount();
    }
    if (opts.connect && !destroyed) provider.connect();
  })();

  const authors = trackAuthors({
    doc,
    name: opts.name,
    serverUrl: opts.serverUrl,
    token: () => token,
    ownIds: () => [doc.clientID, ...ownIds],
    readLocal: (key) => readLocal(key),
    writeLocal: (key, value) => writeLocal(key, value),
  });
  provider.on('sync', (isSynced) => {
    if (isSynced) authors.synced();
  });
  // Once this device's writes are on the server, it has bound their clientIDs: ask whose they are.
  let hadUnconfirmed = false;
  listeners.add((s) => {
    if (s.unconfirmed > 0) hadUnconfirmed = true;
    else if (hadUnconfirmed) {
      hadUnconfirmed = false;
      authors.ownWritesConfirmed();
    }
  });

  async function readLocal(key: string): Promise<string | undefined> {
    if (!persistence || destroyed) return undefined;
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
    if (!persistence || destroyed) return;
    readAhead.delete(key);
    await persistence.set(key, value).catch(() => undefined);
  }

  /**
   * Resolves when `ready` holds. Rejects when waiting has become pointless: the server closed the
   * connection for good (e.g. 4401, token expired) or refused the upgrade with 401/403 (Node
   * clients), or, with `failOnDenial`, refused a write made while waiting (the change will never be
   * confirmed).
   */
  const waitUntil = (ready: () => boolean, failOnDenial: boolean) =>
    new Promise<void>((resolve, reject) => {
      const deniedBefore = denials;
      const check = () => {
        if (ready()) {
          waiters.delete(check);
          resolve();
        } else if (closed) {
          waiters.delete(check);
          reject(
            closed.httpStatus !== undefined
              ? new SyncRefusedError(opts.name, 'refused', closed.reason, closed.httpStatus)
              : new SyncRefusedError(opts.name, 'closed', `${closed.code} ${closed.reason}`),
          );
        } else if (failOnDenial && denials > deniedBefore) {
          waiters.delete(check);
          reject(new SyncRefusedError(opts.name, 'denied', denied ?? ''));
        }
      };
      waiters.add(check);
      check();
    });
  function onStatus(listener: (s: DocStatus) => void) {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }

  /** Stops everything; with `deleteLocal`, y-indexeddb's clearData also deletes the database. */
  const teardown = async (deleteLocal: boolean) => {
    if (destroyed) return;
    destroyed = true;
    if (askTimer !== undefined) clearTimeout(askTimer);
    listeners.clear();
    waiters.clear();
    authors.destroy();
    doc.off('update', onUpdate);
    provider.destroy();
    await whenLoaded.catch(() => undefined);
    if (persistence) await (deleteLocal ? persistence.clearData() : persistence.destroy());
    doc.destroy();
  };

  return {
    name: opts.name,
    kind: opts.kind,
    doc,
    provider,
    awareness: provider.awareness,
    authors,
    whenLoaded,
    whenSynced: () => waitUntil(() => provider.synced && provider.wsconnected, false),
    whenConfirmed: () => waitUntil(() => provider.synced && serverSV !== undefined && unconfirmed === 0, true),
    status,
    onStatus,
    schema: () => schema,
    // "Others" excludes every client this device has written as (ownIds, kept beside the document),
    // not only this session's: a reopened view must not report the user's own earlier edits.
    arrivedSinceSeen: () => (seenSV ? changedSince(doc, seenSV, new Set([doc.clientID, ...ownIds])) : new Map()),
    markSeen: saveSeen,
    readLocal,
    writeLocal,
    connect: () => {
      closed = undefined;
      if (!provider.wsconnected) attemptFailed = false;
      wantConnected = true;
      provider.connect();
    },
    disconnect: () => {
      wantConnected = false;
      provider.disconnect();
      emit();
    },
    setToken(next) {
      token = next;
      provider.protocols = syncProtocols(next);
      // An attempt still under way (e.g. waiting for the server to come back) carries the old
      // token: start it again with the new one. An open connection keeps its token until it ends.
      if (provider.ws && !provider.wsconnected && provider.shouldConnect) {
        provider.disconnect();
        provider.connect();
      }
    },
    destroy: () => teardown(false),
    clear: () => teardown(true),
  };
}
