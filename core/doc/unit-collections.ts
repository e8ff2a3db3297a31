import {
  DATES_UP_TO_TODAY,
  cadreSchema,
  clueSchema,
  flagSchema,
  recordSchema,
  reminderCardSchema,
} from '../model/schemas.ts';

/** The collections of a `unit:<code>` document, each a top-level Y.Map keyed by `idField`. */
export const UNIT_COLLECTIONS = {
  cadres: { name: 'cadres', schema: cadreSchema, idField: 'id', upToToday: DATES_UP_TO_TODAY.cadres },
  records: { name: 'records', schema: recordSchema, idField: 'id', upToToday: DATES_UP_TO_TODAY.records },
  flags: { name: 'flags', schema: flagSchema, idField: 'id', upToToday: DATES_UP_TO_TODAY.flags },
  clues: { name: 'clues', schema: clueSchema, idField: 'id', upToToday: DATES_UP_TO_TODAY.clues },
  cards: { name: 'cards', schema: reminderCardSchema, idField: 'id' },
} as const;

export type UnitCollectionName = keyof typeof UNIT_COLLECTIONS;

export const UNIT_COLLECTION_NAMES = Object.keys(UNIT_COLLECTIONS) as UnitCollectionName[];
