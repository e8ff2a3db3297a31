import type { IsoDate } from '../dates.ts';
import { fromParts } from '../dates.ts';
import type { Locale } from '../model/messages.ts';
import type { WorkspaceConfig } from '../model/config.ts';
import type { Unit } from '../model/schemas.ts';
import { notesDocName, REGISTER_DOC, unitDocName, WORKSPACE_DOC, type DocKind } from '../doc/names.ts';
import { registerDoc, type RegisterDoc } from '../doc/register-doc.ts';
import { notes as notesAccessor, type Notes } from '../doc/notes-doc.ts';
import { observeDoc } from '../doc/observe.ts';
import { unitDossiers, type UnitDossiers } from '../doc/unit-doc.ts';
import { workspaceDoc, type WorkspaceDoc } from '../doc/workspace-doc.ts';
import { createLocalIndex, type LocalIndex } from './local-index.ts';
import { aggregate, type WorkspaceStatus } from './status.ts';
import { summariseUnitDoc, type Rules } from './summaries.ts';
import { decodeIndexCache, encodeIndexCache, indexStamp, INDEX_CACHE_KEY } from './index-cache.ts';
import { openSyncedDoc, syncProtocols, type SyncedDoc } from './synced-doc.ts';
import { createSharedConnection, type TransportMode } from './multiplex.ts';
import { databasesHere, dbPrefix, deleteDatabase } from './databases.ts';

export { dbPrefix };
import { canRead, type Grant } from './scope.ts';
import type { RecordCipher } from './at-rest.ts';

/**
 * A workspace on this device: the `workspace` document, and the `unit:*` and `notes:*` documents
 * opened on demand or for every unit in the directory, each kept in IndexedDB and synced with the
 * server; typed accessors over them; sync status; and the local index of every subject in scope.
 * Usable wherever there is a WebSocket (and IndexedDB for persistence): the extension, an
 * organisation's own portal, Node (pass `ws` as WebSocketPolyfill and persistence 'none').
 */

export interface WorkspaceOptions {
  /** ws:// or wss:// base URL of the sync server; documents are `<serverUrl>/<docName>`. */
  serverUrl: string;
  token: string;
  /** Default 'indexeddb' (offline-capable). 'none' keeps everything in memory. */
  persistence?: 'indexeddb' | 'none';
  WebSocketPolyfill?: typeof WebSocket;
  /** Keep other tabs / extension views of this origin in step (BroadcastChannel). Default true. */
  crossTab?: boolean;
  /** Default true; false opens from local storage only until `connect()`. */
  connect?: boolean;
  /** Which units `openUnits()` opens from the directory; default all (within `grants`). */
  scope?: (unitCode: string) => boolean;
  /** The token's grants (e.g. from GET /whoami): `openUnits()` skips documents none of them covers. */
  grants?: readonly Grant[];
  /** Language of index strings and validation messages. Default zh-CN. */
  locale?: Locale;
  /** Date the rules evaluate on; default today in local time. */
  today?: () => IsoDate;
  rules?: Rules;
  confirmDebounceMs?: number;
  /** Upper bound of the wait between reconnection attempts (jittered), ms. Default 30 s. */
  maxBackoffTime?: number;
  /**
   * One WebSocket for every document (default true), falling back to one per document against a
   * server without multiplexing; false: one per document (multiplex.ts).
   */
  multiplex?: boolean;
  /** Keep each unit's index entries on this device for a fast next start (default: with IndexedDB). */
  indexCache?: boolean;
  /** How long after opening a unit from the index cache its entries are recomputed. Default 2 s. */
  revalidateAfterMs?: number;
  /** Seal every document and value kept on this device (README "Encrypted at rest"). */
  cipher?: RecordCipher;
}

export interface OpenUnit {
  synced: SyncedDoc;
  dossiers: UnitDossiers;
}

export interface OpenNotes {
  synced: SyncedDoc;
  notes: Notes;
}

export interface OpenRegister {
  synced: SyncedDoc;
  register: RegisterDoc;
}

