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
import { parseClerkDate } from './dates.ts';
import { detectLayout, FIELDS, guessMapping, missingRequired, type ColumnMapping, type FieldDef, type ImportKind } from './fields.ts';
import { cardItemKey, cardKey, clueKey, flagKey, recordKey } from './keys.ts';
import { ACCESS_KEYS, bilingual, type Bilingual } from './messages.ts';
import type { Table } from './table.ts';
import {
  cardStateOf,
  clueStageOf,
  colourOf,
  flagStatusOf,
  genderOf,
  kindIdOf,
  labelledIdOf,
  listOf,
  monthsOf,
  recordStatusOf,
  unitKindOf,
} from './vocab.ts';

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
export function directoryOf(units: readonly Pick<Unit, 'code' | 'name' | 'aliases'>[], cadres: readonly Pick<Cadre, 'id' | 'name' | 'aliases' | 'unitCode'>[]): Directory {
  const byCode = new Map(units.map((u) => [u.code, u]));
  const byName = new Map<string, Pick<Unit, 'code' | 'name'>>();
  for (const u of units) for (const n of [u.name, ...(u.aliases ?? [])]) if (!byName.has(n)) byName.set(n, u);
  const cadreById = new Map(cadres.map((c) => [c.id, c]));
  return {
    unit: (s) => {
      const u = byCode.get(s.trim()) ?? byName.get(s.trim());
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
  config: Pick<WorkspaceConfig, 'kinds' | 'negativeList' | 'channels'>;
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
      en: 'Could not recognise the header row: check that the column names are in the first rows, and choose the import type',
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
      preview.problems.push({ line: preview.headerLine, column: fd.label.zh, field: fd.key, key: 'import.missingColumn', message: bilingual('import.missingColumn', fd.label) });
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
    const ctx: RowContext = { cell, date, add, outside, rosterPartial, opts };
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
        problems.push({ line: row.line, column: columnName(field), field, key: e.key, message: bilingual(e.key, labelOf(field)) });
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
      preview.problems.push({ line: row.line, column: columnName(field), field, key, message: bilingual(key, labelOf(field)) });
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

const SCHEMA_OF = {
  units: 'unit',
  cadres: 'cadre',
  records: 'record',
  flags: 'flag',
  clues: 'clue',
  cards: 'reminderCard',
} as const satisfies Record<ImportKind, keyof ReturnType<typeof entitySchemas>>;

const COLLECTION_OF: Record<ImportKind, Collection> = {
  units: 'units',
  cadres: 'cadres',
  records: 'records',
  flags: 'flags',
  clues: 'clues',
  cards: 'cards',
};

interface RowContext {
  cell(field: string): string;
  date(field: string): string | undefined;
  add(field: string, key: string): void;
  /** Reports `field` as outside the token's access when it may not write unit `unitCode`'s document. */
  outside(field: string, unitCode: string): boolean;
  /** Some units' rosters are unreadable with this token: an unknown cadre may be one of theirs. */
  rosterPartial: boolean;
  opts: PrepareOptions;
}

interface Converted {
  value: Record<string, unknown>;
  doc: string;
  id(value: EntityValue): string;
  /** The import field that identifies the row, for duplicate reports. */
  idField: string;
  /** Which import field a schema issue belongs to (schema path and innermost field name). */
  fieldOf(path: string, field: string): string;
}

/**
 * Omits empty optional values so the schema sees "absent", not "empty text". Required members keep
 * their empty text, so the schema reports "不能为空 / is required" rather than a type error.
 */
function compact(o: Record<string, unknown>, required: readonly string[] = []): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([k, x]) => x !== undefined && (x !== '' || required.includes(k))));
}

/** Resolves the subject of a record or clue: a cadre by id, else a unit by code or name. */
function subjectOf(ctx: RowContext, withName: boolean): { type: 'cadre' | 'unit'; id: string; doc: string; field: string } | undefined {
  const cadreId = ctx.cell('cadreId');
  if (cadreId) {
    const c = ctx.opts.directory.cadre(cadreId);
    if (!c) {
      // A unit named beside the ID says whose row it is; otherwise the cadre may be on a roster
      // this token cannot read.
      const named = ctx.cell('unit') ? ctx.opts.directory.unit(ctx.cell('unit')) : undefined;
      if (named && ctx.outside('unit', named.code)) return undefined;
      ctx.add('cadreId', ctx.rosterPartial ? 'import.cadreOutsideAccess' : 'import.unknownCadre');
      return undefined;
    }
    if (ctx.outside('cadreId', c.unitCode)) return undefined;
    const name = withName ? ctx.cell('name') : '';
    if (name && name !== c.name && !c.aliases.includes(name)) {
      ctx.add('name', 'import.nameMismatch');
      return undefined;
    }
    return { type: 'cadre', id: c.id, doc: c.unitCode, field: 'cadreId' };
  }
  const unit = ctx.cell('unit');
  if (unit) {
    const u = ctx.opts.directory.unit(unit);
    if (!u) {
      ctx.add('unit', 'import.unknownUnit');
      return undefined;
    }
    if (ctx.outside('unit', u.code)) return undefined;
    return { type: 'unit', id: u.code, doc: u.code, field: 'unit' };
  }
  ctx.add('cadreId', 'import.noSubject');
  return undefined;
}

