/**
 * The unit codes `openUnits()` opened last, kept beside the workspace document on this device, so
 * that the next start (workspace.ts) can begin loading them while the directory that decides is
 * itself still loading. A damaged list is an empty one: it only costs the head start.
 */

export const UNIT_LIST_KEY = 'openedUnits';

export function encodeUnitList(codes: readonly string[]): string {
  return JSON.stringify(codes);
}

export function decodeUnitList(text: string | undefined): string[] {
  if (!text) return [];
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.filter((c): c is string => typeof c === 'string') : [];
  } catch {
    return [];
  }
}
