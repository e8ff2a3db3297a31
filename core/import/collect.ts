import type { Subject } from '../model/schemas.ts';
import type { ImportTarget } from './apply.ts';
import { EXPORT_FORMAT, type DossierExport } from './export.ts';

/**
 * Gathers what an export holds, through the accessors: one subject's dossier, a unit's dossiers
 * (the unit, its cadres and everything filed in its document), or the whole workspace. Entries that
 * fail validation are left out of the export (they cannot round-trip) and counted, so the caller
 * can tell the user rather than drop them silently.
 */
export type ExportScope = { kind: 'subject'; subject: Subject; unitCode: string } | { kind: 'unit'; unitCode: string } | { kind: 'all' };

export function collectExport(target: ImportTarget, scope: ExportScope, exportedAt: string): { data: DossierExport; invalid: number } {
  const data: DossierExport = { format: EXPORT_FORMAT, version: 1, exportedAt, units: [], cadres: [], records: [], flags: [], clues: [], cards: [] };
  let invalid = 0;
  const codes = scope.kind === 'all' ? target.unitCodes() : [scope.unitCode];
  const wanted = new Set(codes);
  for (const e of target.workspace.units.list()) {
    if (!e.ok) invalid += scope.kind === 'all' ? 1 : 0;
    else if (scope.kind === 'all' || (wanted.has(e.value.code) && (scope.kind === 'unit' || scope.subject.type === 'unit'))) data.units.push(e.value);
  }
  const about = (s: Subject) => scope.kind !== 'subject' || (s.type === scope.subject.type && s.id === scope.subject.id);
  for (const code of codes) {
    const u = target.unit(code);
    const take = <T>(entries: { ok: boolean; value?: T }[], keep: (t: T) => boolean, into: T[]) => {
      for (const e of entries) {
        if (!e.ok) invalid += 1;
        else if (keep(e.value as T)) into.push(e.value as T);
      }
    };
    take(u.cadres.list(), (c) => about({ type: 'cadre', id: c.id }), data.cadres);
    take(u.records.list(), (r) => about(r.subject), data.records);
    take(u.flags.list(), (f) => about({ type: 'cadre', id: f.cadreId }), data.flags);
    take(u.clues.list(), (c) => about(c.subject), data.clues);
    take(u.cards.list(), (c) => about({ type: 'cadre', id: c.holderId }) || about({ type: 'unit', id: c.unitCode }), data.cards);
  }
  return { data, invalid };
}
