import type * as Y from 'yjs';
import { authorOf, bindingsFromHistory, type Author, type Person } from '../../core/doc/authors.ts';
import { observeDoc } from '../../core/doc/observe.ts';
import { fetchHistory } from './history.ts';

/**
 * Who wrote each workflow step, from the server's record (core/doc/authors.ts): GET /history of a
 * document lists the clientIDs each stored update wrote with and the authenticated user it came
 * from. Fetched when the document changes (debounced: one fetch for a burst of steps) and a little
 * later again while some step is still unattributed (written offline, or in flight), so an author
 * shown as pending turns into the server's word once it is stored.
 */

/** The history kept on the server goes back this far per document (its own cap is 10,000). */
const HISTORY_LIMIT = 10_000;
const DEBOUNCE_MS = 600;
const RETRY_MS = 2_000;

export class ServerAuthors {
  bindings = $state.raw(new Map<number, Person>());
  /** The server could not be asked (offline): authors of this session's writes stay pending. */
  unreachable = $state(false);
  #stops: (() => void)[] = [];

  constructor(
    private readonly connection: { serverUrl: string; token: string },
    /** This user, for this device's own writes not yet stored. */
    readonly self: Person,
  ) {}

  /** Follows one document; returns the stop function. */
  follow(docName: string, doc: Y.Doc): () => void {
    const refresh = async () => {
      const entries = await fetchHistory(this.connection.serverUrl, this.connection.token, docName, HISTORY_LIMIT);
      this.unreachable = entries === undefined;
      if (!entries) return;
      const next = new Map(this.bindings);
      for (const [id, who] of bindingsFromHistory(entries)) next.set(id, who);
      this.bindings = next;
    };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const schedule = (ms: number) => {
      clearTimeout(timer);
      timer = setTimeout(() => void refresh().then(() => {
        // Something of ours the server has not yet reported: ask again shortly.
        if (!this.bindings.has(doc.clientID) && doc.store.clients.has(doc.clientID)) schedule(RETRY_MS);
      }), ms);
    };
    schedule(0);
    const stop = observeDoc(doc, () => schedule(DEBOUNCE_MS));
    const all = () => {
      stop();
      clearTimeout(timer);
    };
    this.#stops.push(all);
    return all;
  }

  author(doc: Y.Doc, mapName: string, key: string): Author {
    return authorOf(doc, mapName, key, this.bindings, this.self);
  }

  stop(): void {
    for (const s of this.#stops) s();
  }
}
