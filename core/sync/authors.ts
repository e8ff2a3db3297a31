import * as v from 'valibot';
import type * as Y from 'yjs';
import { attributeWith, type Author, type Person } from '../doc/writers.ts';
import { httpUrl, identityFromToken } from './whoami.ts';

/**
 * Who wrote with each Yjs clientID of a document, as the server recorded it: the server binds a
 * clientID to the authenticated user who first used it (in a write or in presence) and refuses
 * anyone else's content under it, then answers `GET /authors?doc=` with those bindings. Views show
 * these names for every authored value (core/doc/writers.ts gives the clientID), never the `by` or
 * `author` a client wrote into the value. See core/README.md, "Attribution".
 *
 * This is the one source of authorship in the client: the side panel (records, corrections,
 * annotations, the dossier's history), the import history, and the workflow steps (clue steps,
 * card events, the register's approval steps, whose roles are checked against it) all read it.
 *
 * This device's own clientIDs are the token's user straight away (offline included): `get` names
 * them, `author` marks them `pending` until the server's answer lists them. Bindings are kept
 * beside the document, so a reopened view knows its authors before the server answers; they are
 * fetched again when the document syncs, when this device's writes are confirmed while one of its
 * clientIDs is not yet listed, and whenever content arrives from a clientID not known yet (a
 * colleague's first edit), at most every `minIntervalMs`.
 *
 * All of that only once somebody asks (`get`, `author`, `onChange`, `refresh`): a workspace that
 * only indexes (the extension's background, a hundred units) neither reads the kept bindings nor
 * asks the server for each document it syncs.
 */

export interface Authors {
  /**
   * The author of content written with `clientId` (the server's, or this device's user), or
   * undefined while nobody knows.
   */
  get(clientId: number | undefined): Person | undefined;
  /**
   * The same with how sure it is: the server's word, this device's write not yet listed by it, or
   * unknown (core/doc/writers.ts).
   */
  author(clientId: number | undefined): Author;
  /** This device's writes are on the server: ask for their bindings if one is not known yet. */
  ownWritesConfirmed(): void;
  /** Called after the known authors changed. */
  onChange(listener: () => void): () => void;
  /** Ask the server now (the tracker also does it by itself, see above). */
  refresh(): Promise<void>;
  /** The document synced: ask again, if anyone has asked for authors. */
  synced(): void;
  destroy(): void;
}

export interface AuthorsOptions {
  doc: Y.Doc;
  /** The document's name on the server. */
  name: string;
  serverUrl: string;
  token: () => string;
  /** Every clientID this device wrote this document with. */
  ownIds: () => Iterable<number>;
  readLocal(key: string): Promise<string | undefined>;
  writeLocal(key: string, value: string): Promise<void>;
  minIntervalMs?: number;
}

const AUTHORS_KEY = 'authors';

const answerSchema = v.object({
  authors: v.array(v.object({ clientId: v.pipe(v.number(), v.safeInteger()), user: v.string(), name: v.string() })),
});

/** GET /authors?doc=: the server's clientID bindings for one document (read access needed). */
export async function fetchAuthors(
  serverUrl: string,
  token: string,
  doc: string,
  signal?: AbortSignal,
): Promise<Map<number, Person> | undefined> {
  try {
    const res = await fetch(`${httpUrl(serverUrl)}/authors?doc=${encodeURIComponent(doc)}`, {
      headers: { Authorization: `Bearer ${token}` },
      signal: signal ?? AbortSignal.timeout(10_000),
    });
    if (!res.ok) return undefined;
    const parsed = v.safeParse(answerSchema, await res.json());
    return parsed.success
      ? new Map(parsed.output.authors.map((a) => [a.clientId, { user: a.user, name: a.name }]))
      : undefined;
  } catch {
    return undefined;
  }
}

export function trackAuthors(opts: AuthorsOptions): Authors {
  const known = new Map<number, Person>();
  const listeners = new Set<() => void>();
  const minInterval = opts.minIntervalMs ?? 2000;
  let destroyed = false;
  let inFlight: Promise<void> | undefined;
  let lastAsked = -Infinity;
  let again: ReturnType<typeof setTimeout> | undefined;

  const notify = () => {
    for (const listener of [...listeners]) listener();
  };
  const merge = (authors: Iterable<[number, Person]>): boolean => {
    let changed = false;
    for (const [id, author] of authors) {
      const before = known.get(id);
      if (before?.user === author.user && before.name === author.name) continue;
      known.set(id, author);
      changed = true;
    }
    return changed;
  };

  const readKept = () =>
    opts.readLocal(AUTHORS_KEY).then((text) => {
      if (destroyed || text === undefined) return;
      try {
        const parsed = v.safeParse(answerSchema, JSON.parse(text));
        if (parsed.success && merge(parsed.output.authors.map((a) => [a.clientId, { user: a.user, name: a.name }])))
          notify();
      } catch {
        // A damaged cache only costs the wait for the server.
      }
    });

  /** Somebody asked: from now on the tracker keeps itself current (see above). */
  let awake = false;
  const wake = () => {
    if (awake || destroyed) return;
    awake = true;
    opts.doc.on('afterTransaction', onTransaction);
    // The kept bindings first, so they never overwrite the server's fresher answer.
    void readKept().then(() => fetchNow());
  };

  const refresh = (): Promise<void> => {
    wake();
    return fetchNow();
  };
  const fetchNow = (): Promise<void> => {
    if (destroyed) return Promise.resolve();
    inFlight ??= (async () => {
      lastAsked = Date.now();
      const answer = await fetchAuthors(opts.serverUrl, opts.token(), opts.name);
      if (!answer || destroyed) return;
      if (merge(answer)) {
        notify();
        const authors = [...known].map(([clientId, a]) => ({ clientId, ...a }));
        await opts.writeLocal(AUTHORS_KEY, JSON.stringify({ authors }));
      }
    })().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };

  const own = () => new Set(opts.ownIds());
  /** Ask again, but not more often than `minInterval`. */
  const askSoon = () => {
    if (destroyed || again !== undefined) return;
    again = setTimeout(
      () => {
        again = undefined;
        void fetchNow();
      },
      Math.max(0, lastAsked + minInterval - Date.now()),
    );
  };
  /** Content from a clientID nobody knows yet. */
  const onTransaction = (tr: Y.Transaction) => {
    if (tr.local) return;
    const mine = own();
    const unknown = [...tr.afterState.keys()].some(
      (id) => tr.beforeState.get(id) !== tr.afterState.get(id) && !known.has(id) && !mine.has(id),
    );
    if (unknown) askSoon();
  };
  const me = (): Person | undefined => {
    const id = identityFromToken(opts.token());
    return id && { user: id.user, name: id.name };
  };

  return {
    get(clientId) {
      wake();
      if (clientId === undefined) return undefined;
      if (own().has(clientId)) {
        const self = me();
        if (self) return self;
      }
      return known.get(clientId);
    },
    author(clientId) {
      wake();
      const self = me();
      return attributeWith(known, self && { ids: own(), me: self })(clientId);
    },
    ownWritesConfirmed() {
      // Only clientIDs that wrote something here: the server binds no others.
      if (awake && [...own()].some((id) => !known.has(id) && opts.doc.store.clients.has(id))) askSoon();
    },
    onChange(listener) {
      wake();
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    refresh,
    synced() {
      if (awake) void fetchNow();
    },
    destroy() {
      destroyed = true;
      if (again !== undefined) clearTimeout(again);
      opts.doc.off('afterTransaction', onTransaction);
      listeners.clear();
    },
  };
}
