import Papa from 'papaparse';
import { decodeText, type Encoding } from './decode.ts';
import { isoFromSpreadsheetDate } from './dates.ts';

/**
 * A spreadsheet as rows of text cells, whatever file it came from. Line numbers are the row
 * numbers a clerk sees when opening the file in Excel or WPS (the first row is 1), so a report
 * saying "第 7 行" points at the row they must fix. Blank rows are dropped but keep their numbers.
 */
export interface TableRow {
  line: number;
  cells: string[];
}

export interface Table {
  /** The raw rows, before a header row is chosen. */
  rows: TableRow[];
  format: 'csv' | 'xlsx';
  encoding?: Encoding;
  sheet?: string;
}

export type FileFormat = 'csv' | 'xlsx';

export function formatOf(fileName: string): FileFormat | undefined {
  const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  if (ext === 'csv' || ext === 'txt') return 'csv';
  if (ext === 'xlsx') return 'xlsx';
  return undefined;
}

/** XLSX is a zip archive: it starts with "PK\x03\x04" whatever the file is called. */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

export async function readTable(bytes: Uint8Array, fileName = '', sheetName?: string): Promise<Table> {
  if (looksLikeZip(bytes) || formatOf(fileName) === 'xlsx') return readXlsx(bytes, sheetName);
  return readCsv(bytes);
}

export function readCsv(bytes: Uint8Array): Table {
  const { text, encoding } = decodeText(bytes);
  return { ...csvRows(text), format: 'csv', encoding };
}

/** Parses CSV text; counts physical lines so a quoted cell spanning lines keeps numbering honest. */
export function csvRows(text: string): { rows: TableRow[] } {
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: false, delimiter: sniffDelimiter(text) });
  const rows: TableRow[] = [];
  let line = 1;
  for (const record of parsed.data) {
    const cells = record.map((c) => (c ?? '').trim());
    if (cells.some((c) => c !== '')) rows.push({ line, cells });
    // A record spans as many physical lines as it contains newlines plus one.
    line += 1 + record.reduce((n, c) => n + ((c ?? '').match(/\r\n|\r|\n/g)?.length ?? 0), 0);
  }
  return { rows };
}

/**
 * Comma, tab (Excel's "Unicode text" and many copy-pastes) or semicolon (Excel in locales with a
 * decimal comma): whichever occurs most in the first lines. Papaparse's own guess prefers the comma
 * whenever every line has the same count of it, including zero, so it misreads tab files.
 */
export function sniffDelimiter(text: string): string {
  const head = text.slice(0, 4096);
  let best = ',';
  let bestCount = 0;
  for (const d of [',', '\t', ';']) {
    const count = head.split(d).length - 1;
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

/** The named worksheet, or the first one with data. exceljs is loaded lazily: it is large and only XLSX needs it. */
export async function readXlsx(bytes: Uint8Array, sheetName?: string): Promise<Table> {
  const ExcelJS = (await import('exceljs')).default;
  const wb = new ExcelJS.Workbook();
  // exceljs accepts an ArrayBuffer in the browser and a Buffer in Node; a fresh ArrayBuffer copy
  // of exactly these bytes works in both.
  await wb.xlsx.load(bytes.slice().buffer as ArrayBuffer);
  const sheet =
    sheetName !== undefined
      ? wb.getWorksheet(sheetName)
      : (wb.worksheets.find((ws) => ws.actualRowCount > 0) ?? wb.worksheets[0]);
  const rows: TableRow[] = [];
  sheet?.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(cellText(row.getCell(c).value));
    if (cells.some((c) => c !== '')) rows.push({ line: rowNumber, cells });
  });
  return { rows, format: 'xlsx', ...(sheet ? { sheet: sheet.name } : {}) };
}

/** The text a clerk sees in a cell, for every value shape exceljs produces. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return isoFromSpreadsheetDate(value);
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (Array.isArray(o.richText))
      return o.richText
        .map((r: { text?: string }) => r.text ?? '')
        .join('')
        .trim();
    if ('result' in o) return cellText(o.result);
    if (typeof o.text === 'string') return o.text.trim();
    if ('error' in o) return '';
  }
  return '';
}
