import type { SubjectSummary } from '../model/summary.ts';

/**
 * Every cadre and unit in scope, for the overlay and for search. Kept per unit document, so a
 * change in one unit replaces that unit's entries only.
 */
export interface LocalIndex {
  all(): SubjectSummary[];
  get(type: 'cadre' | 'unit', id: string): SubjectSummary | undefined;
  /** Entries whose name or an alias contains `text` (names are short; a scan is fast enough). */
  search(text: string, limit?: number): SubjectSummary[];
  /** Called with the unit documents whose entries were replaced. */
  onChange(listener: (units: string[]) => void): () => void;
}

export interface WritableIndex extends LocalIndex {
  setUnit(docUnitCode: string, entries: SubjectSummary[]): void;
  removeUnit(docUnitCode: string): void;
}

const key = (type: string, id: string) => `${type}:${id}`;

export function createLocalIndex(): WritableIndex {
  const byUnit = new Map<string, SubjectSummary[]>();
  const byKey = new Map<string, SubjectSummary>();
  const listeners = new Set<(units: string[]) => void>();
  const notify = (units: string[]) => {
    for (const l of listeners) l(units);
  };
  const drop = (code: string) => {
    for (const e of byUnit.get(code) ?? []) byKey.delete(key(e.type, e.id));
    byUnit.delete(code);
  };
  return {
    all: () => [...byKey.values()],
    get: (type, id) => byKey.get(key(type, id)),
    search(text, limit = 50) {
      const t = text.trim().toLowerCase();
      if (!t) return [];
      const out: SubjectSummary[] = [];
      for (const e of byKey.values()) {
        if (
          e.name.toLowerCase().includes(t) ||
          e.id.toLowerCase() === t ||
          e.aliases.some((a) => a.toLowerCase().includes(t))
        )
          out.push(e);
        if (out.length >= limit) break;
      }
      return out;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    setUnit(code, entries) {
      drop(code);
      byUnit.set(code, entries);
      for (const e of entries) byKey.set(key(e.type, e.id), e);
      notify([code]);
    },
    removeUnit(code) {
      if (!byUnit.has(code)) return;
      drop(code);
      notify([code]);
    },
  };
}
