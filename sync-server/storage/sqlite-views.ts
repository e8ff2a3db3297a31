/**
 * The view log (查阅留痕) in SQLite: one row per dossier opening, appended and never changed. The
 * table refuses UPDATE and DELETE itself (triggers that ABORT), so no code path of ours, a CLI
 * command, or an administrator with the `sqlite3` shell and the server's files short of dropping
 * the triggers can rewrite who looked at what. (Someone who can edit the database file can do
 * anything; the triggers keep honest tools honest, backups keep the history.)
 */
import type Database from 'better-sqlite3';
import type { ViewLogStorage, ViewQuery, ViewToRecord } from './types.ts';
import { sqlitePlaceholder, viewsQuery } from './queries.ts';
import { fromRow, type ViewRow } from './view-rows.ts';

export const viewLogSchema = `
CREATE TABLE IF NOT EXISTS views (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL,
  user TEXT NOT NULL,
  name TEXT NOT NULL,
  subject_type TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  unit TEXT NOT NULL,
  view TEXT NOT NULL,
  client_time INTEGER NOT NULL,
  time INTEGER NOT NULL,
  UNIQUE (user, id)
);
CREATE INDEX IF NOT EXISTS views_by_subject ON views (subject_id, time);
CREATE INDEX IF NOT EXISTS views_by_user ON views (user, time);
CREATE TRIGGER IF NOT EXISTS views_no_update BEFORE UPDATE ON views
  BEGIN SELECT RAISE(ABORT, 'the view log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS views_no_delete BEFORE DELETE ON views
  BEGIN SELECT RAISE(ABORT, 'the view log is append-only'); END;
`;

export function sqliteViewLog(db: Database.Database): ViewLogStorage {
  db.exec(viewLogSchema);
  const insert = db.prepare<[string, string, string, string, string, string, string, number, number]>(
    `INSERT INTO views (id, user, name, subject_type, subject_id, unit, view, client_time, time)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user, id) DO NOTHING`,
  );
  const append = db.transaction((entries: ViewToRecord[]) => {
    let added = 0;
    for (const e of entries)
      added += insert.run(
        e.id,
        e.user,
        e.name,
        e.subjectType,
        e.subjectId,
        e.unit,
        e.view,
        e.clientTime,
        e.time,
      ).changes;
    return added;
  });
  return {
    async recordViews(entries) {
      return append(entries);
    },
    async views(query: ViewQuery) {
      const { text, params } = viewsQuery(query, sqlitePlaceholder);
      return (db.prepare(text).all(...params) as ViewRow[]).map(fromRow);
    },
  };
}
