/**
 * Calendar dates as ISO strings (YYYY-MM-DD). Dossier dates are civil dates without a time zone:
 * a sanction approved "2018-06-15" is that date everywhere, so we never go through `Date` with a
 * local zone. Strings compare correctly with `<`, which keeps rule code plain.
 */

export type IsoDate = string;

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Every stored date is checked on every read (core/doc), so this avoids `exec`'s match array and a
 * `Date`: once the shape is known, the digits are read straight from the string.
 */
export function isIsoDate(s: string): boolean {
  if (!ISO.test(s)) return false;
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 7);
  const d = digits(s, 8, 10);
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

/** The number written in s[from, to), which the caller knows to be ASCII digits. */
function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + s.charCodeAt(i) - 48;
  return n;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in a month (1–12) of the proleptic Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function parts(date: IsoDate): [number, number, number] {
  const m = ISO.exec(date);
  if (!m) throw new RangeError(`not an ISO date: ${date}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

export function fromParts(y: number, m: number, d: number): IsoDate {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * Adds calendar months; a day that does not exist in the target month clamps to its last day
 * (2019-08-31 + 6 months = 2020-02-29), the way periods "from the approval date" are counted.
 */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const [y, m, d] = parts(date);
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  return fromParts(ny, nm, Math.min(d, daysInMonth(ny, nm)));
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const [y, m, d] = parts(date);
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return fromParts(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

export function daysBetween(from: IsoDate, to: IsoDate): number {
  const [y1, m1, d1] = parts(from);
  const [y2, m2, d2] = parts(to);
  return Math.round((Date.UTC(y2, m2 - 1, d2) - Date.UTC(y1, m1 - 1, d1)) / 86_400_000);
}

export function yearOf(date: IsoDate): number {
  return parts(date)[0];
}

export function minDate(a: IsoDate, b: IsoDate): IsoDate {
  return a < b ? a : b;
}

export function maxDate(a: IsoDate, b: IsoDate): IsoDate {
  return a > b ? a : b;
}

/**
 * Today: the calendar date in China Standard Time (Asia/Shanghai), where the dossiers are kept.
 * This is the one "today" of the product — what rules evaluate on, what a date may not lie after,
 * what a page prints as 截至 — so every device and every officer agree on which day it is, whatever
 * the device's own time zone: an influence period ends on the same day for everyone, and an index
 * cached on one device stays valid on another (docs/decisions.md, "Today"). `timeZone` exists for
 * tests and for the rare question about another zone.
 */
export function today(timeZone = 'Asia/Shanghai', now: Date = new Date()): IsoDate {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
