import * as v from 'valibot';
import type { IsoDate } from '../dates.ts';
import type { WorkspaceConfig } from '../model/config.ts';
import { describeIssues } from '../model/messages.ts';
import {
  entitySchemas,
  type Cadre,
  type Clue,
  type DotRecord,
  type Flag,
  type ReminderCard,
  type Unit,
} from '../model/schemas.ts';
import { unitDocName } from '../doc/names.ts';
import { normaliseUnitCode } from '../model/unit-code.ts';
import { COLLECTION_OF, CONVERTERS, mergeCard, SCHEMA_OF, type RowContext } from './convert.ts';
import { parseClerkDate } from './dates.ts';
import {
  detectLayout,
  FIELDS,
  guessMapping,
  missingRequired,
  type ColumnMapping,
  type FieldDef,
  type ImportKind,
} from './fields.ts';
import { ACCESS_KEYS, bilingual, readAsMessage, type Bilingual } from './messages.ts';
import type { Table } from './table.ts';
import { importVocabularies } from './vocab.ts';

/**
 * From a table of text cells to validated entities and a report. Pure: the caller supplies today,
 * the workspace configuration and a directory of the units and cadres already known; nothing is
 * written here. Every row is converted (clerk words → model ids, clerk dates → ISO) and then
 * validated with the core schemas (`entitySchemas`), so an import accepts exactly what a form in
 * the side panel would. Problems are reported per row with the column as the file names it and the
 * reason in both locales; a row with any problem is skipped whole.
 *
 * With `access` (the token's grants), a row for a document the token may not write is reported as
 * outside its access, for that reason alone (its other problems are for whoever may import it),
 * and skipped like any other bad row: the server would refuse it anyway, after the rest was written.
 */

export interface Directory {
  unit(codeOrName: string): { code: string; name: string } | undefined;
  cadre(id: string): { id: string; name: string; aliases: string[]; unitCode: string } | undefined;
}

/** A directory over plain lists (the caller reads them from the workspace and unit documents). */
export function directoryOf(
  units: readonly Pick<Unit, 'code' | 'name' | 'aliases'>[],
  cadres: readonly Pick<Cadre, 'id' | 'name' | 'aliases' | 'unitCode'>[],
): Directory {
  const byCode = new Map(units.map((u) => [u.code, u]));
  const byName = new Map<string, Pick<Unit, 'code' | 'name'>>();
  for (const u of units) for (const n of [u.name, ...(u.aliases ?? [])]) if (!byName.has(n)) byName.set(n, u);
  const cadreById = new Map(cadres.map((c) => [c.id, c]));
  return {
    unit: (s) => {
      // Codes in their one spelling (full-width, lower-case and padded forms of a code match it).
      const u = byCode.get(normaliseUnitCode(s)) ?? byName.get(s.trim());
      return u && { code: u.code, name: u.name };
    },
    cadre: (id) => {
      const c = cadreById.get(id.trim());
      return c && { id: c.id, name: c.name, aliases: c.aliases ?? [], unitCode: c.unitCode };
    },
  };
}

export type Collection = 'units' | 'cadres' | 'records' | 'flags' | 'clues' | 'cards';
export type EntityValue = Unit | Cadre | DotRecord | Flag | Clue | ReminderCard;

export interface PreparedEntity {
  /** Spreadsheet rows this entity came from (a reminder card gathers several). */
  lines: number[];
  collection: Collection;
  /** Where it lives: "workspace" for units, otherwise the code of the unit whose document holds it. */
  doc: string;
  id: string;
  value: EntityValue;
}

export interface RowProblem {
  line: number;
  /** The column's header as written in the file, or the field's label when the column is missing. */
  column: string;
  field: string;
  key: string;
  message: Bilingual;
}

