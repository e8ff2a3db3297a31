import type { Cadre, Clue, DotRecord, Flag, ReminderCard, Unit } from '../model/schemas.ts';
import type { entitySchemas } from '../model/schemas.ts';
import { parseClerkDate } from './dates.ts';
import type { ImportKind } from './fields.ts';
import { normaliseUnitCode } from '../model/unit-code.ts';
import { cardItemKey, cardKey, clueKey, flagKey, recordKey } from './keys.ts';
import type { Collection, EntityValue, PrepareOptions, PreparedEntity } from './prepare.ts';
import {
  cardStateOf,
  colourOf,
  genderOf,
  kindIdOf,
  listOf,
  monthsOf,
  recordStatusOf,
  unitKindOf,
  type ImportVocabularies,
  type Resolved,
} from './vocab.ts';

/**
 * One spreadsheet row of each kind → the model's shape, before the core schemas check it
 * (prepare.ts runs the pipeline). Clerk words become ids here (vocab.ts); a word read through one
 * of the common spellings or the workspace's aliases is noted, so the report says how it was read.
 */

export const SCHEMA_OF = {
  units: 'unit',
  cadres: 'cadre',
  records: 'record',
  flags: 'flag',
  clues: 'clue',
  cards: 'reminderCard',
} as const satisfies Record<ImportKind, keyof ReturnType<typeof entitySchemas>>;

export const COLLECTION_OF: Record<ImportKind, Collection> = {
  units: 'units',
  cadres: 'cadres',
  records: 'records',
  flags: 'flags',
  clues: 'clues',
  cards: 'cards',
};

export interface RowContext {
  cell(field: string): string;
  date(field: string): string | undefined;
  add(field: string, key: string): void;
  /** Reports `field` as outside the token's access when it may not write unit `unitCode`'s document. */
  outside(field: string, unitCode: string): boolean;
  /** Some units' rosters are unreadable with this token: an unknown cadre may be one of theirs. */
  rosterPartial: boolean;
  opts: PrepareOptions;
  vocab: ImportVocabularies;
  /** Notes that `field`'s text was read as another word (an alias), for the report. */
  readAs(field: string, raw: string, resolved: Resolved): string;
}

export interface Converted {
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
  return Object.fromEntries(
    Object.entries(o).filter(([k, x]) => x !== undefined && (x !== '' || required.includes(k))),
  );
}