export interface Workspace {
  readonly serverUrl: string;
  /** The workspace document: configuration and unit directory. */
  readonly workspace: WorkspaceDoc;
  readonly workspaceSynced: SyncedDoc;
  unit(code: string): Promise<OpenUnit>;
  notes(code: string): Promise<OpenNotes>;
  /** `queries` or `user:<sub>`, opened once (access derived, not from `grants`: derived-access.ts). */
  doc(name: string, kind: DocKind): Promise<SyncedDoc>;
  /** The integrity-review register, org-wide (its own grants on the server). */
  register(): Promise<OpenRegister>;
  /** Opens the unit documents of every unit in the directory (within `scope`); returns their codes. */
  openUnits(opts?: { notes?: boolean }): Promise<string[]>;
  /** Whether `openUnits()` opens this unit: within `scope`, and readable under `grants` when given. */
  inScope(code: string): boolean;
  /** The grants the workspace was opened with (undefined: none given, every document is tried). */
  readonly grants: readonly Grant[] | undefined;
  docs(): SyncedDoc[];
  status(): WorkspaceStatus;
  /** The status after changes, once per burst of them (the documents' statuses change together). */
  onStatus(listener: (status: WorkspaceStatus) => void): () => void;
  readonly index: LocalIndex;
  /** Resolves when the server has acknowledged every local change in every open document. */
  whenConfirmed(): Promise<void>;
  /** Connect every document; after a failed attempt, try again now rather than after the backoff. */
  connect(): void;
  disconnect(): void;
  setToken(token: string): void;
  /** How documents travel: over one socket, or one per document; undefined until the server answered. */
  transport(): TransportMode | undefined;
  /** Stops syncing; this device's copies stay for next time. */
  close(): Promise<void>;
  /** Stops syncing and deletes every local copy this workspace made on this device. */
  wipe(): Promise<void>;
}

const localToday = (): IsoDate => {
  const d = new Date();
  return fromParts(d.getFullYear(), d.getMonth() + 1, d.getDate());
};

