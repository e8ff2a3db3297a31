import { allDossiers, type UnitDossiers } from '../doc/unit-doc.ts';
import type { TableRow } from '../import/table.ts';
import type { Unit } from '../model/schemas.ts';
import type { SubjectData } from '../rules/reasons.ts';
import type { ReviewResult } from '../rules/review.ts';

/**
 * What a review reads, the same for the review page and `npm run cli -- review`: every cadre
 * dossier in the open unit documents, and the names a request lists (pasted, or a spreadsheet
 * column). Names are resolved by core/rules/review.ts, never guessed.
 */

/** Every cadre dossier in the open unit documents, as the rules engine reads them. */
export function subjectsOf(units: Iterable<UnitDossiers>, unitOf: (code: string) => Unit | undefined): SubjectData[] {
  const out: SubjectData[] = [];
  for (const dossiers of units) {
    for (const d of allDossiers(dossiers, { unit: unitOf }).values()) {
      if (d.cadre) out.push({ cadre: d.cadre, records: d.records, flags: d.flags, clues: d.clues });
    }
  }
  return out;
}

/**
 * One person per line, or separated by 、，, ; (full- or half-width), as lists arrive in a request
 * letter. Blank pieces are dropped; duplicates are kept, since a letter naming someone twice is
 * something the officer should see, not something we fix.
 */
export function splitPeople(text: string): string[] {
  return text
    .split(/[\n\r、，,；;]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

const NAME_HEADERS = ['姓名', '名字', '审查对象', '干部姓名', 'name', '干部编号', '编号', 'id'];

/**
 * The names of a spreadsheet: the column headed 姓名 (or 干部编号, name, id …), else the first
 * column; each with the line it came from, so a report points at the row to fix.
 */
export function namesFromTable(rows: readonly TableRow[]): { line: number; name: string }[] {
  const norm = (s: string) => s.normalize('NFKC').trim().toLowerCase();
  const headerIndex = rows.findIndex((r) => r.cells.some((c) => NAME_HEADERS.includes(norm(c))));
  const header = headerIndex >= 0 ? rows[headerIndex]! : undefined;
  const column = header ? header.cells.findIndex((c) => NAME_HEADERS.includes(norm(c))) : 0;
  return rows
    .slice(headerIndex + 1)
    .map((r) => ({ line: r.line, name: (r.cells[column] ?? '').trim() }))
    .filter((r) => r.name !== '');
}

export interface Unsettled {
  row: number;
  query: string;
  match: 'ambiguous' | 'not-found';
  /** For an ambiguous name: who it could be (name, unit, post, id: ids settle it). */
  candidates: { cadreId: string; name: string; unitCode: string; post: string }[];
}

/** The names a reply cannot go out with: several people bear them, or nobody does. */
export function unsettledNames(result: ReviewResult): Unsettled[] {
  return result.people.flatMap((p, row): Unsettled[] =>
    p.match === 'ambiguous'
      ? [{ row, query: p.query, match: 'ambiguous', candidates: p.candidates }]
      : p.match === 'not-found'
        ? [{ row, query: p.query, match: 'not-found', candidates: [] }]
        : [],
  );
}
