/**
 * This device's databases: one y-indexeddb database per document, named under a prefix per server
 * (`dossierlens:<serverUrl>:<docName>`), so a workspace can tell which documents it holds and wipe
 * finds every one, also those not opened this session.
 */

/** The prefix of every database a workspace of `serverUrl` makes. */
export function dbPrefix(serverUrl: string): string {
  return `dossierlens:${serverUrl.replace(/\/+$/, '')}:`;
}

/** Names of this origin's IndexedDB databases; undefined where the browser cannot list them. */
export async function databasesHere(): Promise<Set<string> | undefined> {
  if (typeof indexedDB === 'undefined' || typeof indexedDB.databases !== 'function') return undefined;
  try {
    return new Set((await indexedDB.databases()).map((d) => d.name ?? ''));
  } catch {
    return undefined;
  }
}

export function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.deleteDatabase(name);
    req.onsuccess = () => resolve();
    req.onerror = () => reject(req.error);
    // Another connection still open: the deletion completes when it closes; do not hang on it.
    req.onblocked = () => resolve();
  });
}
