/**
 * The view log (查阅留痕) on PostgreSQL: the same contract as sqlite-views.ts. The table (migration 4
 * in postgres-schema.ts) refuses UPDATE, DELETE and TRUNCATE through triggers, so no instance, CLI
 * command or administrator's SQL short of dropping them can rewrite who looked at what.
 */
import type pg from 'pg';
import type { ViewLogStorage, ViewQuery } from './types.ts';
import { postgresPlaceholder, viewsQuery } from './queries.ts';
import { fromRow, type ViewRow } from './view-rows.ts';

export function postgresViewLog(pool: pg.Pool): ViewLogStorage {
  return {
    async recordViews(entries) {
      if (entries.length === 0) return 0;
      // One statement, so one transaction: a batch is recorded whole or not at all.
      const { rowCount } = await pool.query(
        `INSERT INTO views (id, "user", name, subject_type, subject_id, unit, view, client_time, time)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                              $8::bigint[], $9::bigint[])
         ON CONFLICT ("user", id) DO NOTHING`,
        [
          entries.map((e) => e.id),
          entries.map((e) => e.user),
          entries.map((e) => e.name),
          entries.map((e) => e.subjectType),
          entries.map((e) => e.subjectId),
          entries.map((e) => e.unit),
          entries.map((e) => e.view),
          entries.map((e) => e.clientTime),
          entries.map((e) => e.time),
        ],
      );
      return rowCount ?? 0;
    },
    async views(query: ViewQuery) {
      const { text, params } = viewsQuery(query, postgresPlaceholder);
      const { rows } = await pool.query<ViewRow>(text, params);
      return rows.map(fromRow);
    },
  };
}
