import { cadreSchema, clueSchema, flagSchema, recordSchema, reminderCardSchema } from '../model/schemas.ts';

/** The collections of a `unit:<code>` document, each a top-level Y.Map keyed by `idField`. */
export const UNIT_COLLECTIONS = {
  cadres: { name: 'cadres', schema: cadreSchema, idField: 'id' },
  records: { name: 'records', schema: recordSchema, idField: 'id' },
  flags: { name: 'flags', schema: flagSchema, idField: 'id' },
  clues: { name: 'clues', schema: clueSchema, idField: 'id' },
  cards: { name: 'cards', schema: reminderCardSchema, idField: 'id' },
} as const;

export type UnitCollectionName = keyof typeof UNIT_COLLECTIONS;

export const UNIT_COLLECTION_NAMES = Object.keys(UNIT_COLLECTIONS) as UnitCollectionName[];
