import * as v from 'valibot';
import { ALERT_KINDS, type AlertKind } from '../../core/model/alert.ts';
import { storedItem } from './stored-item.ts';

/**
 * This device's alert preferences (options page, 预警提醒): a browser notification per kind of
 * alert (on by default; the inbox and the toolbar count stay whatever is chosen), and the optional
 * one-line summary in the overlay on portal pages (off by default). Kept in storage.local; the
 * overlay's content script reads `pageSummary` only.
 */

export const alertSettingsSchema = v.object({
  notify: v.optional(
    v.object(
      Object.fromEntries(ALERT_KINDS.map((k) => [k, v.optional(v.boolean(), true)])) as Record<
        AlertKind,
        v.OptionalSchema<v.BooleanSchema<undefined>, true>
      >,
    ),
    {},
  ),
  pageSummary: v.optional(v.boolean(), false),
});
export type AlertSettings = v.InferOutput<typeof alertSettingsSchema>;

const settingsItem = storedItem('alertSettings', alertSettingsSchema);

/** Nothing stored yet (or something unreadable) reads as the defaults. */
export async function readAlertSettings(): Promise<AlertSettings> {
  return (await settingsItem.get()) ?? v.parse(alertSettingsSchema, {});
}

export const writeAlertSettings = (settings: AlertSettings): Promise<void> => settingsItem.set(settings);
export const onAlertSettingsChange = (cb: () => void): (() => void) => settingsItem.watch(cb);

const checkSchema = v.object({ at: v.pipe(v.string(), v.isoTimestamp()), announced: v.number() });
export type AlertCheck = v.InferOutput<typeof checkSchema>;
const checkItem = storedItem('alertCheck', checkSchema);

/** When this device last evaluated the alerts, and how many it announced (the inbox shows it). */
export const writeAlertCheck = (check: AlertCheck): Promise<void> => checkItem.set(check);
export const readAlertCheck = (): Promise<AlertCheck | undefined> => checkItem.get();
export const onAlertCheck = (cb: () => void): (() => void) => checkItem.watch(cb);

const deviceItem = storedItem('deviceId', v.pipe(v.string(), v.minLength(1)));

/** A random id for this browser profile: which device claimed an alert (core/analysis/alert-claims.ts). */
export async function deviceId(): Promise<string> {
  const stored = await deviceItem.get();
  if (stored) return stored;
  const id = crypto.randomUUID();
  await deviceItem.set(id);
  return id;
}