/** Resolves the subject of a record or clue: a cadre by id, else a unit by code or name. */
function subjectOf(
  ctx: RowContext,
  withName: boolean,
): { type: 'cadre' | 'unit'; id: string; doc: string; field: string } | undefined {
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

export const CONVERTERS: Record<ImportKind, (ctx: RowContext) => Converted | undefined> = {
  units(ctx) {
    if (ctx.opts.access && !ctx.opts.access.canWrite('workspace')) {
      ctx.add('code', 'import.directoryReadOnly');
      return undefined;
    }
    const parentRaw = ctx.cell('parent');
    // A parent may be named by code or by name; a parent defined in the same file is fine too
    // (the directory cannot know it yet), so unknown parents pass through as codes.
    const parent = parentRaw ? (ctx.opts.directory.unit(parentRaw)?.code ?? normaliseUnitCode(parentRaw)) : undefined;
    const code = ctx.cell('code');
    const value = compact(
      {
        code: code && normaliseUnitCode(code),
        name: ctx.cell('name'),
        aliases: listOf(ctx.cell('aliases')),
        parentCode: parent,
        region: ctx.cell('region'),
        kind: unitKindOf(ctx.cell('kind')),
      },
      ['code', 'name', 'kind'],
    );
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
    const value = compact(
      {
        id: ctx.cell('id'),
        name: ctx.cell('name'),
        aliases: listOf(ctx.cell('aliases')),
        gender: genderOf(ctx.cell('gender')),
        // 出生年月 is kept to the month, as personnel files do; a full date is kept as given.
        birth: birth ? (birth.precision === 'month' ? birth.date.slice(0, 7) : birth.date) : birthRaw,
        unitCode: unit?.code ?? '',
        post: ctx.cell('post'),
        rank: ctx.cell('rank'),
      },
      ['id', 'name', 'gender', 'birth', 'post', 'rank'],
    );
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
    const value = compact(
      {
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
      },
      ['kind', 'decisionDate', 'sourceDept', 'summary'],
    );
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
    const item = ctx.readAs('item', ctx.cell('item'), ctx.vocab.item(ctx.cell('item')));
    const value = compact(
      {
        id: flagKey(subject.id, item, date ?? ''),
        cadreId: subject.id,
        item,
        channel: ctx.readAs('channel', ctx.cell('channel'), ctx.vocab.channel(ctx.cell('channel'))),
        date: date ?? '',
        status: ctx.cell('status')
          ? ctx.readAs('status', ctx.cell('status'), ctx.vocab.flagStatus(ctx.cell('status')))
          : 'reported',
        summary: ctx.cell('summary'),
      },
      ['item', 'channel', 'date', 'summary'],
    );
    return { value, doc: subject.doc, id: (x) => (x as Flag).id, idField: 'cadreId', fieldOf: (_p, f) => f };
  },
  clues(ctx) {
    const subject = subjectOf(ctx, true);
    const received = ctx.date('received');
    const due = ctx.date('due');
    if (!subject) return undefined;
    const summary = ctx.cell('summary');
    const value = compact(
      {
        id: ctx.cell('id') || clueKey(subject.type, subject.id, received ?? '', summary),
        subject: { type: subject.type, id: subject.id },
        summary,
        received: received ?? '',
        source: ctx.cell('source'),
        stage: ctx.readAs('stage', ctx.cell('stage'), ctx.vocab.clueStage(ctx.cell('stage'))),
        assignee: ctx.cell('assignee'),
        due,
        outcome: ctx.cell('outcome'),
      },
      ['summary', 'received', 'source', 'stage'],
    );
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
    if (holderId && !holder)
      ctx.add('holderId', ctx.rosterPartial ? 'import.cadreOutsideAccess' : 'import.unknownCadre');
    if (unitRaw && !unit) ctx.add('unit', 'import.unknownUnit');
    const name = ctx.cell('name');
    if (holder && name && name !== holder.name && !holder.aliases.includes(name))
      ctx.add('name', 'import.nameMismatch');
    if (holder && unit && holder.unitCode !== unit.code) ctx.add('unit', 'import.cardHolderUnit');
    const issuedOn = ctx.date('issuedOn');
    const quarter = ctx
      .cell('quarter')
      .normalize('NFKC')
      .replace(/\s+/g, '')
      .toUpperCase()
      .replace(/^(\d{4})年?第?([1-4])季度?$/, '$1Q$2');
    if ((holderId && !holder) || (unitRaw && !unit)) return undefined;
    const text = ctx.cell('itemText');
    const value = compact(
      {
        id: cardKey(quarter, holder?.id ?? holderId),
        quarter,
        holderId: holder?.id ?? holderId,
        unitCode: unit?.code ?? '',
        issuedOn: issuedOn ?? '',
        items: [
          compact(
            {
              id: cardItemKey(text),
              text,
              state: ctx.cell('state') ? cardStateOf(ctx.cell('state')) : 'pending',
              note: ctx.cell('note'),
            },
            ['text'],
          ),
        ],
      },
      ['quarter', 'holderId', 'issuedOn'],
    );
    return {
      value,
      doc: unit?.code ?? '',
      id: (c) => (c as ReminderCard).id,
      idField: 'holderId',
      fieldOf: (p, f) => (p.startsWith('items') ? ({ text: 'itemText' }[f] ?? f) : ({ unitCode: 'unit' }[f] ?? f)),
    };
  },
};

/** One card per quarter and holder; each row adds an item (a repeated item text is kept once). */
export function mergeCard(cards: Map<string, PreparedEntity>, card: ReminderCard, line: number, doc: string): void {
  const existing = cards.get(card.id);
  if (!existing) {
    cards.set(card.id, { lines: [line], collection: 'cards', doc, id: card.id, value: card });
    return;
  }
  const value = existing.value as ReminderCard;
  existing.lines.push(line);
  for (const item of card.items) if (!value.items.some((i) => i.id === item.id)) value.items.push(item);
}
