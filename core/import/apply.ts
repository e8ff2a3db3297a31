import type { ImportEntry, ImportBatch } from '../doc/imports.ts';
import { unitDocName } from '../doc/names.ts';
import { initUnitDoc, type UnitDossiers } from '../doc/unit-doc.ts';
import type { WorkspaceDoc } from '../doc/workspace-doc.ts';
import type { UnitCollectionName } from '../doc/unit-collections.ts';
import type { FieldError } from '../model/messages.ts';
import type { Unit } from '../model/schemas.ts';
import { importMessage } from './messages.ts';
import { directoryOf, type Directory, type ImportAccess, type ImportPreview } from './prepare.ts';

/**
 * Applying a prepared import to the documents, through the core/doc accessors only. An import may
 * touch many unit documents (a police department's file names cadres of thirty units); each unit
 * document's import log records its share under the same import id, so the import is listed and
 * undone as one. The unit directory lives in the workspace document, which has no import log:
 * units are written idempotently (an equal value is a no-op) and are not undoable — removing a
 * unit would orphan the dossiers filed under it, which an undo must never do.
 */

export interface ImportTarget {
  workspace: WorkspaceDoc;
  /** The accessors of `unit:<code>`, opening (and creating) the document as needed. */
  unit(code: string): UnitDossiers;
  /** Codes of the unit documents that exist (for listing and undoing imports). */
  unitCodes(): string[];
  /**
   * What the token may write, when known (a workspace opened with the token's grants): pass it to
   * `prepareImport` so rows outside it are reported and skipped; `applyImport` refuses, writing
   * nothing, a preview that would still write a unit document outside it. Absent: every document.
   */
  access?: ImportAccess;
}

export type ApplyMode = 'all-or-nothing' | 'good-rows';

export interface ImportMeta {
  id: string;
  by: string;
  at: string;
  fileName: string;
}

export type ApplyResult =
  | {
      ok: true;
      id: string;
      applied: boolean;
      counts: Record<string, { created: number; updated: number; unchanged: number }>;
      skippedLines: number[];
    }
  | { ok: false; reason: 'bad-rows' | 'missing-columns' | 'refused'; lines: number[]; errors: FieldError[] };

/** A fresh import id: time first so ids sort by when they ran, then randomness against collisions. */
export function newImportId(now: Date = new Date()): string {
  const rand = crypto.getRandomValues(new Uint32Array(2));
  return `imp-${now.getTime().toString(36)}-${rand[0]!.toString(36)}${rand[1]!.toString(36)}`;
}

/** The directory of units and cadres as the documents know them now. */
export function directoryFromTarget(target: ImportTarget): Directory {
  const units = target.workspace.units.list().flatMap((e) => (e.ok ? [e.value] : []));
  const cadres = target.unitCodes().flatMap((code) =>
    target
      .unit(code)
      .cadres.list()
      .flatMap((e) => (e.ok ? [e.value] : [])),
  );
  return directoryOf(units, cadres);
}

export function applyImport(
  target: ImportTarget,
  preview: ImportPreview,
  meta: ImportMeta,
  mode: ApplyMode,
): ApplyResult {
  if (preview.missing.length > 0) return { ok: false, reason: 'missing-columns', lines: [], errors: [] };
  if (mode === 'all-or-nothing' && preview.badLines.length > 0)
    return { ok: false, reason: 'bad-rows', lines: preview.badLines, errors: [] };
  // A unit document the token may not write would be refused by the server after the others were
  // stored: refuse the whole batch here instead (prepareImport with `access` leaves none).
  const access = target.access;
  if (access && preview.kind !== 'units') {
    const outside = preview.entities.filter((e) => !access.canWrite(unitDocName(e.doc)));
    if (outside.length > 0) {
      const docs = [...new Set(outside.map((e) => unitDocName(e.doc)))];
      return {
        ok: false,
        reason: 'refused',
        lines: [...new Set(outside.flatMap((e) => e.lines))].sort((a, b) => a - b),
        errors: docs.map((doc) => ({
          path: doc,
          field: 'unit',
          key: 'import.outsideAccess',
          message: `${doc}: ${importMessage('import.outsideAccess', 'en')}`,
        })),
      };
    }
  }
  const counts: Record<string, { created: number; updated: number; unchanged: number }> = {};
  const skippedLines = preview.badLines;

  if (preview.kind === 'units') {
    const c = { created: 0, updated: 0, unchanged: 0 };
    target.workspace.doc.transact(() => {
      for (const e of preview.entities) {
        const r = target.workspace.units.put(e.value as Unit);
        if (r.ok) c[r.outcome] += 1;
        // A unit's document knows which unit it is; creating it here lets cadres be filed at once
        // (by whoever may write it: the first import into it does the same).
        const code = (e.value as Unit).code;
        if (!access || access.canWrite(unitDocName(code))) initUnitDoc(target.unit(code).doc, code);
      }
    }, 'import');
    counts.units = c;
    return { ok: true, id: meta.id, applied: c.created + c.updated > 0, counts, skippedLines };
  }

  const byDoc = new Map<string, ImportBatch>();
  for (const e of preview.entities) {
    const batch = byDoc.get(e.doc) ?? {};
    const name = e.collection as UnitCollectionName;
    batch[name] = [...(batch[name] ?? []), e.value];
    byDoc.set(e.doc, batch);
  }
  const done: string[] = [];
  for (const [code, batch] of byDoc) {
    const dossiers = target.unit(code);
    initUnitDoc(dossiers.doc, code);
    const r = dossiers.imports.apply(meta, batch);
    if (!r.ok) {
      // Another document refused (e.g. written by a newer schema): take back what this import
      // already wrote elsewhere, so "one batch or nothing" holds across documents too.
      for (const c of done) target.unit(c).imports.undo(meta.id, { by: meta.by, at: meta.at, reason: 'rollback' });
      return { ok: false, reason: 'refused', lines: [], errors: r.rejected.flatMap((x) => x.errors) };
    }
    done.push(code);
    for (const [name, c] of Object.entries(r.entry.counts)) {
      const t = (counts[name] ??= { created: 0, updated: 0, unchanged: 0 });
      t.created += c.created;
      t.updated += c.updated;
      t.unchanged += c.unchanged;
    }
  }
  const applied = Object.values(counts).some((c) => c.created + c.updated > 0);
  return { ok: true, id: meta.id, applied, counts, skippedLines };
}

