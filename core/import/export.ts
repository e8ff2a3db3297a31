import * as v from 'valibot';
import type { WorkspaceConfig } from '../model/config.ts';
import { describeIssues, type FieldError, type Locale } from '../model/messages.ts';
import {
  cadreSchema,
  clueSchema,
  flagSchema,
  recordSchema,
  reminderCardSchema,
  unitSchema,
  type Cadre,
  type Clue,
  type DotRecord,
  type Flag,
  type ReminderCard,
  type Unit,
} from '../model/schemas.ts';
import { FIELDS, type ImportKind } from './fields.ts';
import { importMessage } from './messages.ts';
import { STAGE_LABELS } from '../rules/labels.ts';

/**
 * Export of a dossier or of a unit's dossiers. JSON is the faithful form: every entity as the
 * schemas define it, validated again on the way back in, so export → import gives the same
 * entities. The spreadsheet forms use exactly the import's column headers and Chinese labels, so
 * a department can edit an export and send it back through the import (revoked records excepted:
 * their revocation is dossier history, not departmental data, and stays in the JSON form only).
 */

export const EXPORT_FORMAT = 'dossier-lens/export';

export const exportSchema = v.object({
  format: v.literal(EXPORT_FORMAT),
  version: v.literal(1),
  exportedAt: v.pipe(v.string(), v.isoTimestamp('date.format')),
  units: v.array(unitSchema),
  cadres: v.array(cadreSchema),
  records: v.array(recordSchema),
  flags: v.array(flagSchema),
  clues: v.array(clueSchema),
  cards: v.array(reminderCardSchema),
});
export type DossierExport = v.InferOutput<typeof exportSchema>;

export function exportJson(data: DossierExport): string {
  return JSON.stringify(data, null, 2);
}

export function parseExportJson(
  text: string,
  locale: Locale = 'zh-CN',
): { ok: true; value: DossierExport } | { ok: false; errors: FieldError[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return {
      ok: false,
      errors: [
        {
          path: '',
          field: '',
          key: 'json',
          message: importMessage('json', locale),
        },
      ],
    };
  }
  const r = v.safeParse(exportSchema, raw);
  return r.success ? { ok: true, value: r.output } : { ok: false, errors: describeIssues(r.issues, locale) };
}

export interface SheetData {
  kind: ImportKind;
  /** Sheet name / file suffix, in Chinese like the headers. */
  title: string;
  headers: string[];
  rows: string[][];
}

const ZH = {
  colour: { red: '红', blue: '蓝', yellow: '黄', black: '黑' } as Record<string, string>,
  gender: { male: '男', female: '女' } as Record<string, string>,
  recordStatus: { active: '有效', revoked: '已撤销', expired: '已过期' } as Record<string, string>,
  flagStatus: { reported: '已报告', verifying: '核查中', substantiated: '属实', unfounded: '不属实' } as Record<
    string,
    string
  >,
  // Every stage of the clue model, in the words the import reads back (core/import/vocab.ts).
  stage: Object.fromEntries(Object.entries(STAGE_LABELS).map(([id, l]) => [id, l.zh])) as Record<string, string>,
  cardState: { pending: '待落实', done: '已落实', overdue: '逾期' } as Record<string, string>,
  unitKind: {
    party: '党委部门',
    government: '政府部门',
    'people-congress': '人大',
    cppcc: '政协',
    judicial: '政法',
    institution: '事业单位',
    enterprise: '国有企业',
    township: '乡镇街道',
    other: '其他',
  } as Record<string, string>,
};

const headersOf = (kind: ImportKind, keys: string[]) =>
  keys.map((k) => FIELDS[kind].find((f) => f.key === k)!.label.zh);

