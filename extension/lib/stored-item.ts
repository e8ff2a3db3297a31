import * as v from 'valibot';
import { storage } from 'wxt/utils/storage';

/**
 * One setting in storage.local, through WXT's storage items (read, write and watch in one place
 * instead of a hand-written get/set/onChanged trio per key), checked on every read: storage is
 * written by other versions of the extension and other contexts, so what comes back is validated
 * like any other input. A value that does not pass reads as undefined.
 */
export interface StoredItem<S extends v.GenericSchema> {
  get(): Promise<v.InferOutput<S> | undefined>;
  set(value: v.InferInput<S>): Promise<void>;
  /** Calls `cb` when another context (or this one) changes the value. */
  watch(cb: () => void): () => void;
}

export function storedItem<S extends v.GenericSchema>(key: string, schema: S): StoredItem<S> {
  const item = storage.defineItem<unknown>(`local:${key}`);
  return {
    async get() {
      const parsed = v.safeParse(schema, await item.getValue());
      return parsed.success ? parsed.output : undefined;
    },
    set: (value) => item.setValue(value),
    watch: (cb) => item.watch(() => cb()),
  };
}