const CONVERTERS: Record<ImportKind, (ctx: RowContext) => Converted | undefined> = {
  units(ctx) {
    if (ctx.opts.access && !ctx.opts.access.canWrite('workspace')) {
      ctx.add('code', 'import.directoryReadOnly');
      return undefined;
    }
    const parentRaw = ctx.cell('parent');
    // A parent may be named by code or by name; a parent defined in the same file is fine too
    // (the directory cannot know it yet), so unknown parents pass through as codes.
    const parent = parentRaw ? (ctx.opts.directory.unit(parentRaw)?.code ?? parentRaw) : undefined;
    const value = compact({
      code: ctx.cell('code'),
      name: ctx.cell('name'),
      aliases: listOf(ctx.cell('aliases')),
      parentCode: parent,
      region: ctx.cell('region'),
      kind: unitKindOf(ctx.cell('kind')),
    }, ['code', 'name', 'kind']);
    return {
      value,
      doc: 'workspace',
      id: (u) => (u as Unit).code,
      idField: 'code',
      fieldOf: (_p, f) => ({ parentCode: 'parent' })[f] ?? f,
    };
  },
  cadres(ctx) {
    const unitRaw = ctx.cell('unit');
    const unit = unitRaw ? ctx.opts.directory.unit(unitRaw) : undefined;
    if (unitRaw && !unit) ctx.add('unit', 'import.unknownUnit');
    if (unit && ctx.outside('unit', unit.code)) return undefined;
    const birthRaw = ctx.cell('birth');
    const birth = birthRaw ? parseClerkDate(birthRaw) : undefined;
    if (birthRaw && !birth) ctx.add('birth', 'date.format');
    if (!unit && unitRaw) return undefined;
    const value = compact({
      id: ctx.cell('id'),
      name: ctx.cell('name'),
      aliases: listOf(ctx.cell('aliases')),
      gender: genderOf(ctx.cell('gender')),
      // 出生年月 is kept to the month, as personnel files do; a full date is kept as given.
      birth: birth ? (birth.precision === 'month' ? birth.date.slice(0, 7) : birth.date) : birthRaw,
      unitCode: unit?.code ?? '',
      post: ctx.cell('post'),
      rank: ctx.cell('rank'),
    }, ['id', 'name', 'gender', 'birth', 'post', 'rank']);
    return {
      value,
      doc: unit?.code ?? '',
      id: (c) => (c as Cadre).id,
      idField: 'id',
      fieldOf: (_p, f) => ({ unitCode: 'unit' })[f] ?? f,
    };
  },
  records(ctx) {
    const subject = subjectOf(ctx, true);
    const kind = kindIdOf(ctx.opts.config, ctx.cell('kind'));
    const colourRaw = ctx.cell('colour');
    const kindDef = ctx.opts.config.kinds.find((k) => k.id === kind);
    const decisionDate = ctx.date('decisionDate');
    const effectiveDate = ctx.date('effectiveDate');
    const rectificationDue = ctx.date('rectificationDue');
    const rectifiedOn = ctx.date('rectifiedOn');
    const probationRaw = ctx.cell('probationMonths');
    const probationMonths = probationRaw ? monthsOf(probationRaw) : undefined;
    if (probationRaw && probationMonths === undefined) ctx.add('probationMonths', 'import.number');
    if (!subject) return undefined;
    const value = compact({
      id: '',
      subject: { type: subject.type, id: subject.id },
      // The colour column is optional: the kind decides it. When both are given they must agree.
      colour: colourRaw ? colourOf(colourRaw) : (kindDef?.colour ?? ''),
      kind,
      decisionDate: decisionDate ?? '',
      effectiveDate,
      sourceDept: ctx.cell('sourceDept'),
      docNumber: ctx.cell('docNumber'),
      summary: ctx.cell('summary'),
      status: ctx.cell('status') ? recordStatusOf(ctx.cell('status')) : 'active',
      probationMonths,
      rectificationDue,
      rectifiedOn,
    }, ['kind', 'decisionDate', 'sourceDept', 'summary']);
    value.id = recordKey(subject.type, subject.id, kind, String(value.decisionDate), ctx.cell('docNumber'));
    return {
      value,
      doc: subject.doc,
      id: (r) => (r as DotRecord).id,
      idField: subject.field,
      fieldOf: (p, f) => (p.startsWith('subject') ? subject.field : f === 'colour' && !colourRaw ? 'kind' : f),
    };
  },
  flags(ctx) {
    const subject = subjectOf(ctx, true);
    const date = ctx.date('date');
    if (subject && subject.type !== 'cadre') ctx.add('cadreId', 'import.unknownCadre');
    if (!subject || subject.type !== 'cadre') return undefined;
    const item = labelledIdOf(ctx.opts.config.negativeList, ctx.cell('item'));
    const value = compact({
      id: flagKey(subject.id, item, date ?? ''),
      cadreId: subject.id,
      item,
      channel: labelledIdOf(ctx.opts.config.channels, ctx.cell('channel')),
      date: date ?? '',
      status: ctx.cell('status') ? flagStatusOf(ctx.cell('status')) : 'reported',
      summary: ctx.cell('summary'),
    }, ['item', 'channel', 'date', 'summary']);
    return { value, doc: subject.doc, id: (x) => (x as Flag).id, idField: 'cadreId', fieldOf: (_p, f) => f };
  },
  clues(ctx) {
    const subject = subjectOf(ctx, true);
    const received = ctx.date('received');
    const due = ctx.date('due');
    if (!subject) return undefined;
    const summary = ctx.cell('summary');
    const value = compact({
      id: ctx.cell('id') || clueKey(subject.type, subject.id, received ?? '', summary),
      subject: { type: subject.type, id: subject.id },
      summary,
      received: received ?? '',
      source: ctx.cell('source'),
      stage: clueStageOf(ctx.cell('stage')),
      assignee: ctx.cell('assignee'),
      due,
      outcome: ctx.cell('outcome'),
    }, ['summary', 'received', 'source', 'stage']);
    return {
      value,
      doc: subject.doc,
      id: (c) => (c as Clue).id,
      idField: ctx.cell('id') ? 'id' : subject.field,
      fieldOf: (p, f) => (p.startsWith('subject') ? subject.field : f),
    };
  },
  cards(ctx) {
    const unitRaw = ctx.cell('unit');
    const unit = unitRaw ? ctx.opts.directory.unit(unitRaw) : undefined;
    if (unit && ctx.outside('unit', unit.code)) return undefined;
    const holderId = ctx.cell('holderId');
    const holder = holderId ? ctx.opts.directory.cadre(holderId) : undefined;
    if (holderId && !holder) ctx.add('holderId', ctx.rosterPartial ? 'import.cadreOutsideAccess' : 'import.unknownCadre');
    if (unitRaw && !unit) ctx.add('unit', 'import.unknownUnit');
    const name = ctx.cell('name');
    if (holder && name && name !== holder.name && !holder.aliases.includes(name)) ctx.add('name', 'import.nameMismatch');
    if (holder && unit && holder.unitCode !== unit.code) ctx.add('unit', 'import.cardHolderUnit');
    const issuedOn = ctx.date('issuedOn');
    const quarter = ctx.cell('quarter').normalize('NFKC').replace(/\s+/g, '').toUpperCase().replace(/^(\d{4})年?第?([1-4])季度?$/, '$1Q$2');
    if ((holderId && !holder) || (unitRaw && !unit)) return undefined;
    const text = ctx.cell('itemText');
    const value = compact({
      id: cardKey(quarter, holder?.id ?? holderId),
      quarter,
      holderId: holder?.id ?? holderId,
      unitCode: unit?.code ?? '',
      issuedOn: issuedOn ?? '',
      items: [compact({ id: cardItemKey(text), text, state: ctx.cell('state') ? cardStateOf(ctx.cell('state')) : 'pending', note: ctx.cell('note') }, ['text'])],
    }, ['quarter', 'holderId', 'issuedOn']);
    return {
      value,
      doc: unit?.code ?? '',
      id: (c) => (c as ReminderCard).id,
      idField: 'holderId',
      fieldOf: (p, f) => (p.startsWith('items') ? ({ text: 'itemText' })[f] ?? f : ({ unitCode: 'unit' })[f] ?? f),
    };
  },
};

/** One card per quarter and holder; each row adds an item (a repeated item text is kept once). */
function mergeCard(cards: Map<string, PreparedEntity>, card: ReminderCard, line: number, doc: string): void {
  const existing = cards.get(card.id);
  if (!existing) {
    cards.set(card.id, { lines: [line], collection: 'cards', doc, id: card.id, value: card });
    return;
  }
  const value = existing.value as ReminderCard;
  existing.lines.push(line);
  for (const item of card.items) if (!value.items.some((i) => i.id === item.id)) value.items.push(item);
}

/** Lines skipped because they are outside the token's access (a subset of `badLines`). */
export function outsideAccessLines(preview: Pick<ImportPreview, 'problems'>): number[] {
  return [...new Set(preview.problems.filter((p) => ACCESS_KEYS.has(p.key)).map((p) => p.line))].sort((a, b) => a - b);
}
