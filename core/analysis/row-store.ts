import type { CadreRow, UnitRow, UnitRows } from './rows.ts';

/**
 * Every unit's rows, replaced one unit at a time, read as one list. `snapshot()` returns the same
 * arrays until a unit changes, so derived work (a query, a chart) can be memoised on identity.
 */

export interface RowSnapshot {
  cadres: readonly CadreRow[];
  units: readonly UnitRow[];
  cadreById: ReadonlyMap<string, CadreRow>;
  unitByCode: ReadonlyMap<string, UnitRow>;
}

export interface RowStore {
  set(code: string, rows: UnitRows): void;
  remove(code: string): void;
  has(code: string): boolean;
  snapshot(): RowSnapshot;
  onChange(listener: () => void): () => void;
}

export function createRowStore(): RowStore {
  const byUnit = new Map<string, UnitRows>();
  const listeners = new Set<() => void>();
  let cached: RowSnapshot | undefined;
  const changed = () => {
    cached = undefined;
    for (const l of listeners) l();
  };
  return {
    set(code, rows) {
      byUnit.set(code, rows);
      changed();
    },
    remove(code) {
      if (byUnit.delete(code)) changed();
    },
    has: (code) => byUnit.has(code),
    snapshot() {
      if (!cached) {
        // Units in code order, cadres in their unit's order: stable whatever order units loaded in.
        const codes = [...byUnit.keys()].sort();
        const units = codes.map((c) => byUnit.get(c)!.unit);
        const cadres = codes.flatMap((c) => byUnit.get(c)!.cadres);
        cached = {
          units,
          cadres,
          cadreById: new Map(cadres.map((c) => [c.id, c])),
          unitByCode: new Map(units.map((u) => [u.code, u])),
        };
      }
      return cached;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