/** One import as the user sees it: its entries in every unit document it touched, merged. */
export interface ImportSummary {
  id: string;
  by: string;
  at: string;
  fileName: string;
  units: string[];
  counts: Record<string, { created: number; updated: number; unchanged: number }>;
  undone?: { by: string; at: string; reason: string };
  /**
   * Who imported and who undid, as Yjs clientIDs in the unit `unit` (core/doc/writers.ts): views
   * name them from the server's bindings, never from `by`, which is only what a client wrote.
   */
  writers: { unit: string; imported?: number; last?: number };
}

export function listImports(target: ImportTarget): ImportSummary[] {
  const byId = new Map<string, ImportSummary>();
  for (const code of target.unitCodes()) {
    for (const e of target.unit(code).imports.list()) {
      if (!e.ok) continue;
      const entry: ImportEntry = e.value;
      const s = byId.get(entry.id) ?? {
        id: entry.id,
        by: entry.by,
        at: entry.at,
        fileName: entry.fileName,
        units: [],
        counts: {},
        writers: { unit: code, ...target.unit(code).imports.writers(entry.id) },
      };
      s.units.push(code);
      for (const [name, c] of Object.entries(entry.counts)) {
        const t = (s.counts[name] ??= { created: 0, updated: 0, unchanged: 0 });
        t.created += c.created;
        t.updated += c.updated;
        t.unchanged += c.unchanged;
      }
      if (entry.undone) s.undone = entry.undone;
      byId.set(entry.id, s);
    }
  }
  return [...byId.values()].sort((a, b) => b.at.localeCompare(a.at));
}

/**
 * Undoes an import in every unit document it touched (of those the target has open). Idempotent.
 * With `access`, an import that touched an open unit the token may not write is not undone
 * anywhere (errors `import.outsideAccess`): the server would refuse that share after the rest.
 */
export function undoImport(
  target: ImportTarget,
  id: string,
  how: { by: string; at: string; reason: string },
): { ok: boolean; units: string[]; errors: FieldError[] } {
  const units: string[] = [];
  const errors: FieldError[] = [];
  const access = target.access;
  if (access) {
    const outside = target
      .unitCodes()
      .filter((code) => !access.canWrite(unitDocName(code)) && target.unit(code).imports.get(id));
    if (outside.length > 0) {
      const docs = outside.map(unitDocName);
      return {
        ok: false,
        units,
        errors: docs.map((doc) => ({
          path: doc,
          field: 'unit',
          key: 'import.outsideAccess',
          message: `${doc}: ${importMessage('import.outsideAccess', 'en')}`,
        })),
      };
    }
  }
  for (const code of target.unitCodes()) {
    const dossiers = target.unit(code);
    if (!dossiers.imports.get(id)) continue;
    const r = dossiers.imports.undo(id, how);
    if (r.ok) units.push(code);
    else errors.push(...r.rejected.flatMap((x) => x.errors));
  }
  return { ok: units.length > 0 && errors.length === 0, units, errors };
}
