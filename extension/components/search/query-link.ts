import * as v from 'valibot';
import { cadreQuerySchema, emptyQuery, type CadreQuery } from '../../../core/model/query.ts';

/**
 * A query in the page's address (search.html#q=…), so a search can be bookmarked or sent to a
 * colleague; only the conditions that are set are written. Whatever arrives in a link is checked
 * by the schema: a malformed link opens an empty search, never a broken page.
 */

export function queryToHash(q: CadreQuery): string {
  const set = Object.fromEntries(
    Object.entries(q).filter(
      ([k, x]) =>
        x !== undefined &&
        x !== '' &&
        !(Array.isArray(x) && x.length === 0) &&
        !(k === 'sort' && JSON.stringify(x) === JSON.stringify(emptyQuery().sort)),
    ),
  );
  return Object.keys(set).length ? `#q=${encodeURIComponent(JSON.stringify(set))}` : '';
}

export function queryFromHash(hash: string): { query: CadreQuery; invalid: boolean } {
  const m = /^#q=(.*)$/.exec(hash);
  if (!m) return { query: emptyQuery(), invalid: false };
  try {
    const parsed = v.safeParse(cadreQuerySchema, JSON.parse(decodeURIComponent(m[1]!)));
    return parsed.success ? { query: parsed.output, invalid: false } : { query: emptyQuery(), invalid: true };
  } catch {
    return { query: emptyQuery(), invalid: true };
  }
}