/** The export as spreadsheets, one per kind of data that has rows. */
export function exportSheets(
  data: DossierExport,
  config: Pick<WorkspaceConfig, 'kinds' | 'negativeList' | 'channels'>,
): SheetData[] {
  const label = (items: readonly { id: string; label: { zh: string } }[], id: string) =>
    items.find((i) => i.id === id)?.label.zh ?? id;
  const cadreName = new Map(data.cadres.map((c) => [c.id, c.name]));
  const subjectCells = (s: { type: string; id: string }) =>
    s.type === 'cadre' ? [s.id, cadreName.get(s.id) ?? '', ''] : ['', '', s.id];
  const sheets: SheetData[] = [];
  const add = (kind: ImportKind, title: string, keys: string[], rows: string[][]) => {
    if (rows.length > 0) sheets.push({ kind, title, headers: headersOf(kind, keys), rows });
  };
  add(
    'units',
    '单位',
    ['code', 'name', 'parent', 'kind', 'region', 'aliases'],
    data.units.map((u: Unit) => [
      u.code,
      u.name,
      u.parentCode ?? '',
      ZH.unitKind[u.kind] ?? u.kind,
      u.region ?? '',
      (u.aliases ?? []).join('、'),
    ]),
  );
  add(
    'cadres',
    '干部',
    ['id', 'name', 'gender', 'birth', 'unit', 'post', 'rank', 'aliases'],
    data.cadres.map((c: Cadre) => [
      c.id,
      c.name,
      ZH.gender[c.gender] ?? c.gender,
      c.birth,
      c.unitCode,
      c.post,
      c.rank,
      (c.aliases ?? []).join('、'),
    ]),
  );
  add(
    'records',
    '记录',
    [
      'cadreId',
      'name',
      'unit',
      'colour',
      'kind',
      'decisionDate',
      'effectiveDate',
      'sourceDept',
      'docNumber',
      'summary',
      'status',
      'probationMonths',
      'rectificationDue',
      'rectifiedOn',
    ],
    data.records.map((r: DotRecord) => [
      ...subjectCells(r.subject),
      ZH.colour[r.colour] ?? r.colour,
      label(config.kinds, r.kind),
      r.decisionDate,
      r.effectiveDate ?? '',
      r.sourceDept,
      r.docNumber ?? '',
      r.summary,
      ZH.recordStatus[r.status] ?? r.status,
      r.probationMonths ? String(r.probationMonths) : '',
      r.rectificationDue ?? '',
      r.rectifiedOn ?? '',
    ]),
  );
  add(
    'flags',
    '负面清单',
    ['cadreId', 'name', 'item', 'channel', 'date', 'status', 'summary'],
    data.flags.map((f: Flag) => [
      f.cadreId,
      cadreName.get(f.cadreId) ?? '',
      label(config.negativeList, f.item),
      label(config.channels, f.channel),
      f.date,
      ZH.flagStatus[f.status] ?? f.status,
      f.summary,
    ]),
  );
  add(
    'clues',
    '问题线索',
    ['id', 'cadreId', 'name', 'unit', 'summary', 'received', 'source', 'stage', 'assignee', 'due', 'outcome'],
    data.clues.map((c: Clue) => [
      c.id,
      ...subjectCells(c.subject),
      c.summary,
      c.received,
      c.source,
      ZH.stage[c.stage] ?? c.stage,
      c.assignee ?? '',
      c.due ?? '',
      c.outcome ?? '',
    ]),
  );
  add(
    'cards',
    '提醒卡',
    ['quarter', 'holderId', 'name', 'unit', 'issuedOn', 'itemText', 'state', 'note'],
    data.cards.flatMap((card: ReminderCard) =>
      card.items.map((i) => [
        card.quarter,
        card.holderId,
        cadreName.get(card.holderId) ?? '',
        card.unitCode,
        card.issuedOn,
        i.text,
        ZH.cardState[i.state] ?? i.state,
        i.note ?? '',
      ]),
    ),
  );
  return sheets;
}

/** CSV in UTF-8 with a BOM: what Excel and WPS on Chinese Windows open without garbling. */
export function sheetToCsv(sheet: Pick<SheetData, 'headers' | 'rows'>): Uint8Array {
  const cell = (c: string) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
  const text = [sheet.headers, ...sheet.rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
  const body = new TextEncoder().encode(text);
  const out = new Uint8Array(body.length + 3);
  out.set([0xef, 0xbb, 0xbf]);
  out.set(body, 3);
  return out;
}

/** One workbook, one worksheet per sheet; every cell is text so ids and dates keep their form. */
export async function sheetsToXlsx(
  sheets: readonly Pick<SheetData, 'title' | 'headers' | 'rows'>[],
): Promise<Uint8Array> {
  const ExcelJS = (await import('exceljs')).default;
  const wb = new ExcelJS.Workbook();
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.title);
    ws.addRow(s.headers).font = { bold: true };
    for (const r of s.rows) ws.addRow(r);
    ws.columns.forEach((c) => (c.numFmt = '@'));
  }
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
