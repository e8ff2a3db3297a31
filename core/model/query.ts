import * as v from 'valibot';
import { dateSchema, idSchema } from './schemas.ts';
import { CLUE_STAGES, COLOURS, FLAG_STATUSES, RANKS, UNIT_KINDS } from './vocabulary.ts';

/**
 * A question asked of every cadre in scope (干部查询): text, then filters that all must hold. Plain
 * data, so it can be saved in the shared `queries` document, put in a link, and run by the pure
 * functions of core/analysis/query.ts. Every filter left empty places no condition.
 *
 * Dot filters (colours, kinds, from, to) describe one record: a cadre matches when at least one of
 * their counting dots has one of the colours, one of the kinds and a decision date in the range.
 * Flag filters likewise describe one negative-list item, clue stages one clue.
 */

export const SORT_KEYS = ['grade', 'name', 'unit', 'rank', 'dots', 'warnings', 'periodUntil'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

const ids = v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(64))), v.maxLength(500)), []);

export const cadreQuerySchema = v.object({
  /** Name, alias, pinyin (full or initials), cadre id, unit name or alias. */
  text: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(100)), ''),
  colours: v.optional(v.array(v.picklist(COLOURS)), []),
  kinds: ids,
  from: v.optional(dateSchema),
  to: v.optional(dateSchema),
  grades: ids,
  /** true: under an active warning; false: under none. */
  warning: v.optional(v.boolean()),
  /** true: in a running influence period; false: in none. */
  inPeriod: v.optional(v.boolean()),
  /** In an influence period that ends on or before this day (permanent ones never do). */
  periodEndsBy: v.optional(dateSchema),
  flagItems: ids,
  flagStatuses: v.optional(v.array(v.picklist(FLAG_STATUSES)), []),
  clueStages: v.optional(v.array(v.picklist(CLUE_STAGES)), []),
  units: ids,
  unitKinds: v.optional(v.array(v.picklist(UNIT_KINDS)), []),
  /** Regions of units; '' stands for units with none (city-level bodies, 市直). */
  regions: ids,
  ranks: v.optional(v.array(v.picklist(RANKS)), []),
  post: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(50)), ''),
  sort: v.optional(v.object({ key: v.picklist(SORT_KEYS), dir: v.picklist(['asc', 'desc']) }), {
    key: 'grade',
    dir: 'desc',
  }),
});
export type CadreQuery = v.InferOutput<typeof cadreQuerySchema>;
export type CadreQueryInput = v.InferInput<typeof cadreQuerySchema>;

export const emptyQuery = (): CadreQuery => v.parse(cadreQuerySchema, {});

/** A query saved in the workspace for colleagues: who saved it and when; removal is marked, not deleted. */
export const savedQuerySchema = v.object({
  id: idSchema,
  name: v.pipe(v.string('type.string'), v.trim(), v.minLength(1, 'required'), v.maxLength(32, 'name.length')),
  query: cadreQuerySchema,
  by: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
  byName: v.optional(v.pipe(v.string(), v.maxLength(64))),
  at: v.pipe(v.string(), v.isoTimestamp('date.format')),
  removed: v.optional(v.object({ by: v.string(), at: v.pipe(v.string(), v.isoTimestamp('date.format')) })),
});
export type SavedQuery = v.InferOutput<typeof savedQuerySchema>;
