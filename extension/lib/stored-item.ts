import * as v from 'valibot';
import { browser } from 'wxt/browser';
import { storage, type WxtStorageItem } from 'wxt/utils/storage';

/**
 * One setting in storage.local (or storage.session), through WXT's storage items (read, write and watch in one place
 * instead of a hand-written get/set/onChanged trio per key), checked on every read: storage is
 * written by other versions of the extension and other contexts, so what comes back is validated
 * like any other input. A value that does not pass reads as undefined.
 */
export interface StoredItem<S extends v.GenericSchema> {
  /** The key in its area: installed extensions and the e2e tests have data under it. */
  readonly key: string;
  readonly area: StoredArea;
  get(): Promise<v.InferOutput<S> | undefined>;
  set(value: v.InferInput<S>): Promise<void>;
  remove(): Promise<void>;
  /** Calls `cb` when another context (or this one) changes the value; with the new value if it passes. */
  watch(cb: (value: v.InferOutput<S> | undefined) => void): () => void;
}

/** Which item, for the calls that handle several at once. */
type ItemRef = Pick<StoredItem<v.GenericSchema>, 'key' | 'area'>;
/** storage.session: in memory only, and out of content scripts' reach. */
type StoredArea = 'local' | 'session';

export function storedItem<S extends v.GenericSchema>(
  key: string,
  schema: S,
  area: StoredArea = 'local',
): StoredItem<S> {
  // Defined on first use: WXT reads an item's value as soon as it is defined, and a module that
  // only declares settings (imported by a unit test, say) should not touch storage.
  let defined: WxtStorageItem<unknown, Record<string, unknown>> | undefined;
  const item = () => (defined ??= storage.defineItem<unknown>(`${area}:${key}`));
  const check = (raw: unknown) => {
    const parsed = v.safeParse(schema, raw);
    return parsed.success ? parsed.output : undefined;
  };
  return {
    key,
    area,
    get: async () => check(await item().getValue()),
    set: (value) => item().setValue(value),
    remove: () => item().removeValue(),
    watch: (cb) => item().watch((value) => cb(check(value))),
  };
}

/** Writes several items in one storage write: one change event, so watchers run once. */
export async function setItems(values: readonly { item: ItemRef; value: unknown }[]): Promise<void> {
  await storage.setItems(values.map(({ item, value }) => ({ key: `${item.area}:${item.key}` as const, value })));
}

/** Removes several items in one storage write (one change event). */
export async function removeItems(items: readonly ItemRef[]): Promise<void> {
  await storage.removeItems(items.map((item) => `${item.area}:${item.key}` as const));
}

/**
 * Calls `cb` once per storage event that changes any of `items` (WXT's item watchers would call
 * it once per item, and a write of several items must not, say, reopen the workspace twice), and,
 * with `managed`, whenever the organisation's policy (storage.managed, read as a whole) changes.
 */
export function watchItems(items: readonly ItemRef[], cb: () => void, opts: { managed?: boolean } = {}) {
  const listener = (changes: Record<string, unknown>, area: string) => {
    if (items.some((item) => item.area === area && item.key in changes) || (opts.managed && area === 'managed')) cb();
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}
