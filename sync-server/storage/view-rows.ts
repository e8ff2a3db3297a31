/** A view-log row as both stores return it (sqlite-views.ts, postgres-views.ts), and its entry. */
import type { ViewEntry } from './types.ts';

export interface ViewRow {
  seq: number;
  id: string;
  user: string;
  name: string;
  subject_type: 'cadre' | 'unit';
  subject_id: string;
  unit: string;
  view: string;
  client_time: number;
  time: number;
}

export const fromRow = (row: ViewRow): ViewEntry => ({
  seq: row.seq,
  id: row.id,
  user: row.user,
  name: row.name,
  subjectType: row.subject_type,
  subjectId: row.subject_id,
  unit: row.unit,
  view: row.view,
  clientTime: row.client_time,
  time: row.time,
});
