import { createSubscriber } from 'svelte/reactivity';
import type * as Y from 'yjs';
import { observeDoc } from '../../core/doc/observe.ts';

/**
 * Svelte state from outside sources (Yjs documents, the local index). A view reads dossiers through
 * the core accessors, which are plain functions of the document; what makes them reactive is one
 * call here inside the `$derived`, `$effect` or template that reads them:
 *
 *   const records = $derived(watchDoc(unit?.synced.doc, () => unit!.dossiers.records.list()));
 *
 * re-runs after every transaction on that document — a local edit, a colleague's, one that
 * arrived after being offline — with no counter bumped by hand. Listeners are attached only while
 * something reads the source (Svelte's `createSubscriber`), and one per source however many views
 * read it.
 */

const docTrackers = new WeakMap<Y.Doc, () => void>();

/** Makes the current reaction depend on `doc`: it re-runs after each transaction that changed it. */
export function trackDoc(doc: Y.Doc | undefined): void {
  if (!doc) return;
  let track = docTrackers.get(doc);
  if (!track) {
    track = createSubscriber((update) => observeDoc(doc, () => update()));
    docTrackers.set(doc, track);
  }
  track();
}

/** `read()`, re-run whenever one of `docs` changes (undefined entries are skipped: not open yet). */
export function watchDoc<T>(docs: Y.Doc | undefined | readonly (Y.Doc | undefined)[], read: () => T): T {
  for (const doc of Array.isArray(docs) ? docs : [docs]) trackDoc(doc as Y.Doc | undefined);
  return read();
}

/**
 * A tracker for any source with a subscribe function returning its unsubscribe (e.g.
 * `ws.index.onChange`): `const trackIndex = sourceTracker((notify) => ws.index.onChange(notify));`
 * then call `trackIndex()` inside a reaction.
 */
export function sourceTracker(subscribe: (notify: () => void) => () => void): () => void {
  return createSubscriber((update) => subscribe(() => update()));
}
