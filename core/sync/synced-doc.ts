import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { WebsocketProvider, messageSync } from 'y-websocket';
import { hasContent, migrate, type MigrationOutcome } from '../doc/migrations.ts';
import {
  advanced,
  encodeStateVectorMap,
  peekSyncStep1,
  stateVectorOf,
  unconfirmedChanges,
  type StateVector,
} from './confirmation.ts';
import { connectionOf, type DocStatus } from './status.ts';
import { changedSince } from '../doc/observe.ts';
import { trackAuthors } from './authors.ts';
import { closedError, SyncRefusedError } from './refusal.ts';
import { trackConnection } from './connection-state.ts';
import { offeringSocket } from './offer.ts';
import {
  keptIn,
  localValues,
  openPersistence,
  OWN_IDS_KEY,
  SEEN_SV_KEY,
  SERVER_SV_KEY,
  type Persistence,
} from './local-values.ts';
import { loadQuietly } from './quiet-load.ts';
import type { SyncedDoc, SyncedDocOptions } from './synced-doc-types.ts';

export type { SyncedDoc, SyncedDocOptions } from './synced-doc-types.ts';

/**
 * One document kept on this device (y-indexeddb) and in step with the server (y-websocket), with
 * the confirmation protocol on top (confirmation.ts) and the status a user sees (status.ts).
 *
 * The token travels in `Sec-WebSocket-Protocol` (`dossierlens`, `auth.<token>`), never in the URL,
 * so it stays out of proxy and server access logs. y-websocket 3 passes its `protocols` option
 * straight to the WebSocket constructor, so no wrapper is needed.
 *
 * This module ties the parts together and owns what needs all of them (confirmation, status,
 * waiting, teardown). The parts: the contract (synced-doc-types.ts), what the connection said
 * (connection-state.ts), the store on this device and the values beside the document
 * (local-values.ts), and loading it without listeners (quiet-load.ts).
 */

export const SUBPROTOCOL = 'dossierlens';
/** The subprotocols a document's socket offers: ours, and the token (never in the URL). */
export const syncProtocols = (token: string): string[] => [SUBPROTOCOL, `auth.${token}`];

export function openSyncedDoc(opts: SyncedDocOptions): SyncedDoc {
  const doc = new Y.Doc();
  const persistence: Persistence | undefined = openPersistence(opts.persistence, opts.dbName, doc, opts.cipher);
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
  let schema: MigrationOutcome | undefined;
  let firstAnswerOnConnection = true;
  let askTimer: ReturnType<typeof setTimeout> | undefined;
  let destroyed = false;
  const listeners = new Set<(s: DocStatus) => void>();
  const connection = trackConnection(doc, provider, {
    connect: opts.connect,
    changed: () => emit(),
    connectedAgain: () => {
      firstAnswerOnConnection = true;
    },
  });

  const status = (): DocStatus => {
    const { denied, closed } = connection;
    return {
      name: opts.name,
      connection: connectionOf({
        connected: provider.wsconnected,
        connecting: connection.connecting,
        synced: provider.synced && serverSV !== undefined,
        unconfirmed,
      }),
      unconfirmed,
      loaded,
      ...(denied !== undefined ? { denied } : {}),
      ...(closed ? { closed } : {}),
      ...(schema?.status === 'newer' ? { newerSchema: schema.version } : {}),
    };
  };
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
  if (persistence)
    loadQuietly(
      doc,
      persistence,
      provider,
      () => destroyed,
      (changed) => {
        doc.on('update', onUpdate);
        if (changed?.local) onUpdate(new Uint8Array(), undefined);
        else if (changed && provider.wsconnected) scheduleAsk();
      },
    );
  else doc.on('update', onUpdate);

  // A missing or damaged value only costs the offline count (or the "arrived" baseline) until the
  // next answer from the server.
  const { first: small, readLocal, writeLocal } = localValues(persistence, opts.readAhead ?? [], () => destroyed);

  if (opts.connect && (opts.connectAtOnce || offer)) provider.connect();
  const whenLoaded = (async () => {
    if (persistence && small) {
      const [, values] = await Promise.all([persistence.whenSynced, small]);
      const kept = keptIn(values);
      for (const id of kept.ownIds) ownIds.add(id);
      serverSV ??= kept.serverSV;
      seenSV ??= kept.seenSV;
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

  /**
   * Resolves when `ready` holds. Rejects when waiting has become pointless: the server closed the
   * connection for good (e.g. 4401, token expired) or refused the upgrade with 401/403 (Node
   * clients), or, with `failOnDenial`, refused a write made while waiting (the change will never be
   * confirmed).
   */
  const waitUntil = (ready: () => boolean, failOnDenial: boolean) =>
    new Promise<void>((resolve, reject) => {
      const deniedBefore = connection.denials;
      const check = () => {
        if (ready()) {
          waiters.delete(check);
          resolve();
        } else if (connection.closed) {
          waiters.delete(check);
          reject(closedError(opts.name, connection.closed));
        } else if (failOnDenial && connection.denials > deniedBefore) {
          waiters.delete(check);
          reject(new SyncRefusedError(opts.name, 'denied', connection.denied ?? ''));
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
      connection.wanted();
      provider.connect();
    },
    disconnect: () => {
      connection.unwanted();
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