export async function openWorkspace(options: WorkspaceOptions): Promise<Workspace> {
  const serverUrl = options.serverUrl.replace(/\/+$/, '');
  const persistence = options.persistence ?? 'indexeddb';
  const locale = options.locale ?? 'zh-CN';
  const today = options.today ?? localToday;
  let token = options.token;
  let shouldConnect = options.connect ?? true;
  const prefix = dbPrefix(serverUrl);
  const opened = new Map<string, SyncedDoc>();
  const notesDocs = new Map<string, Promise<OpenNotes>>();
  const stops: (() => void)[] = [];
  const statusListeners = new Set<(s: WorkspaceStatus) => void>();
  const index = createLocalIndex();
  let closed = false;
  const maxBackoffTime = options.maxBackoffTime ?? 30_000;
  const shared = options.multiplex === false ? undefined : createSharedConnection({ maxBackoffTime, ...(options.WebSocketPolyfill ? { WebSocketPolyfill: options.WebSocketPolyfill } : {}) });
  const WebSocketPolyfill = shared?.WebSocket ?? options.WebSocketPolyfill;

  const create = (name: string, kind: DocKind, connect: boolean, readAhead?: readonly string[], connectAtOnce = false): SyncedDoc => {
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
      ...(options.cipher ? { cipher: options.cipher } : {}),
    });
  };
  /**
   * Aggregating is O(documents), and a hundred documents syncing change their status hundreds of
   * times in a burst: listeners hear the latest once the burst's tasks have run, and nothing is
   * aggregated while nobody listens (e.g. a CLI import).
   */
  let statusTimer: ReturnType<typeof setTimeout> | undefined;
  const tellStatus = () => {
    statusTimer = undefined;
    if (closed || statusListeners.size === 0) return;
    const s = status();
    for (const l of statusListeners) l(s);
  };
  /** A document becomes part of the workspace: its status counts, connect/setToken/close reach it. */
  const register = (synced: SyncedDoc): SyncedDoc => {
    opened.set(synced.name, synced);
    stops.push(synced.onStatus(() => {
      if (statusListeners.size > 0) statusTimer ??= setTimeout(tellStatus, 0);
    }));
    return synced;
  };
  const open = (name: string, kind: DocKind, readAhead?: readonly string[], connectAtOnce = false): SyncedDoc =>
    register(create(name, kind, shouldConnect, readAhead, connectAtOnce));
  const status = () => aggregate([...opened.values()].map((d) => d.status()));

  const useCache = persistence === 'indexeddb' && (options.indexCache ?? true);
  const readable = (name: string) => !options.grants || canRead(options.grants, name);
  const inScope = (code: string) => (options.scope ? options.scope(code) : true) && readable(unitDocName(code));

  // Before any document creates its database (see `nothingHere`).
  const listing = persistence === 'indexeddb' ? databasesHere() : Promise.resolve(undefined);
  // The socket's handshake overlaps reading this device's copies, which every document waits for.
  if (shouldConnect) shared?.preconnect(`${serverUrl}/${WORKSPACE_DOC}`, syncProtocols(token));
  const wsSynced = open(WORKSPACE_DOC, 'workspace', useCache ? [UNIT_LIST_KEY] : undefined);
  const workspace = workspaceDoc(wsSynced.doc, { locale });

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
  const prefetching = useCache
    ? wsSynced.readLocal(UNIT_LIST_KEY).then((text) => {
        for (const code of decodeUnitList(text)) {
          if (closed || units.has(code) || prefetched.has(code) || !inScope(code)) continue;
          prefetched.set(code, create(unitDocName(code), 'unit', false, [INDEX_CACHE_KEY]));
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
   */
  const storedHere = await listing;
  const nothingHere = (name: string) => storedHere !== undefined && !storedHere.has(prefix + name);

  /** Index cache writes, debounced per unit: the latest entries and the stamp they were made at. */
  const pendingCache = new Map<string, { synced: SyncedDoc; text: string; timer: ReturnType<typeof setTimeout> }>();
  const flushCache = (code: string) => {
    const p = pendingCache.get(code);
    if (!p) return Promise.resolve();
    clearTimeout(p.timer);
    pendingCache.delete(code);
    return p.synced.writeLocal(INDEX_CACHE_KEY, p.text);
  };

  /** Configuration and directory, read and validated once per workspace-document change. */
  let view: { config: WorkspaceConfig; lookup: (code: string) => Unit | undefined } | undefined;
  const dropView = () => {
    view = undefined;
  };
  // Before observers run: the re-grading below (an afterTransaction observer) must see the change.
  wsSynced.doc.on('beforeObserverCalls', dropView);
  stops.push(() => wsSynced.doc.off('beforeObserverCalls', dropView));
  const workspaceView = () => {
    if (!view) {
      const units = new Map<string, Unit>();
      for (const e of workspace.units.list()) if (e.ok) units.set(e.id, e.value);
      view = { config: workspace.config.get().value, lookup: (code) => units.get(code) };
    }
    return view;
  };

  const summarise = (code: string, dossiers: UnitDossiers, synced: SyncedDoc) => {
    if (closed) return;
    const { config, lookup } = workspaceView();
    const asOf = today();
    const entries = summariseUnitDoc(dossiers, { config, unit: lookup, unitCode: code, asOf, locale, ...(options.rules ? { rules: options.rules } : {}) });
    index.setUnit(code, entries);
    if (!useCache) return;
    const text = encodeIndexCache(indexStamp(synced.doc, wsSynced.doc, asOf, locale), entries);
    const previous = pendingCache.get(code);
    if (previous) clearTimeout(previous.timer);
    pendingCache.set(code, { synced, text, timer: setTimeout(() => void flushCache(code), 1000) });
  };

  /** Units shown from the cache, recomputed one per macrotask so opening never blocks for long. */
  const toRevalidate: { code: string; run: () => void }[] = [];
  let revalidating: ReturnType<typeof setTimeout> | undefined;
  const pump = () => {
    revalidating = undefined;
    const next = toRevalidate.shift();
    if (!next || closed) return;
    next.run();
    revalidating = setTimeout(pump, 0);
  };
  const revalidateLater = (code: string, run: () => void) => {
    toRevalidate.push({ code, run });
    revalidating ??= setTimeout(pump, options.revalidateAfterMs ?? 2000);
  };

  // Configuration or directory changes re-grade every open unit.
  stops.push(observeDoc(wsSynced.doc, () => {
    for (const [code, p] of units) void p.then((u) => summarise(code, u.dossiers, u.synced));
  }));

  const unit = (code: string): Promise<OpenUnit> => {
    let p = units.get(code);
    if (!p) {
      const early = prefetched.get(code);
      prefetched.delete(code);
      p = (async () => {
        const synced = early ? register(early) : open(unitDocName(code), 'unit', useCache ? [INDEX_CACHE_KEY] : undefined, nothingHere(unitDocName(code)));
        const dossiers = unitDossiers(synced.doc, { locale });
        const [cachedText] = await Promise.all([useCache ? synced.readLocal(INDEX_CACHE_KEY) : undefined, synced.whenLoaded]);
        if (early && !closed) {
          // Opened before anyone asked, so not connected: as `open` would, now that it is loaded.
          early.setToken(token);
          if (shouldConnect) early.connect();
        }
        stops.push(observeDoc(synced.doc, () => summarise(code, dossiers, synced)));
        // Stamped after the read: if anything arrived meanwhile, the stamp no longer matches.
        const cached = decodeIndexCache(cachedText, indexStamp(synced.doc, wsSynced.doc, today(), locale));
        if (cached && !closed) {
          index.setUnit(code, cached);
          revalidateLater(code, () => summarise(code, dossiers, synced));
        } else summarise(code, dossiers, synced);
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
    if (!others.has(name)) others.set(name, ((s) => s.whenLoaded.then(() => s))(open(name, kind)));
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
      const done = Promise.all(codes.map((c) => (opts.notes && readable(notesDocName(c)) ? Promise.all([unit(c), notes(c)]) : unit(c))));
      if (useCache) {
        const text = encodeUnitList(codes);
        if (text !== rememberedUnits) {
          rememberedUnits = text;
          void wsSynced.writeLocal(UNIT_LIST_KEY, text);
        }
      }
      await done;
      return codes;
    },
    docs: () => [...opened.values()],
    status,
    onStatus(listener) {
      statusListeners.add(listener);
      return () => {
        statusListeners.delete(listener);
      };
    },
    index,
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
      // Keep the latest index entries for the next start before letting go of the documents.
      await Promise.all([...pendingCache.keys()].map(flushCache));
      closed = true;
      if (revalidating !== undefined) clearTimeout(revalidating);
      clearTimeout(statusTimer);
      for (const stop of stops) stop();
      statusListeners.clear();
      await Promise.all([...opened.values()].map((d) => d.destroy()));
      shared?.close();
    },
    async wipe() {
      closed = true;
      clearTimeout(prefetchTimer);
      await Promise.all([...prefetched.values()].map((d) => d.destroy()));
      prefetched.clear();
      if (revalidating !== undefined) clearTimeout(revalidating);
      clearTimeout(statusTimer);
      for (const p of pendingCache.values()) clearTimeout(p.timer);
      pendingCache.clear();
      for (const stop of stops) stop();
      statusListeners.clear();
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

/** Kept beside the workspace document: the unit codes `openUnits()` opened last, as JSON. */
const UNIT_LIST_KEY = 'openedUnits';
const PREFETCH_KEEP_MS = 10_000;

function encodeUnitList(codes: readonly string[]): string {
  return JSON.stringify(codes);
}

function decodeUnitList(text: string | undefined): string[] {
  if (!text) return [];
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.filter((c): c is string => typeof c === 'string') : [];
  } catch {
    return [];
  }
}
