import * as v from 'valibot';
import * as Y from 'yjs';
import type { SyncedDoc } from './synced-doc.ts';

/**
 * What each document of a workspace (units, the user's own, …; not the workspace document itself)
 * held on this device, as Yjs state vectors, kept beside the workspace document (one record, read
 * in the workspace's first IndexedDB transaction). A restarted background (an MV3 service worker
 * is stopped after ~30 s idle) offers these to the server at once, in parallel with reading a
 * hundred unit databases, instead of after: the server answers with what changed since, and the
 * documents are online again before their own databases are read (synced-doc.ts, `offerState`).
 *
 * A vector is kept only for a document with nothing unconfirmed (every change of this device is on the
 * server): then "online" before the database is read says nothing untrue. A stale vector (behind
 * what is stored) costs a few bytes the server sends again; one ahead of what is stored (a write
 * lost) is corrected by the ordinary handshake the document does once it has read its database.
 */

export const STATE_CACHE_KEY = 'unitStateVectors';

// btoa/atob: in browsers, service workers (where lib0's base64 wants Node's Buffer) and Node.
const toBase64 = (bytes: Uint8Array) => btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

const cacheSchema = v.record(v.string(), v.string());

/** doc name → encoded state vector. */
export type StateCache = ReadonlyMap<string, Uint8Array>;

export function encodeStateCache(docs: Iterable<readonly [string, Y.Doc]>): string {
  const out: Record<string, string> = {};
  for (const [name, doc] of docs) out[name] = toBase64(Y.encodeStateVector(doc));
  return JSON.stringify(out);
}

/** Anything unreadable is as if nothing were cached: those documents take the ordinary path. */
export function decodeStateCache(text: string | undefined): StateCache {
  const out = new Map<string, Uint8Array>();
  if (!text) return out;
  try {
    const parsed = v.safeParse(cacheSchema, JSON.parse(text));
    if (!parsed.success) return out;
    for (const [name, encoded] of Object.entries(parsed.output)) {
      const sv = fromBase64(encoded);
      Y.decodeStateVector(sv); // throws on garbage
      out.set(name, sv);
    }
  } catch {
    return new Map();
  }
  return out;
}

/** A few small vectors in one write: cheap beside the updates that caused it. */
const STATES_EVERY_MS = 250;

export interface StateKeeper {
  /** Something changed: write within STATES_EVERY_MS (at most once per that). */
  later(): void;
  /** Write now if a write is due (closing). */
  flush(): Promise<void>;
  stop(): void;
}

/**
 * Keeps the states of `docs()` that are loaded and have nothing unconfirmed (the workspace
 * document excluded: its own state is read first anyway). Soon after changes, not once things are
 * quiet: a browser stops the extension's background without warning (~30 s idle, or sooner).
 */
export function keepStates(opts: {
  docs: () => Iterable<SyncedDoc>;
  write: (text: string) => Promise<void>;
}): StateKeeper {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const write = () => {
    clearTimeout(timer);
    timer = undefined;
    const settled = [...opts.docs()].filter(
      (d) => d.kind !== 'workspace' && ((s) => s.loaded && s.unconfirmed === 0)(d.status()),
    );
    return opts.write(encodeStateCache(settled.map((d) => [d.name, d.doc] as const)));
  };
  return {
    later() {
      timer ??= setTimeout(() => void write(), STATES_EVERY_MS);
    },
    flush: () => (timer !== undefined ? write() : Promise.resolve()),
    stop() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
