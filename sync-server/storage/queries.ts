/**
 * The read queries both engines answer alike (the audit trail and the view log), written once:
 * the filters a query gives, newest first up to its limit, in the caller's placeholder style
 * (SQLite's `?`, PostgreSQL's `$n`).
 */
import type { AuditEntry, AuditQuery, ViewQuery } from './types.ts';

export type Placeholder = (position: number) => string;
export const sqlitePlaceholder: Placeholder = () => '?';
export const postgresPlaceholder: Placeholder = (position) => `$${position}`;

export interface Query {
  text: string;
  params: (string | number)[];
}

/** `WHERE` over the filters that have a value (`[condition, value]`, e.g. `['doc =', doc]`), or nothing. */
function filtered(filters: [string, string | number | undefined][], placeholder: Placeholder): Query {
  const params: (string | number)[] = [];
  const conditions: string[] = [];
  for (const [condition, value] of filters)
    if (value !== undefined) conditions.push(`${condition} ${placeholder(params.push(value))}`);
  return { text: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '', params };
}

export interface AuditRow extends Omit<AuditEntry, 'clientIds'> {
  client_ids: string;
}

/** The most recent `limit` entries (1000 unless asked), never fewer than 1 nor more than 100,000. */
const auditLimit = (limit: number | undefined): number => Math.max(1, Math.min(limit ?? 1000, 100_000));

/** Newest first: `auditEntries` puts the rows back in order. */
export function auditQuery(query: AuditQuery, placeholder: Placeholder): Query {
  const where = filtered(
    [
      ['doc =', query.doc],
      ['"user" =', query.user],
    ],
    placeholder,
  );
  return {
    text:
      `SELECT seq, doc, "user", name, time, size, hash, client_ids FROM log ${where.text}` +
      ` ORDER BY seq DESC LIMIT ${auditLimit(query.limit)}`,
    params: where.params,
  };
}

export const auditEntries = (rows: AuditRow[]): AuditEntry[] =>
  rows.reverse().map(({ client_ids, ...row }) => ({ ...row, clientIds: JSON.parse(client_ids) as number[] }));

/** The most recent `limit` views (1000 unless asked) that pass the filters, oldest first. */
export function viewsQuery(query: ViewQuery, placeholder: Placeholder): Query {
  const where = filtered(
    [
      ['subject_id =', query.subjectId],
      ['"user" =', query.user],
      ['time >=', query.since],
    ],
    placeholder,
  );
  const limit = placeholder(where.params.push(query.limit ?? 1000));
  return {
    text: `SELECT * FROM (SELECT * FROM views ${where.text} ORDER BY seq DESC LIMIT ${limit}) AS recent ORDER BY seq`,
    params: where.params,
  };
}
