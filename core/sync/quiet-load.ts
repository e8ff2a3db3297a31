import type * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import type { Persistence } from './local-values.ts';

/**
 * While the stored updates are applied nobody listens for 'update': with a listener, Yjs encodes
 * every transaction as an update message, and for the load that is the whole document again
 * (a third of a 10,000-cadre open, for listeners that would ignore it: y-indexeddb skips its own
 * origin). The listeners are back the moment y-indexeddb has applied what it stored. A change
 * made or received before then (the server's answer to `connectAtOnce`, another tab's edit) is
 * still stored: y-indexeddb writes the document's state right before applying what it read, in
 * the same task as its 'synced' event; `loaded` hears whether there was one, and whether it was
 * made here (to be counted and offered to the server) or came from the provider.
 *
 * Apart from synced-doc.ts because it reaches into both libraries' listeners (`_storeUpdate`,
 * `_updateHandler`) and must put them back in the order they were.
 */
export function loadQuietly(
  doc: Y.Doc,
  persistence: Persistence,
  provider: WebsocketProvider,
  destroyed: () => boolean,
  loaded: (changed: { local: boolean } | undefined) => void,
): void {
  let changedWhileLoading: { local: boolean } | undefined;
  const watchLoading = (tr: Y.Transaction) => {
    if (tr.origin === persistence || !changedIn(tr)) return;
    changedWhileLoading = { local: (changedWhileLoading?.local ?? false) || tr.origin !== provider };
  };
  const listenAgain = (p: Persistence) => {
    p.off('synced', listenAgain);
    doc.off('afterTransaction', watchLoading);
    if (destroyed()) return;
    doc.on('update', p._storeUpdate);
    doc.on('update', provider._updateHandler);
    loaded(changedWhileLoading);
  };
  doc.off('update', persistence._storeUpdate);
  doc.off('update', provider._updateHandler);
  doc.on('afterTransaction', watchLoading);
  persistence.on('synced', listenAgain);
}

/** Whether a transaction changed the document (Yjs emits 'update' only then). */
function changedIn(tr: Y.Transaction): boolean {
  if (tr.deleteSet.clients.size > 0) return true;
  for (const [client, clock] of tr.afterState) if (tr.beforeState.get(client) !== clock) return true;
  return false;
}
