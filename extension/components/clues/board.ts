import { cluesOf, type ClueView } from '../../../core/doc/clue-work.ts';
import type { UnitDossiers } from '../../../core/doc/unit-doc.ts';
import type { Unit } from '../../../core/model/schemas.ts';
import type { ClueStage } from '../../../core/model/vocabulary.ts';

/**
 * The clue board's rows (every clue in scope, with where it stands) and its filters, apart from
 * the components so they are tested alone.
 */

export interface BoardRow extends ClueView {
  unitCode: string;
  unitName: string;
  /** The person or unit the clue is about, by name. */
  subjectName: string;
}

export function boardRows(
  units: ReadonlyMap<string, UnitDossiers>,
  unitOf: (code: string) => Unit | undefined,
  asOf: string,
): { rows: BoardRow[]; invalid: number } {
  const rows: BoardRow[] = [];
  let invalid = 0;
  for (const [code, dossiers] of units) {
    const { clues, invalid: bad } = cluesOf(dossiers, asOf);
    invalid += bad.length;
    const unitName = unitOf(code)?.name ?? code;
    for (const view of clues) {
      const s = view.clue.subject;
      const cadre = s.type === 'cadre' ? dossiers.cadres.get(s.id) : undefined;
      const subjectName = s.type === 'unit' ? (unitOf(s.id)?.name ?? s.id) : cadre?.ok ? cadre.value.name : s.id;
      rows.push({ ...view, unitCode: code, unitName, subjectName });
    }
  }
  return { rows, invalid };
}

export interface BoardFilter {
  /** 'open': every stage but closed. */
  stage: 'open' | 'all' | ClueStage;
  unit: string;
  assignee: string;
  overdueOnly: boolean;
  text: string;
}

export const NO_FILTER: BoardFilter = { stage: 'open', unit: '', assignee: '', overdueOnly: false, text: '' };

/** Filtered and in working order: overdue first, then by deadline (none last), then newest received. */
export function filterRows(rows: readonly BoardRow[], f: BoardFilter): BoardRow[] {
  const text = f.text.trim();
  return rows
    .filter((r) =>
      f.stage === 'all' ? true : f.stage === 'open' ? r.progress.stage !== 'closed' : r.progress.stage === f.stage,
    )
    .filter((r) => !f.unit || r.unitCode === f.unit)
    .filter((r) => !f.assignee || r.progress.assignee === f.assignee)
    .filter((r) => !f.overdueOnly || r.progress.overdue)
    .filter((r) => !text || r.clue.summary.includes(text) || r.subjectName.includes(text) || r.unitName.includes(text))
    .sort((a, b) => {
      if (a.progress.overdue !== b.progress.overdue) return a.progress.overdue ? -1 : 1;
      const da = a.progress.deadline && !a.progress.deadline.met ? a.progress.deadline.due : '9999';
      const db = b.progress.deadline && !b.progress.deadline.met ? b.progress.deadline.due : '9999';
      if (da !== db) return da < db ? -1 : 1;
      return a.clue.received < b.clue.received
        ? 1
        : a.clue.received > b.clue.received
          ? -1
          : a.clue.id < b.clue.id
            ? -1
            : 1;
    });
}

/** The assignees in use, for the filter. */
export const assigneesOf = (rows: readonly BoardRow[]): string[] =>
  [...new Set(rows.flatMap((r) => (r.progress.assignee ? [r.progress.assignee] : [])))].sort();

/** `#clue/<id>` → the clue id. */
export function clueFromHash(hash: string): string | undefined {
  const m = /^#clue\/(.+)$/.exec(hash);
  return m ? decodeURIComponent(m[1]!) : undefined;
}
