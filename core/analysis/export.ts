import Papa from 'papaparse';
import { sheetsToXlsx } from '../import/export.ts';

/**
 * A result list for the organisation department, as CSV or XLSX. Cells are names, posts and
 * summaries people typed, so a cell may begin with `=`, `+`, `-`, `@` or a tab: spreadsheet
 * programs run such a CSV cell as a formula (CSV injection; `=HYPERLINK(...)` or worse). CSV cells
 * get papaparse's `escapeFormulae` (a leading `'`, which Excel and WPS show as text); XLSX cells
 * are written as typed text (never as formulas), which no spreadsheet program evaluates.
 */

export interface Table {
  title: string;
  headers: string[];
  rows: string[][];
}

/** CSV in UTF-8 with a BOM (what Excel and WPS on Chinese Windows open without garbling). */
export function tableToCsv(table: Pick<Table, 'headers' | 'rows'>): Uint8Array {
  const text = Papa.unparse({ fields: table.headers, data: table.rows }, { escapeFormulae: true, newline: '\r\n' });
  const body = new TextEncoder().encode(text + '\r\n');
  const out = new Uint8Array(body.length + 3);
  out.set([0xef, 0xbb, 0xbf]);
  out.set(body, 3);
  return out;
}

export function tableToXlsx(table: Table): Promise<Uint8Array> {
  // Worksheet names may not hold []:*?/\ and are at most 31 characters.
  return sheetsToXlsx([
    {
      ...table,
      title:
        table.title
          .replace(/[[\]:*?/\\]/g, ' ')
          .slice(0, 31)
          .trim() || 'Sheet1',
    },
  ]);
}