export interface ImportPreview {
  kind: ImportKind;
  headers: string[];
  headerLine: number;
  mapping: ColumnMapping;
  /** Required fields no column maps to: nothing can be imported until they are mapped. */
  missing: FieldDef[];
  rowsRead: number;
  entities: PreparedEntity[];
  /** Rows skipped, with every reason found. */
  problems: RowProblem[];
  /** Accepted rows worth a second look (e.g. a month-only date taken as the 1st). */
  notes: RowProblem[];
  badLines: number[];
}

/**
 * What the token may import, when the caller knows its grants (a workspace opened with them, see
 * core/sync/scope.ts). Absent: every document (the server still decides).
 */
export interface ImportAccess {
  /** Whether the token may write `workspace` (the unit directory) or `unit:<code>`. */
  canWrite(docName: string): boolean;
  /** Whether it may write at least one unit document (otherwise it can import nothing but units). */
  canWriteSomeUnit(): boolean;
  /** Whether the directory lists units whose rosters it cannot read (their cadres are unknown here). */
  rosterPartial(): boolean;
}

export interface PrepareOptions {
  today: IsoDate;
  config: Pick<WorkspaceConfig, 'kinds' | 'negativeList' | 'channels'> &
    Partial<Pick<WorkspaceConfig, 'importAliases'>>;
  directory: Directory;
  /** Forced kind; otherwise guessed from the headers. */
  kind?: ImportKind;
  /** The user's corrected mapping; otherwise guessed. */
  mapping?: ColumnMapping;
  /** Index into table.rows of the header row; otherwise detected. */
  headerIndex?: number;
  /** The token's access: rows it may not write are reported (`import.outsideAccess` …) and skipped. */
  access?: ImportAccess;
}

export class ImportLayoutError extends Error {
  constructor(readonly reason: Bilingual) {
    super(reason.en);
  }
}

