import * as v from 'valibot';
import * as Y from 'yjs';
import type { Locale } from '../model/messages.ts';
import type { SubjectSummary } from '../model/summary.ts';
import { COLOURS } from '../model/vocabulary.ts';

/**
 * The local index of a unit, kept beside its document on this device, so a restarted background
 * (an MV3 service worker wakes often) can badge pages before it has re-run the rules over every
 * dossier. An entry is used only when its stamp matches: the same unit and workspace documents
 * (snapshots, so deletions count too), date and language. It is shown first and recomputed soon
 * after anyway, so a change in the rules themselves (a new extension version) corrects itself.
 */

export const INDEX_CACHE_KEY = 'indexCache';

/** FNV-1a over the bytes: a change detector, not a security measure. */
function fnv1a(parts: readonly Uint8Array[]): string {
  let h = 0x811c9dc5;
  for (const bytes of parts) {
    for (let i = 0; i < bytes.length; i++) {
      h ^= bytes[i]!;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    h ^= 0xff;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

export function indexStamp(unitDoc: Y.Doc, workspaceDoc: Y.Doc, asOf: string, locale: Locale): string {
  const text = new TextEncoder().encode(`${asOf}|${locale}`);
  const unitSnap = Y.encodeSnapshot(Y.snapshot(unitDoc));
  const wsSnap = Y.encodeSnapshot(Y.snapshot(workspaceDoc));
  // Two hashes with different seeds' worth of input order make accidental collisions negligible.
  return `${fnv1a([text, unitSnap, wsSnap])}${fnv1a([wsSnap, unitSnap, text])}:${unitSnap.length}:${wsSnap.length}`;
}

const summarySchema = v.object({
  type: v.picklist(['cadre', 'unit']),
  id: v.string(),
  name: v.string(),
  aliases: v.array(v.string()),
  unitCode: v.string(),
  unitName: v.string(),
  post: v.optional(v.string()),
  dots: v.object(
    Object.fromEntries(COLOURS.map((c) => [c, v.number()])) as Record<
      (typeof COLOURS)[number],
      v.NumberSchema<undefined>
    >,
  ),
  grade: v.string(),
  gradeReason: v.string(),
  warnings: v.array(v.string()),
  flags: v.number(),
  periods: v.array(v.string()),
  endedPeriods: v.optional(v.array(v.string())),
  invalid: v.number(),
});
const cacheSchema = v.object({ stamp: v.string(), entries: v.array(summarySchema) });

export function encodeIndexCache(stamp: string, entries: readonly SubjectSummary[]): string {
  return JSON.stringify({ stamp, entries });
}

/** The cached entries if `text` is a well-formed cache with this stamp; otherwise undefined. */
export function decodeIndexCache(text: unknown, stamp: string): SubjectSummary[] | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    const parsed = v.safeParse(cacheSchema, JSON.parse(text));
    return parsed.success && parsed.output.stamp === stamp ? parsed.output.entries : undefined;
  } catch {
    return undefined;
  }
}
