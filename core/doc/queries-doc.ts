import type * as Y from 'yjs';
import { savedQuerySchema, type SavedQuery } from '../model/query.ts';
import { collection, type Collection } from './collection.ts';
import { docContext, type AccessorOptions } from './context.ts';
import type { WriteResult } from './entry.ts';

/**
 * The `queries` document: searches over the cadres in scope that officers save for each other
 * (干部查询 → 保存并共享). Not the `workspace` document, which only admins write, and not a unit
 * document: a query spans units and holds filters only, never dossier content, so whoever runs a
 * shared query sees its results within their own scope. Who may write it is decided by the server
 * (core/sync/access.ts). A removed query is marked, never deleted, like everything else.
 */

export const QUERIES_COLLECTIONS = {
  queries: { name: 'queries', schema: savedQuerySchema, idField: 'id' },
} as const;

export interface SharedQueries {
  readonly doc: Y.Doc;
  queries: Collection<SavedQuery>;
  /** Saved queries still offered, newest first. */
  active(): SavedQuery[];
  save(query: SavedQuery): WriteResult;
  remove(id: string, by: string, at?: string): WriteResult;
}

export function sharedQueries(doc: Y.Doc, opts: AccessorOptions = {}): SharedQueries {
  const ctx = docContext(doc, opts);
  const queries = collection<SavedQuery>(doc, QUERIES_COLLECTIONS.queries, ctx);
  return {
    doc,
    queries,
    active: () =>
      queries
        .list()
        .flatMap((e) => (e.ok && !e.value.removed ? [e.value] : []))
        .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.id < b.id ? -1 : 1)),
    save(query) {
      const r = queries.put(query);
      return r.ok ? { ok: true, changed: r.outcome !== 'unchanged' } : r;
    },
    remove(id, by, at) {
      const when = at ?? ctx.now();
      return queries.edit(id, 'removed', { by, at: when }, by, when);
    },
  };
}
