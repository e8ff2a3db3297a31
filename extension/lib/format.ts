import { t, uiLocale } from './i18n.ts';

/**
 * Dates, times and numbers in the language the user chose (not the browser's: an officer may run
 * an English browser with the Chinese interface, or the other way round). One place, so every view
 * writes "2025年6月1日" in Chinese and "Jun 1, 2025" in English.
 */

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function formatter<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
  const k = `${uiLocale()}|${key}`;
  let f = cache.get(k);
  if (!f) cache.set(k, (f = make()));
  return f as T;
}

/** A moment (ISO timestamp) with date and time, in the user's time zone. */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return formatter(
    'datetime',
    () => new Intl.DateTimeFormat(uiLocale(), { dateStyle: 'medium', timeStyle: 'short' }),
  ).format(d);
}

/** A civil date (YYYY-MM-DD or YYYY-MM), as written in the dossier: no time zone shift. */
export function formatDate(date: string): string {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(date);
  if (!m) return date;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3] ?? '1')));
  const style = m[3] ? 'day' : 'month';
  return formatter(
    style,
    () =>
      new Intl.DateTimeFormat(
        uiLocale(),
        style === 'day'
          ? { dateStyle: 'medium', timeZone: 'UTC' }
          : { year: 'numeric', month: 'long', timeZone: 'UTC' },
      ),
  ).format(d);
}

export function formatNumber(n: number): string {
  return formatter('number', () => new Intl.NumberFormat(uiLocale())).format(n);
}

/** Several messages in one line: "；" in Chinese, "; " in English. */
export function joinClauses(parts: readonly string[]): string {
  return parts.join(t('clauseSeparator'));
}

/** A list of names or labels: "、" in Chinese, ", " in English. */
export function joinList(parts: readonly string[]): string {
  return parts.join(t('listSeparator'));
}
