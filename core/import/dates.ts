import { fromParts, isIsoDate, type IsoDate } from '../dates.ts';

/**
 * Dates as clerks type them into spreadsheets:
 *   2019-06-12 · 2019/6/12 · 2019年6月12日 · 2019.06.12 · 2019.6.12 · 20190612
 *   and month-only forms 2019-06 · 2019/6 · 2019年6月 · 2019.06 · 201906
 * Full-width digits and punctuation (２０１９／６／１２) are normalised first (NFKC).
 *
 * Month-only dates are taken as the FIRST day of the month. Why the first: it is the convention of
 * personnel files (出生年月 and 任职时间 are kept to the month and read as the month's start), it can
 * never turn a date typed in the current month into a "future" date, and it is stable (the same
 * text always gives the same day, which keeps import keys stable). The import report carries a
 * note for every such cell, so an officer who needs the exact day (influence periods run from it)
 * sees which rows to complete.
 */

export type DatePrecision = 'day' | 'month';

export interface ClerkDate {
  date: IsoDate;
  precision: DatePrecision;
}

const SEP = '[-/.年]';
const FULL = new RegExp(`^(\\d{4})${SEP}\\s*(\\d{1,2})\\s*[-/.月]\\s*(\\d{1,2})\\s*日?$`);
const MONTH = new RegExp(`^(\\d{4})${SEP}\\s*(\\d{1,2})\\s*月?$`);
const COMPACT_DAY = /^(\d{4})(\d{2})(\d{2})$/;
const COMPACT_MONTH = /^(\d{4})(\d{2})$/;

/** Returns the ISO date for what a clerk typed, or undefined when it is not a date we can read. */
export function parseClerkDate(raw: string): ClerkDate | undefined {
  const s = raw.normalize('NFKC').replace(/\s+/g, '');
  if (!s) return undefined;
  const day = FULL.exec(s) ?? COMPACT_DAY.exec(s);
  if (day) return checked(Number(day[1]), Number(day[2]), Number(day[3]), 'day');
  const month = MONTH.exec(s) ?? COMPACT_MONTH.exec(s);
  if (month) return checked(Number(month[1]), Number(month[2]), 1, 'month');
  return undefined;
}

function checked(y: number, m: number, d: number, precision: DatePrecision): ClerkDate | undefined {
  if (y < 1900 || y > 2999) return undefined;
  const date = fromParts(y, m, d);
  return isIsoDate(date) ? { date, precision } : undefined;
}

/** A JS Date from a spreadsheet cell (exceljs gives date cells as UTC midnight) to an ISO date. */
export function isoFromSpreadsheetDate(d: Date): IsoDate {
  return fromParts(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}
