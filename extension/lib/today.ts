import { fromParts, type IsoDate } from '../../core/dates.ts';

/**
 * Today on this device's calendar: the same clock the sync library grades by (core/sync uses
 * the local date), so a flag substantiated "today" counts today, whatever the time zone.
 */
export function localToday(now: Date = new Date()): IsoDate {
  return fromParts(now.getFullYear(), now.getMonth() + 1, now.getDate());
}
