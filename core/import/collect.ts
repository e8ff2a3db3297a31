import type { Subject } from '../model/schemas.ts';
import { applyImport, directoryFromTarget, type ApplyResult, type ImportMeta, type ImportTarget } from './apply.ts';
import { EXPORT_FORMAT, type DossierExport } from './export.ts';
import type { ImportKind } from './fields.ts';
import type { Collection, EntityValue, ImportPreview, PreparedEntity } from './prepare.ts';

/**
 * Gathers what an export holds, through the accessors: one subject's dossier, a unit's dossiers
 * (the unit, its cadres and everything filed in its document), or the whole workspace. Entries that
 * fail validation are left out of the export (they cannot round-trip) and counted, so the caller
 * can tell the user rather than drop them silently.
 */
export type ExportScope =
  { kind: 'subject'; subject: Subject; unitCode: string } | { kind: 'unit'; unitCode: string } | { kind: 'all' };

export function collectExport(
  target: ImportTarget,
  scope: ExportScope,
  exportedAt: string,
): { data: DossierExport; invalid: number } {
  const data: DossierExport = {
    format: EXPORT_FORMAT,
    version: 1,
    exportedAt,
    units: [],
    cadres: [],
    records: [],
    flags: [],
    clues: [],
    cards: [],
  };
  let invalid = 0;
  const codes = scope.kind === 'all' ? target.unitCodes() : [scope.unitCode];
  const wanted = new Set(codes);
  for (const e of target.workspace.units.list()) {
    if (!e.ok) invalid += scope.kind === 'all' ? 1 : 0;
    else if (
      scope.kind === 'all' ||
      (wanted.has(e.value.code) && (scope.kind === 'unit' || scope.subject.type === 'unit'))
    )
      data.units.push(e.value);
  }
  const about = (s: Subject) =>
    scope.kind !== 'subject' || (s.type === scope.subject.type && s.id === scope.subject.id);
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
    take(u.currentClues(), (c) => about(c.subject), data.clues);
    take(
      u.cards.list(),
      (c) => about({ type: 'cadre', id: c.holderId }) || about({ type: 'unit', id: c.unitCode }),
      data.cards,
    );
  }
  return { data, invalid };
}

/**
 * Brings a JSON export back into the documents, through the same import log as a spreadsheet (so
 * it is recorded and undoable). Units go to the directory; every other entity goes to the unit
 * document of its subject — the cadre's unit (from the export itself, else the directory) or the
 * unit named.
 */
export function restoreExport(target: ImportTarget, data: DossierExport, meta: ImportMeta): ApplyResult {
  const unitsResult = applyImport(
    target,
    previewOf(
      'units',
      data.units.map((u) => entity('units', 'workspace', u.code, u)),
    ),
    meta,
    'all-or-nothing',
  );
  if (!unitsResult.ok) return unitsResult;
  const directory = directoryFromTarget(target);
  const cadreUnit = new Map(data.cadres.map((c) => [c.id, c.unitCode]));
  const unitOf = (s: Subject) =>
    s.type === 'unit' ? s.id : (cadreUnit.get(s.id) ?? directory.cadre(s.id)?.unitCode ?? '');
  const entities: PreparedEntity[] = [
    ...data.cadres.map((c) => entity('cadres', c.unitCode, c.id, c)),
    ...data.records.map((r) => entity('records', unitOf(r.subject), r.id, r)),
    ...data.flags.map((f) => entity('flags', unitOf({ type: 'cadre', id: f.cadreId }), f.id, f)),
    ...data.clues.map((c) => entity('clues', unitOf(c.subject), c.id, c)),
    ...data.cards.map((c) => entity('cards', c.unitCode, c.id, c)),
  ];
  const orphan = entities.find((e) => !e.doc);
  if (orphan)
    return {
      ok: false,
      reason: 'refused',
      lines: [],
      errors: [
        { path: orphan.id, field: 'subject', key: 'import.unknownCadre', message: `${orphan.collection}/${orphan.id}` },
      ],
    };
  const rest = applyImport(target, previewOf('records', entities), meta, 'all-or-nothing');
  if (!rest.ok) return rest;
  return { ...rest, applied: rest.applied || unitsResult.applied, counts: { ...unitsResult.counts, ...rest.counts } };
}

function entity(collection: Collection, doc: string, id: string, value: EntityValue): PreparedEntity {
  return { lines: [], collection, doc, id, value };
}

function previewOf(kind: ImportKind, entities: PreparedEntity[]): ImportPreview {
  return {
    kind,
    headers: [],
    headerLine: 0,
    mapping: {},
    missing: [],
    rowsRead: entities.length,
    entities,
    problems: [],
    notes: [],
    badLines: [],
  };
}
