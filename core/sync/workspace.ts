import { today as todayInChina } from '../dates.ts';
import { notesDocName, REGISTER_DOC, unitDocName, WORKSPACE_DOC, type DocKind } from '../doc/names.ts';
import { registerDoc } from '../doc/register-doc.ts';
import { notes as notesAccessor } from '../doc/notes-doc.ts';
import { observeDoc } from '../doc/observe.ts';
import { unitDossiers } from '../doc/unit-doc.ts';
import { workspaceDoc } from '../doc/workspace-doc.ts';
import { createLocalIndex } from './local-index.ts';
import { aggregate } from './status.ts';
import { INDEX_CACHE_KEY } from './index-cache.ts';
import { INDEX_SNAPSHOT_KEY, indexSnapshot } from './index-snapshot.ts';
import { unitIndexer } from './unit-indexer.ts';
import { decodeUnitList, encodeUnitList, UNIT_LIST_KEY } from './unit-list.ts';
import { statusBursts } from './status-bursts.ts';
import { openSyncedDoc, syncProtocols, type SyncedDoc } from './synced-doc.ts';
import { createSharedConnection } from './multiplex.ts';
import { decodeStateCache, keepStates, STATE_CACHE_KEY } from './state-cache.ts';
import { databasesHere, dbPrefix, deleteDatabase } from './databases.ts';
import { canRead } from './scope.ts';
import type { OpenNotes, OpenRegister, OpenUnit, Workspace, WorkspaceOptions } from './workspace-types.ts';

export { dbPrefix };
export type { OpenNotes, OpenRegister, OpenUnit, Workspace, WorkspaceOptions } from './workspace-types.ts';

/**
 * A workspace on this device: the `workspace` document, and the `unit:*` and `notes:*` documents
 * opened on demand or for every unit in the directory, each kept in IndexedDB and synced with the
 * server; typed accessors over them; sync status; and the local index of every subject in scope.
 * Usable wherever there is a WebSocket (and IndexedDB for persistence): the extension, an
 * organisation's own portal, Node (pass `ws` as WebSocketPolyfill and persistence 'none').
 * The contract (options, the interface returned) is workspace-types.ts; keeping the index current
 * is unit-indexer.ts, the status for listeners status-bursts.ts, and the units remembered from the
 * last session unit-list.ts. This module decides which documents are open and when they connect.
 */
