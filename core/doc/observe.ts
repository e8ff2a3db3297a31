import * as Y from 'yjs';
import { EDITS } from './collection.ts';

/**
 * Change notifications by collection and id, one call per transaction, so a subscriber (the local
 * index, an open dossier view) redoes only what changed. Corrections in `edits` are reported against
 * the entity they correct; a change inside a nested value reports its top-level entry.
 */

export type Changes = Map<string, Set<string>>;

export interface ChangeEvent {
  changes: Changes;
  /** True when this client made the change (not a peer or the server). */
  local: boolean;
  origin: unknown;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Yjs types of every event kind (YEvent<any> is Yjs' own)
function topLevel(type: Y.AbstractType<any>): { root: Y.AbstractType<any>; key: string | null } | undefined {
  let t = type;
  let key: string | null = null;
  for (;;) {
    const item = t._item;
    if (!item) return { root: t, key };
    key = item.parentSub;
    if (!(item.parent instanceof Y.AbstractType)) return undefined;
    t = item.parent;
  }
}

export function observeDoc(doc: Y.Doc, onChange: (event: ChangeEvent) => void): () => void {
  const handler = (tr: Y.Transaction) => {
    if (tr.changed.size === 0) return;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as doc.share holds them
    const names = new Map<Y.AbstractType<any>, string>();
    for (const [name, type] of doc.share) names.set(type, name);
    const changes: Changes = new Map();
    const add = (collection: string, id: string | null) => {
      let ids = changes.get(collection);
      if (!ids) changes.set(collection, (ids = new Set()));
      if (id !== null) ids.add(id);
    };
    for (const [type, keys] of tr.changed) {
      const top = topLevel(type);
      if (!top) continue;
      const name = names.get(top.root);
      if (name === undefined) continue;
      const ids = top.key !== null ? [top.key] : [...keys];
      for (const id of ids) {
        if (name === EDITS && id !== null) {
          const first = id.indexOf('/');
          const last = id.lastIndexOf('/');
          if (first > 0 && last > first) add(id.slice(0, first), id.slice(first + 1, last));
        } else add(name, id);
      }
    }
    if (changes.size > 0) onChange({ changes, local: tr.local, origin: tr.origin });
  };
  doc.on('afterTransaction', handler);
  return () => doc.off('afterTransaction', handler);
}

/**
 * What changed since a state vector (e.g. the one saved when the user last looked): every entry of
 * a top-level map whose current value was written after it, corrections reported against their
 * entity. "What arrived while you were away" without keeping any history. Deletions are not seen
 * (the layout only deletes on import undo); `except` leaves out this device's own client ids.
 */
export function changedSince(
  doc: Y.Doc,
  since: ReadonlyMap<number, number>,
  except: ReadonlySet<number> = new Set(),
): Changes {
  const changes: Changes = new Map();
  for (const [name, type] of doc.share) {
    for (const [key, item] of type._map) {
      if (item.deleted || except.has(item.id.client) || item.id.clock < (since.get(item.id.client) ?? 0)) continue;
      let collection = name;
      let id = key;
      if (name === EDITS) {
        const first = key.indexOf('/');
        const last = key.lastIndexOf('/');
        if (first <= 0 || last <= first) continue;
        collection = key.slice(0, first);
        id = key.slice(first + 1, last);
      }
      let ids = changes.get(collection);
      if (!ids) changes.set(collection, (ids = new Set()));
      ids.add(id);
    }
  }
  return changes;
}
