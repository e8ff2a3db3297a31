import type { ImportKind } from '../../../core/import/index.ts';
import { ImportLayoutError, importMessage, type Bilingual } from '../../../core/import/index.ts';
import type { FieldError } from '../../../core/model/messages.ts';
import type { UnitCollectionName } from '../../../core/doc/unit-collections.ts';
import { formatNumber, joinClauses } from '../../lib/format.ts';
import { label, t, uiLocale, type MessageKey } from '../../lib/i18n.ts';

/** The import page's words for kinds and counts, from the shared catalogue. */

export const KIND_KEYS: Record<ImportKind, MessageKey> = {
  units: 'import_kindUnits',
  cadres: 'import_kindCadres',
  records: 'import_kindRecords',
  flags: 'import_kindFlags',
  clues: 'import_kindClues',
  cards: 'import_kindCards',
};

export const NOUN_KEYS: Record<UnitCollectionName, MessageKey> = {
  cadres: 'import_nounCadres',
  records: 'import_nounRecords',
  flags: 'import_nounFlags',
  clues: 'import_nounClues',
  cards: 'import_nounCards',
};

type Counts = Record<string, { created: number; updated: number; unchanged: number }>;

export function countsText(counts: Counts): string {
  return joinClauses(
    Object.entries(counts).map(([k, c]) =>
      t(
        'import_counts',
        k in KIND_KEYS ? t(KIND_KEYS[k as ImportKind]) : k,
        formatNumber(c.created),
        formatNumber(c.updated),
        formatNumber(c.unchanged),
      ),
    ),
  );
}

/** A report message (bilingual, from core) in the UI language. */
export const inUiLanguage = (m: Bilingual): string => label(m);

/** An error's message for a person: core's layout errors carry both languages. */
export function errorText(e: unknown): string {
  if (e instanceof ImportLayoutError) return label(e.reason);
  return e instanceof Error ? e.message : String(e);
}

/**
 * Why core refused a batch, in the UI language: its own import messages by key (they name no
 * document), the accessors' messages (already localised) otherwise; each reason once.
 */
export function refusalText(errors: readonly FieldError[]): string {
  return joinClauses([
    ...new Set(errors.map((e) => (e.key.startsWith('import.') ? importMessage(e.key, uiLocale()) : e.message))),
  ]);
}
