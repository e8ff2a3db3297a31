/**
 * Ids for entities created on this device. Random, so two officers offline at the same time
 * never pick the same id (their records must both survive the merge); the prefix says what it is.
 */
export function newId(prefix: string): string {
  return `${prefix}-${crypto.randomUUID()}`;
}
