import type { UnitCollectionName } from '../doc/unit-collections.ts';
import type { ImportTarget } from './apply.ts';

/**
 * What undoing an import would change, before anyone confirms it: per kind of entity, how many
 * records would be withdrawn (revoked, never deleted), how many other entities removed and how many
 * restored to what they were before the import, and in which units. Read from each unit document's
 * import log, as `undoImport` will act on it.
 */
export interface UndoPlan {
  id: string;
  fileName: string;
  by: string;
  at: string;
  /** Unit codes whose documents the undo writes. */
  units: string[];
  effects: Partial<Record<UnitCollectionName, { revoke: number; remove: number; restore: number }>>;
  undone?: { by: string; at: string; reason: string };
}

export function planUndo(target: ImportTarget, id: string): UndoPlan | undefined {
  let plan: UndoPlan | undefined;
  for (const code of target.unitCodes()) {
    const e = target.unit(code).imports.get(id);
    if (!e?.ok) continue;
    plan ??= {
      id,
      fileName: e.value.fileName,
      by: e.value.by,
      at: e.value.at,
      units: [],
      effects: {},
      ...(e.value.undone ? { undone: e.value.undone } : {}),
    };
    plan.units.push(code);
    for (const c of e.value.changes) {
      const effect = (plan.effects[c.collection] ??= { revoke: 0, remove: 0, restore: 0 });
      // As ImportLog.undo: created or reinstated records are revoked, other created entities
      // removed, updated ones put back.
      if (c.collection === 'records' && (c.before === null || c.reinstated)) effect.revoke += 1;
      else if (c.before === null) effect.remove += 1;
      else effect.restore += 1;
    }
  }
  return plan;
}
