import * as v from 'valibot';
import { browser } from 'wxt/browser';
import { ALERT_KINDS, type AlertKind } from '../../core/model/alert.ts';

/**
 * This device's alert preferences (options page, 预警提醒): a browser notification per kind of
 * alert (on by default; the inbox and the toolbar count stay whatever is chosen), and the optional
 * one-line summary in the overlay on portal pages (off by default). Kept in storage.local; the
 * overlay's content script reads `pageSummary` only.
 */

const KEY = 'alertSettings';

export const alertSettingsSchema = v.object({
  notify: v.optional(v.object(Object.fromEntries(ALERT_KINDS.map((k) => [k, v.optional(v.boolean(), true)])) as Record<AlertKind, v.OptionalSchema<v.BooleanSchema<undefined>, true>>), {}),
  pageSummary: v.optional(v.boolean(), false),
});
export type AlertSettings = v.InferOutput<typeof alertSettingsSchema>;

export async function readAlertSettings(): Promise<AlertSettings> {
  const raw = (await browser.storage.local.get(KEY))[KEY];
  const parsed = v.safeParse(alertSettingsSchema, raw ?? {});
  return parsed.success ? parsed.output : v.parse(alertSettingsSchema, {});
}

export async function writeAlertSettings(settings: AlertSettings): Promise<void> {
  await browser.storage.local.set({ [KEY]: settings });
}

export function onAlertSettingsChange(cb: () => void): () => void {
  const listener = (changes: Record<string, unknown>, area: string) => {
    if (area === 'local' && KEY in changes) cb();
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}

const CHECK_KEY = 'alertCheck';
const checkSchema = v.object({ at: v.pipe(v.string(), v.isoTimestamp()), announced: v.number() });
export type AlertCheck = v.InferOutput<typeof checkSchema>;

/** When this device last evaluated the alerts, and how many it announced (the inbox shows it). */
export async function writeAlertCheck(check: AlertCheck): Promise<void> {
  await browser.storage.local.set({ [CHECK_KEY]: check });
}

export async function readAlertCheck(): Promise<AlertCheck | undefined> {
  const parsed = v.safeParse(checkSchema, (await browser.storage.local.get(CHECK_KEY))[CHECK_KEY]);
  return parsed.success ? parsed.output : undefined;
}

export function onAlertCheck(cb: () => void): () => void {
  const listener = (changes: Record<string, unknown>, area: string) => {
    if (area === 'local' && CHECK_KEY in changes) cb();
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}

const DEVICE_KEY = 'deviceId';

/** A random id for this browser profile: which device claimed an alert (core/analysis/alert-claims.ts). */
export async function deviceId(): Promise<string> {
  const raw = (await browser.storage.local.get(DEVICE_KEY))[DEVICE_KEY];
  if (typeof raw === 'string' && raw) return raw;
  const id = crypto.randomUUID();
  await browser.storage.local.set({ [DEVICE_KEY]: id });
  return id;
}
