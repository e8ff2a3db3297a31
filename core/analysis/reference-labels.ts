import { formatDate, pick, type Label, type Locale } from '../model/i18n.ts';
import type { Clue, DotRecord, Flag } from '../model/schemas.ts';
import type { Reason } from '../rules/reasons.ts';

/**
 * Reasons name what they rest on by id (a record, a clue, a flag), which is right for the data and
 * wrong for a person: officers refer to a record by its document number (文号, 澜纪发〔2018〕12号) or
 * its date, to a clue by what it reports. `withReadableRefs` swaps each id in a reason for that
 * label before `explain` words it, so no internal id reaches a page (ids stay in tooltips and in
 * exports' own id columns).
 */

export interface RefLookup {
  record(id: string): DotRecord | undefined;
  clue(id: string): Clue | undefined;
  flag(id: string): Flag | undefined;
}

export function lookupOf(data: {
  allRecords?: readonly DotRecord[];
  records?: readonly DotRecord[];
  clues: readonly Clue[];
  flags?: readonly Flag[];
}): RefLookup {
  const records = new Map((data.allRecords ?? data.records ?? []).map((r) => [r.id, r]));
  const clues = new Map(data.clues.map((c) => [c.id, c]));
  const flags = new Map((data.flags ?? []).map((f) => [f.id, f]));
  return { record: (id) => records.get(id), clue: (id) => clues.get(id), flag: (id) => flags.get(id) };
}

const short = (s: string, n = 24) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** What stands in for a reference whose entity is missing or invalid. */
const UNREADABLE = {
  record: { zh: '（记录不可读）', en: '(unreadable record)' },
  clue: { zh: '（线索不可读）', en: '(unreadable clue)' },
  flag: { zh: '（事项不可读）', en: '(unreadable item)' },
} as const satisfies Record<string, Label>;

export function recordLabel(r: DotRecord | undefined, locale: Locale): string {
  if (!r) return pick(UNREADABLE.record, locale);
  return r.docNumber ?? formatDate(r.decisionDate, locale);
}

/** A clue by what it reports; the quotation marks are the same in both locales. */
export function clueLabel(c: Clue | undefined, locale: Locale): string {
  if (!c) return pick(UNREADABLE.clue, locale);
  return `“${short(c.summary)}”`;
}

export function flagLabel(f: Flag | undefined, locale: Locale): string {
  if (!f) return pick(UNREADABLE.flag, locale);
  return short(f.summary);
}

export function withReadableRefs<R extends Reason>(reason: R, lookup: RefLookup, locale: Locale): R {
  const recs = (ids: readonly string[]) => ids.map((id) => recordLabel(lookup.record(id), locale));
  switch (reason.code) {
    case 'period':
    case 'appraisal':
    case 'note-measure':
    case 'unknown-kind':
      return { ...reason, records: recs(reason.records) };
    case 'investigation':
      return { ...reason, clue: clueLabel(lookup.clue(reason.clue), locale) };
    case 'warning': {
      const refs =
        reason.trigger === 'open-clue'
          ? reason.refs.map((id) => clueLabel(lookup.clue(id), locale))
          : reason.trigger === 'substantiated-flag'
            ? reason.refs.map((id) => flagLabel(lookup.flag(id), locale))
            : recs(reason.refs);
      return { ...reason, refs };
    }
    case 'grade':
      return reason.cause ? { ...reason, cause: withReadableRefs(reason.cause, lookup, locale) } : reason;
    case 'clear':
      return reason;
  }
}
