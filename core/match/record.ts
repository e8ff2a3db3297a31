import type { SubjectSummary } from '../model/summary.ts';
import { matchContext, type ContextMatch, type Matcher } from './matcher.ts';

/**
 * A record laid out over several rows: the standard cadre information form (干部任免审批表 and the
 * like) is a table with the name in one row and 干部编号, unit and post in others. A name shared by
 * several cadres is ambiguous in its own row; the enclosing record (the form's table, a detail
 * page's table, a card) may name which one. Pure: the scanner hands in the row's matches and
 * segments and the enclosing record's segments.
 *
 * The enclosing record counts only as a single-person record: where the ambiguous name occurs
 * there once. In a list (a roster table), the name of the third 张伟 occurs with the others', and
 * another row's unit is another person's — widening there would guess, which the matcher never does.
 */

const JOIN = '\t';

function occurrences(text: string, term: string): number {
  let n = 0;
  for (let i = text.indexOf(term); i >= 0; i = text.indexOf(term, i + term.length)) n++;
  return n;
}

/**
 * The subjects the enclosing record names by a name or alias (resolved in the whole record, the
 * name occurring there once). Their ids elsewhere in the record are then not badged again.
 */
export function namedInRecord(matcher: Matcher, outer: readonly string[]): Set<SubjectSummary> {
  const whole = outer.join(JOIN);
  const out = new Set<SubjectSummary>();
  for (const m of matchContext(matcher, outer, 'record')) {
    const seg = outer[m.segment]!;
    const term = seg.slice(m.start, m.end);
    if (m.resolution.kind === 'subject' && m.resolution.by !== 'id' && occurrences(whole, term) === 1)
      out.add(m.resolution.subject);
    if (m.resolution.kind === 'ambiguous' && occurrences(whole, term) === 1) {
      const hit = matcher.find(seg).find((h) => h.start === m.start && h.end === m.end);
      const r = hit && matcher.resolve(hit, whole);
      if (r?.kind === 'subject') out.add(r.subject);
    }
  }
  return out;
}

/** Whether a row's matches could use the enclosing record: an ambiguous name, or an id. */
export function needsRecord(row: readonly ContextMatch[]): boolean {
  return row.some(
    (m) => m.resolution.kind === 'ambiguous' || (m.resolution.kind === 'subject' && m.resolution.by === 'id'),
  );
}

/**
 * A row's matches read with its enclosing record: an ambiguous name occurring once in the record
 * is resolved from the whole record (its id, unit or post in another row), and an id of a subject
 * the record already names by name gets no badge of its own.
 */
export function widenToRecord(
  matcher: Matcher,
  row: readonly ContextMatch[],
  rowSegments: readonly string[],
  outer: readonly string[],
): ContextMatch[] {
  if (!needsRecord(row)) return [...row];
  const whole = outer.join(JOIN);
  const named = namedInRecord(matcher, outer);
  const out: ContextMatch[] = [];
  for (const m of row) {
    const r = m.resolution;
    if (r.kind === 'subject') {
      if (r.by === 'id' && named.has(r.subject)) continue;
      out.push(m);
      continue;
    }
    const seg = rowSegments[m.segment]!;
    const term = seg.slice(m.start, m.end);
    const hit =
      occurrences(whole, term) === 1
        ? matcher.find(seg).find((h) => h.start === m.start && h.end === m.end)
        : undefined;
    const wider = hit ? matcher.resolve(hit, whole) : r;
    out.push(wider.kind === 'subject' ? { ...m, resolution: wider } : m);
  }
  return out;
}