export async function openWorkspace(options: WorkspaceOptions): Promise<Workspace> {
  const serverUrl = options.serverUrl.replace(/\/+$/, '');
  const persistence = options.persistence ?? 'indexeddb';
  const locale = options.locale ?? 'zh-CN';
  const today = options.today ?? (() => todayInChina());
  let token = options.token;
  let shouldConnect = options.connect ?? true;
  const prefix = dbPrefix(serverUrl);
  const opened = new Map<string, SyncedDoc>();
  const notesDocs = new Map<string, Promise<OpenNotes>>();
  const stops: (() => void)[] = [];
  const index = createLocalIndex();
  let closed = false;
  const maxBackoffTime = options.maxBackoffTime ?? 30_000;
  const shared =
    options.multiplex === false
      ? undefined
      : createSharedConnection({
          maxBackoffTime,
          ...(options.WebSocketPolyfill ? { WebSocketPolyfill: options.WebSocketPolyfill } : {}),
        });
  const WebSocketPolyfill = shared?.WebSocket ?? options.WebSocketPolyfill;

  const create = (
    name: string,
    kind: DocKind,
    connect: boolean,
    readAhead?: readonly string[],
    connectAtOnce = false,
    offerState?: Uint8Array,
  ): SyncedDoc => {
    if (closed) throw new Error('workspace is closed');
    return openSyncedDoc({
      name,
      kind,
      serverUrl,
      token,
      persistence,
      dbName: prefix + name,
      crossTab: options.crossTab ?? true,
      connect,
      confirmDebounceMs: options.confirmDebounceMs ?? 300,
      maxBackoffTime,
      ...(WebSocketPolyfill ? { WebSocketPolyfill } : {}),
      ...(readAhead ? { readAhead } : {}),
      connectAtOnce,
      ...(offerState ? { offerState } : {}),
      ...(options.cipher ? { cipher: options.cipher } : {}),
    });
  };
  // Every document's state, for the next start (state-cache.ts); not the workspace document's.
  const states = keepStates({
    docs: () => opened.values(),
    write: (text) => wsSynced.writeLocal(STATE_CACHE_KEY, text),
  });
  const rememberStatesLater = () => {
    if (useCache && !closed) states.later();
  };
  /** A document becomes part of the workspace: its status counts, connect/setToken/close reach it. */
  const register = (synced: SyncedDoc): SyncedDoc => {
    opened.set(synced.name, synced);
    stops.push(
      synced.onStatus(() => {
        bursts.changed();
        if (synced.kind !== 'workspace') rememberStatesLater();
      }),
    );
    return synced;
  };
  const open = (
    name: string,
    kind: DocKind,
    readAhead?: readonly string[],
    connectAtOnce = false,
    offerState?: Uint8Array,
  ): SyncedDoc => register(create(name, kind, shouldConnect, readAhead, connectAtOnce, offerState));
  const status = () => aggregate([...opened.values()].map((d) => d.status()));
  const bursts = statusBursts(status, () => closed);

  const useCache = persistence === 'indexeddb' && (options.indexCache ?? true);
  const readable = (name: string) => !options.grants || canRead(options.grants, name);
  const inScope = (code: string) => (options.scope ? options.scope(code) : true) && readable(unitDocName(code));

  // Before any document creates its database (see `nothingHere`).
  const listing = persistence === 'indexeddb' ? databasesHere() : Promise.resolve(undefined);
  // The socket's handshake overlaps reading this device's copies, which every document waits for.
  if (shouldConnect) shared?.preconnect(`${serverUrl}/${WORKSPACE_DOC}`, syncProtocols(token));
  const keepSnapshot = useCache && options.indexSnapshot === true;
  const wsSynced = open(
    WORKSPACE_DOC,
    'workspace',
    // The kept index in the same transaction: read on its own, it queues behind a hundred unit
    // databases opening and comes after the units it stands in for (BENCHMARKS.md).
    useCache ? [UNIT_LIST_KEY, STATE_CACHE_KEY, ...(keepSnapshot ? [INDEX_SNAPSHOT_KEY] : [])] : undefined,
  );
  const workspace = workspaceDoc(wsSynced.doc, { locale });
  const snapshot = keepSnapshot
    ? indexSnapshot({ workspaceSynced: wsSynced, index, today, locale, inScope })
    : undefined;

  /**
   * Unit documents `openUnits()` opened in the previous session, loading from IndexedDB while the
   * workspace document (whose directory decides) is still loading. Until `openUnits()` or `unit()`
   * adopts one, it is not connected, not part of status, and nothing of it reaches the index; those
   * the directory (or scope, or grants) no longer lists are closed by `openUnits()`, the rest after
   * PREFETCH_KEEP_MS if nobody asks for them.
   */
  const prefetched = new Map<string, SyncedDoc>();
  const units = new Map<string, Promise<OpenUnit>>();
  const dropPrefetched = (code: string) => {
    const synced = prefetched.get(code);
    if (!synced) return;
    prefetched.delete(code);
    void synced.destroy();
  };
  // Answered from the same read as the workspace document's own small values, before its updates.
  // A unit whose state is remembered (state-cache.ts) also connects at once, offering that state.
  const prefetchToken = token;
  /** Remembered states (state-cache.ts) of documents to connect at once, 'connect' only. */
  let remembered: ReadonlyMap<string, Uint8Array> = new Map();
  const remembering = options.remembered ?? 'load';
  const prefetching =
    useCache && remembering !== 'none'
      ? Promise.all([wsSynced.readLocal(UNIT_LIST_KEY), wsSynced.readLocal(STATE_CACHE_KEY)]).then(([text, states]) => {
          if (remembering === 'connect' && shouldConnect) remembered = decodeStateCache(states);
          for (const code of decodeUnitList(text)) {
            if (closed || units.has(code) || prefetched.has(code) || !inScope(code)) continue;
            const offer = remembered.get(unitDocName(code));
            prefetched.set(
              code,
              create(unitDocName(code), 'unit', offer !== undefined, [INDEX_CACHE_KEY], false, offer),
            );
          }
          return text;
        })
      : undefined;
  let prefetchTimer: ReturnType<typeof setTimeout> | undefined;

  await wsSynced.whenLoaded;
  let rememberedUnits = await prefetching;
  /**
   * A unit without a database here has nothing on this device yet: it asks the server without
   * waiting for its new database to be created and read (a new device gets its hundred units in
   * parallel with creating a hundred databases). Unknown (no listing): every unit reads first.
   * A device that remembered units (a restart) does not wait for the listing (~0.1 s while a
   * hundred databases open): units not remembered read first until it has come.
   */
  let storedHere: Set<string> | undefined;
  const listed = listing.then((names) => {
    storedHere = names;
  });
  if (prefetched.size === 0) await listed;
  const nothingHere = (name: string) => storedHere !== undefined && !storedHere.has(prefix + name);
  void listed.catch(() => undefined);

  const indexer = unitIndexer({
    index,
    workspaceSynced: wsSynced,
    workspace,
    locale,
    today,
    rules: options.rules,
    useCache,
    revalidateAfterMs: options.revalidateAfterMs ?? 2000,
    closed: () => closed,
    indexed: rememberStatesLater,
  });

  // Configuration or directory changes re-grade every open unit.
  stops.push(
    observeDoc(wsSynced.doc, () => {
      for (const [code, p] of units) void p.then((u) => indexer.summarise(code, u.dossiers, u.synced));
    }),
  );

  const unit = (code: string): Promise<OpenUnit> => {
    let p = units.get(code);
    if (!p) {
      const early = prefetched.get(code);
      prefetched.delete(code);
      p = (async () => {
        const synced = early
          ? register(early)
          : open(unitDocName(code), 'unit', useCache ? [INDEX_CACHE_KEY] : undefined, nothingHere(unitDocName(code)));
        const dossiers = unitDossiers(synced.doc, { locale });
        const [cachedText] = await Promise.all([
          useCache ? synced.readLocal(INDEX_CACHE_KEY) : undefined,
          synced.whenLoaded,
        ]);
        if (early && !closed) {
          // Opened before anyone asked, so maybe not connected: as `open` would, now that it is
          // loaded (a new token restarts an attempt under way; the same one leaves it be).
          if (token !== prefetchToken) early.setToken(token);
          if (shouldConnect) early.connect();
          else early.disconnect();
        }
        stops.push(observeDoc(synced.doc, () => indexer.summarise(code, dossiers, synced)));
        indexer.opened(code, dossiers, synced, cachedText);
        return { synced, dossiers };
      })();
      units.set(code, p);
    }
    return p;
  };

  const notes = (code: string): Promise<OpenNotes> => {
    let p = notesDocs.get(code);
    if (!p) {
      p = (async () => {
        const synced = open(notesDocName(code), 'notes');
        await synced.whenLoaded;
        return { synced, notes: notesAccessor(synced.doc, { locale }) };
      })();
      notesDocs.set(code, p);
    }
    return p;
  };

  const others = new Map<string, Promise<SyncedDoc>>();
  const other = (name: string, kind: DocKind): Promise<SyncedDoc> => {
    if (!others.has(name))
      others.set(name, ((s) => s.whenLoaded.then(() => s))(open(name, kind, undefined, false, remembered.get(name))));
    return others.get(name)!;
  };
  let registerOpen: Promise<OpenRegister> | undefined;
  const openRegister = (): Promise<OpenRegister> =>
    (registerOpen ??= (async () => {
      const synced = open(REGISTER_DOC, 'register');
      await synced.whenLoaded;
      return { synced, register: registerDoc(synced.doc, { locale }) };
    })());

  // Nobody asked for the remembered units (this view opens single units only): let them go.
  if (prefetched.size > 0) {
    prefetchTimer = setTimeout(() => {
      for (const code of [...prefetched.keys()]) dropPrefetched(code);
    }, PREFETCH_KEEP_MS);
  }

  return {
    serverUrl,
    workspace,
    workspaceSynced: wsSynced,
    unit,
    notes,
    doc: other,
    register: openRegister,
    inScope,
    grants: options.grants,
    async openUnits(opts = {}) {
      const codes = workspace.units.ids().filter(inScope);
      // Remembered from last time but no longer in the directory (or scope, or grants): close.
      const listed = new Set(codes);
      for (const code of [...prefetched.keys()]) if (!listed.has(code)) dropPrefetched(code);
      const done = Promise.all(
        codes.map((c) => (opts.notes && readable(notesDocName(c)) ? Promise.all([unit(c), notes(c)]) : unit(c))),
      );
      if (useCache) {
        const text = encodeUnitList(codes);
        if (text !== rememberedUnits) {
          rememberedUnits = text;
          void wsSynced.writeLocal(UNIT_LIST_KEY, text);
        }
      }
      await done;
      snapshot?.keep();
      return codes;
    },
    docs: () => [...opened.values()],
    status,
    onStatus: bursts.onStatus,
    index,
    indexSnapshot: () => snapshot?.read() ?? Promise.resolve(undefined),
    async whenConfirmed() {
      await Promise.all([...opened.values()].map((d) => d.whenConfirmed()));
    },
    connect() {
      shouldConnect = true;
      for (const d of opened.values()) d.connect();
      shared?.retryNow();
    },
    disconnect() {
      shouldConnect = false;
      for (const d of opened.values()) d.disconnect();
    },
    setToken(next) {
      token = next;
      for (const d of opened.values()) d.setToken(next);
    },
    transport: () => (shared ? shared.mode() : 'per-document'),
    async close() {
      if (closed) return;
      clearTimeout(prefetchTimer);
      for (const code of [...prefetched.keys()]) dropPrefetched(code);
      // Keep the latest index entries and states for the next start before letting go of the documents.
      await indexer.flush();
      await states.flush();
      await snapshot?.flush();
      closed = true;
      indexer.stop();
      snapshot?.stop();
      bursts.stop();
      for (const stop of stops) stop();
      await Promise.all([...opened.values()].map((d) => d.destroy()));
      shared?.close();
    },
    async wipe() {
      closed = true;
      clearTimeout(prefetchTimer);
      await Promise.all([...prefetched.values()].map((d) => d.destroy()));
      prefetched.clear();
      indexer.stop();
      snapshot?.stop();
      bursts.stop();
      states.stop();
      for (const stop of stops) stop();
      await Promise.all([...opened.values()].map((d) => d.clear()));
      shared?.close();
      // Documents opened in earlier sessions but not in this one.
      if (persistence === 'indexeddb') {
        const leftovers = [...((await databasesHere()) ?? [])].filter((n) => n.startsWith(prefix));
        await Promise.all(leftovers.map(deleteDatabase));
      }
    },
  };
}

/** How long units remembered from the last session wait to be asked for before they are closed. */
const PREFETCH_KEEP_MS = 10_000;
