import { browser } from 'wxt/browser';

/**
 * "Wipe this device": every IndexedDB database of the extension's origin (the y-indexeddb copies
 * of each document, whatever their names) and all extension storage. Callers close their own
 * connections to those databases first; a database still held open elsewhere (a side panel that
 * has not yet heard the news) is deleted as soon as that page lets go.
 */
export async function wipeLocalData(): Promise<string[]> {
  const names = (await indexedDB.databases()).map((d) => d.name).filter((n): n is string => !!n);
  await Promise.all(names.map(deleteDatabase));
  await browser.storage.local.clear();
  await browser.storage.session.clear();
  return names;
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.deleteDatabase(name);
    req.onsuccess = () => resolve();
    req.onerror = () => reject(req.error ?? new Error(`could not delete ${name}`));
    // "blocked" is not failure: the delete completes once the other page closes its connection.
  });
}
