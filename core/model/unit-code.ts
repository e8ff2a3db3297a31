import * as v from 'valibot';

/**
 * Unit codes. A code names a unit's documents (`unit:<code>`, `notes:<code>`), and documents are the
 * permission boundary: a grant on `unit:A0*` covers every code starting with A0. So a code must have
 * exactly one spelling. Full-width `Ａ０１`, a Cyrillic `А01`, `A01` with a zero-width space or a NUL
 * would otherwise each be a different document under the same prefix grant, and look the same.
 *
 * The safe alphabet: ASCII capital letters and digits, then up to 63 more of those and `.` `_` `-`.
 * Every code the demo city and the sample files use (DW01, QX04, U01, XS-…) fits it; unified social
 * credit codes and organisation codes do too. Input (spreadsheets, forms) is normalised first:
 * Unicode NFKC (full-width forms become ASCII), surrounding space trimmed, letters upper-cased.
 * Stored values are checked, never rewritten: a code in another spelling reads as invalid.
 */

/**
 * The alphabet as a regular-expression source, for document names and grant patterns (a prefix
 * pattern `unit:A0*` is a code followed by `*`; sync-server/access.ts).
 */
export const UNIT_CODE_SOURCE = '[A-Z0-9][A-Z0-9._-]{0,63}';

const unitCodePattern = new RegExp(`^${UNIT_CODE_SOURCE}$`, 'u');

export function isUnitCode(text: string): boolean {
  return unitCodePattern.test(text);
}

/** The one spelling of a code typed or imported: NFKC, trimmed, upper-case. Check it with `isUnitCode`. */
export function normaliseUnitCode(text: string): string {
  return text.normalize('NFKC').trim().toUpperCase();
}

export const unitCodeSchema = v.pipe(
  v.string('type.string'),
  v.minLength(1, 'required'),
  v.check(isUnitCode, 'unitCode.format'),
);
