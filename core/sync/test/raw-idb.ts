/** Test support: what IndexedDB really holds, read past every library, for "nothing readable" checks. */

/** Every value of every object store of database `name`, as bytes (strings as UTF-8). */
export async function rawValues(name: string): Promise<Uint8Array[]> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(name);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error(`cannot open ${name}`));
  });
  const stores = [...db.objectStoreNames];
  const all = await Promise.all(
    stores.map(
      (store) =>
        new Promise<unknown[]>((resolve) => {
          const req = db.transaction(store, 'readonly').objectStore(store).getAll();
          req.onsuccess = () => resolve(req.result);
        }),
    ),
  );
  db.close();
  return all
    .flat()
    .map((v) =>
      typeof v === 'string'
        ? new TextEncoder().encode(v)
        : v instanceof ArrayBuffer
          ? new Uint8Array(v)
          : v instanceof Uint8Array
            ? v
            : new TextEncoder().encode(JSON.stringify(v)),
    );
}

/** Whether any value holds `text`, in UTF-8 or UTF-16 (LE). */
export function holds(values: readonly Uint8Array[], text: string): boolean {
  const needles = [Buffer.from(text, 'utf8'), Buffer.from(text, 'utf16le')];
  return values.some((v) => needles.some((needle) => Buffer.from(v).includes(needle)));
}
