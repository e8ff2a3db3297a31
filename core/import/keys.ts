/**
 * Stable keys: the same spreadsheet row always yields the same entity id, so importing a file
 * twice writes nothing new (the accessors' put is a no-op for an equal value). The key is built
 * from what identifies the fact in the department's own terms — for a record, the subject, the
 * kind, the decision date and the 文号 — never from the row's position or the import time.
 *
 * The hash is cyrb53 run with two seeds (~106 bits, far beyond collisions at dossier scale). It is
 * synchronous and pure (crypto.subtle is async and absent from some test environments).
 */

function cyrb53(str: string, seed: number): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < str.length; i++) {
    const ch = str.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** A short stable digest of the parts; the separator cannot occur in trimmed cell text. */
export function stableHash(...parts: readonly string[]): string {
  const s = parts.join('\u241f');
  return cyrb53(s, 1).toString(36).padStart(11, '0') + cyrb53(s, 2).toString(36).padStart(11, '0');
}

export const recordKey = (
  subjectType: string,
  subjectId: string,
  kind: string,
  decisionDate: string,
  docNumber: string,
) => `rec-${stableHash(subjectType, subjectId, kind, decisionDate, docNumber)}`;

export const flagKey = (cadreId: string, item: string, date: string) => `flag-${stableHash(cadreId, item, date)}`;

export const clueKey = (subjectType: string, subjectId: string, received: string, summary: string) =>
  `clue-${stableHash(subjectType, subjectId, received, summary)}`;

export const cardKey = (quarter: string, holderId: string) => `card-${quarter}-${holderId}`;

export const cardItemKey = (text: string) => `item-${stableHash(text)}`;