export function prepareImport(table: Table, opts: PrepareOptions): ImportPreview {
  const layout = detectLayout(table.rows, opts.kind ? [opts.kind] : undefined);
  const headerIndex = opts.headerIndex ?? layout?.headerIndex ?? 0;
  const kind = opts.kind ?? layout?.kind;
  if (!kind) {
    throw new ImportLayoutError({
      zh: '无法识别表头：请确认第一行（或标题下的一行）是列名，并选择导入类型',
      en:
        'Could not recognise the header row: check that the column names are in the first rows, ' +
        'and choose the import type',
    });
  }
  const headerRow = table.rows[headerIndex];
  const headers = headerRow?.cells ?? [];
  const mapping = opts.mapping ?? guessMapping(kind, headers);
  const missing = missingRequired(kind, mapping);
  const dataRows = table.rows.slice(headerIndex + 1);
  const preview: ImportPreview = {
    kind,
    headers,
    headerLine: headerRow?.line ?? 1,
    mapping,
    missing,
    rowsRead: dataRows.length,
    entities: [],
    problems: [],
    notes: [],
    badLines: [],
  };
  const fieldsByKey = new Map(FIELDS[kind].map((fd) => [fd.key, fd]));
  const columnName = (field: string) => {
    const col = mapping[field];
    const fd = fieldsByKey.get(field);
    return col !== undefined ? (headers[col] ?? fd?.label.zh ?? field) : (fd?.label.zh ?? field);
  };
  const labelOf = (field: string): Bilingual => fieldsByKey.get(field)?.label ?? { zh: field, en: field };
  if (missing.length > 0) {
    for (const fd of missing) {
      preview.problems.push({
        line: preview.headerLine,
        column: fd.label.zh,
        field: fd.key,
        key: 'import.missingColumn',
        message: bilingual('import.missingColumn', fd.label),
      });
    }
    preview.badLines = [];
    return preview;
  }

  const schemas = entitySchemas({ today: opts.today, config: opts.config });
  const convert = CONVERTERS[kind];
  const seen = new Map<string, { line: number; json: string }>();
  const cards = new Map<string, PreparedEntity>();
  const bad = new Set<number>();
  const rosterPartial = opts.access?.rosterPartial() ?? false;
  const vocab = importVocabularies(opts.config);

  for (const row of dataRows) {
    const cell = (field: string) => {
      const col = mapping[field];
      return col === undefined ? '' : (row.cells[col] ?? '').trim();
    };
    const problems: RowProblem[] = [];
    const rowNotes: RowProblem[] = [];
    const problemFields = new Set<string>();
    const add = (field: string, key: string, list: RowProblem[] = problems) => {
      if (list === problems) {
        if (problemFields.has(field)) return;
        problemFields.add(field);
      }
      list.push({ line: row.line, column: columnName(field), field, key, message: bilingual(key, labelOf(field)) });
    };
    const date = (field: string): string | undefined => {
      const raw = cell(field);
      if (!raw) return undefined;
      const d = parseClerkDate(raw);
      if (!d) {
        add(field, 'date.format');
        return raw;
      }
      if (d.precision === 'month') add(field, 'import.monthOnly', rowNotes);
      return d.date;
    };
    const outside = (field: string, unitCode: string): boolean => {
      if (!opts.access || opts.access.canWrite(unitDocName(unitCode))) return false;
      add(field, 'import.outsideAccess');
      return true;
    };
    const readAs: RowContext['readAs'] = (field, raw, resolved) => {
      if (resolved.readAs)
        rowNotes.push({
          line: row.line,
          column: columnName(field),
          field,
          key: 'import.readAs',
          message: readAsMessage(labelOf(field), raw.trim(), resolved.readAs),
        });
      return resolved.id;
    };
    const ctx: RowContext = { cell, date, add, outside, rosterPartial, opts, vocab, readAs };
    const converted = convert(ctx);
    // Outside the token's access: reported for that alone, and without its notes.
    const denied = problems.filter((p) => ACCESS_KEYS.has(p.key));
    if (denied.length > 0) {
      bad.add(row.line);
      preview.problems.push(...denied);
      continue;
    }
    preview.notes.push(...rowNotes);
    if (!converted) {
      bad.add(row.line);
      preview.problems.push(...problems);
      continue;
    }
    const schema = schemas[SCHEMA_OF[kind]] as v.GenericSchema;
    const result = v.safeParse(schema, converted.value);
    if (!result.success) {
      describeIssues(result.issues, 'en').forEach((e) => {
        const field = converted.fieldOf(e.path, e.field);
        if (problemFields.has(field)) return;
        problemFields.add(field);
        // The schema names its own field ("所在单位"); the report names the import's field, whose
        // column header is given beside it.
        problems.push({
          line: row.line,
          column: columnName(field),
          field,
          key: e.key,
          message: bilingual(e.key, labelOf(field)),
        });
      });
    }
    if (problems.length > 0) {
      bad.add(row.line);
      preview.problems.push(...problems);
      continue;
    }
    const value = (result.success ? result.output : converted.value) as EntityValue;
    const id = converted.id(value);
    if (kind === 'cards') {
      mergeCard(cards, value as ReminderCard, row.line, converted.doc);
      continue;
    }
    const json = JSON.stringify(value);
    const earlier = seen.get(id);
    if (earlier) {
      const key = earlier.json === json ? 'import.duplicateRow' : 'import.conflictingRow';
      const field = converted.idField;
      preview.problems.push({
        line: row.line,
        column: columnName(field),
        field,
        key,
        message: bilingual(key, labelOf(field)),
      });
      bad.add(row.line);
      continue;
    }
    seen.set(id, { line: row.line, json });
    preview.entities.push({ lines: [row.line], collection: COLLECTION_OF[kind], doc: converted.doc, id, value });
  }
  preview.entities.push(...cards.values());
  preview.badLines = [...bad].sort((a, b) => a - b);
  return preview;
}

/** Lines skipped because they are outside the token's access (a subset of `badLines`). */
export function outsideAccessLines(preview: Pick<ImportPreview, 'problems'>): number[] {
  return [...new Set(preview.problems.filter((p) => ACCESS_KEYS.has(p.key)).map((p) => p.line))].sort((a, b) => a - b);
}
