import type { CadreQuery, SortKey } from '../model/query.ts';
import { RANKS } from '../model/vocabulary.ts';
import { pinyinMatches } from './pinyin.ts';
import type { CadreRow } from './rows.ts';

/**
 * Runs a query (core/model/query.ts) over the cadre rows: a single pass of plain comparisons, then
 * a sort on precomputed keys. Names sort in the Chinese collation (pinyin order), which is slow to
 * compare (~1 µs); the order of all names is computed once per row list and reused by every query,
 * so a filter change over 10,000 cadres stays within the 100 ms bar (BENCHMARKS.md, "Analysis").
 */

const nameOrders = new WeakMap<readonly CadreRow[], Map<string, number>>();
const unitOrders = new WeakMap<readonly CadreRow[], Map<string, number>>();
const collator = new Intl.Collator('zh-CN');

function orderOf(
  rows: readonly CadreRow[],
  cache: WeakMap<readonly CadreRow[], Map<string, number>>,
  keyOf: (r: CadreRow) => string,
): Map<string, number> {
  let order = cache.get(rows);
  if (!order) {
    const keys = [...new Set(rows.map(keyOf))].sort(collator.compare);
    order = new Map(keys.map((k, i) => [k, i]));
    cache.set(rows, order);
  }
  return order;
}

const ASCII_LETTERS = /^[a-z]+$/;
const lower = (s: string) => s.toLowerCase();

/** Name, alias, id (any part), unit name or alias; Latin letters also as pinyin of the name. */
export function textMatches(row: CadreRow, text: string, unitAliases: readonly string[] = []): boolean {
  const t = lower(text.trim());
  if (!t) return true;
  if (row.name.includes(text.trim()) || lower(row.id).includes(t)) return true;
  if (row.aliases.some((a) => a.includes(text.trim()))) return true;
  if (row.unitName.includes(text.trim()) || unitAliases.some((a) => a.includes(text.trim()))) return true;
  return ASCII_LETTERS.test(t) && pinyinMatches(row.name, t);
}

const some = <T>(xs: readonly T[], wanted: readonly string[], keyOf: (x: T) => string) =>
  xs.some((x) => wanted.includes(keyOf(x)));

/** Whether one row meets every condition of the query (its sort aside). */
export function rowMatches(row: CadreRow, q: CadreQuery, unitAliases?: (code: string) => readonly string[]): boolean {
  if (q.units.length && !q.units.includes(row.unitCode)) return false;
  if (q.unitKinds.length && !(q.unitKinds as readonly string[]).includes(row.unitKind)) return false;
  if (q.regions.length && !q.regions.includes(row.region)) return false;
  if (q.ranks.length && (!row.rank || !(q.ranks as readonly string[]).includes(row.rank))) return false;
  if (q.grades.length && !q.grades.includes(row.grade)) return false;
  if (q.warning !== undefined && q.warning !== row.warnings.length > 0) return false;
  if (q.inPeriod !== undefined && q.inPeriod !== row.periods.length > 0) return false;
  if (q.periodEndsBy !== undefined && !row.periods.some((p) => p.until !== null && p.until <= q.periodEndsBy!))
    return false;
  if (q.post && !row.post.includes(q.post)) return false;
  if (q.colours.length || q.kinds.length || q.from || q.to) {
    const hit = row.records.some(
      (r) =>
        (!q.colours.length || (q.colours as readonly string[]).includes(r.colour)) &&
        (!q.kinds.length || q.kinds.includes(r.kind)) &&
        (!q.from || r.decisionDate >= q.from) &&
        (!q.to || r.decisionDate <= q.to),
    );
    if (!hit) return false;
  }
  if (q.flagItems.length || q.flagStatuses.length) {
    const hit = row.flags.some(
      (f) =>
        (!q.flagItems.length || q.flagItems.includes(f.item)) &&
        (!q.flagStatuses.length || (q.flagStatuses as readonly string[]).includes(f.status)),
    );
    if (!hit) return false;
  }
  if (q.clueStages.length && !some(row.clues, q.clueStages, (c) => c.stage)) return false;
  return textMatches(row, q.text, unitAliases?.(row.unitCode));
}

const UNTIL_NONE = -1;
const untilKey = (r: CadreRow) =>
  r.periodUntil === undefined
    ? UNTIL_NONE
    : r.periodUntil === null
      ? Number.MAX_SAFE_INTEGER
      : Number(r.periodUntil.replace(/-/g, ''));

/** A numeric key per sort column; larger is "more" (worse grade, more dots, later end). */
function keyFn(key: SortKey, rows: readonly CadreRow[]): (r: CadreRow) => number {
  switch (key) {
    case 'grade':
      return (r) => r.level;
    case 'name': {
      const order = orderOf(rows, nameOrders, (r) => r.name);
      return (r) => order.get(r.name) ?? 0;
    }
    case 'unit': {
      const order = orderOf(rows, unitOrders, (r) => r.unitName);
      return (r) => order.get(r.unitName) ?? 0;
    }
    case 'rank':
      // Ascending is most senior first, as rosters list people.
      return (r) => (r.rank ? RANKS.indexOf(r.rank) : RANKS.length);
    case 'dots':
      return (r) => r.dots.black * 1_000_000 + r.dots.yellow * 1_000 + r.dots.red;
    case 'warnings':
      return (r) => r.warnings.length;
    case 'periodUntil':
      return untilKey;
  }
}

export function sortRows(
  rows: readonly CadreRow[],
  sort: CadreQuery['sort'],
  all: readonly CadreRow[] = rows,
): CadreRow[] {
  const k = keyFn(sort.key, all);
  const names = orderOf(all, nameOrders, (r) => r.name);
  const sign = sort.dir === 'asc' ? 1 : -1;
  const keyed = rows.map((r) => ({ r, k: k(r), n: names.get(r.name) ?? 0 }));
  keyed.sort((a, b) => (a.k - b.k) * sign || a.n - b.n || (a.r.id < b.r.id ? -1 : a.r.id > b.r.id ? 1 : 0));
  return keyed.map((x) => x.r);
}

/** The rows meeting the query, sorted as it asks. */
export function runQuery(
  rows: readonly CadreRow[],
  q: CadreQuery,
  unitAliases?: (code: string) => readonly string[],
): CadreRow[] {
  return sortRows(
    rows.filter((r) => rowMatches(r, q, unitAliases)),
    q.sort,
    rows,
  );
}
