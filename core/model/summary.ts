import type { Colour } from './vocabulary.ts';

/**
 * What the overlay and search need to know about one cadre or unit: the local index entry.
 * Built by the sync layer from the dossier documents and the rules; strings are already in the
 * user's language, so the content script only displays them and never needs the rules engine.
 */
export interface SubjectSummary {
  type: 'cadre' | 'unit';
  id: string;
  name: string;
  aliases: string[];
  /** For a cadre: the unit that manages them. For a unit: itself. */
  unitCode: string;
  unitName: string;
  post?: string;
  /** Dots that count (active, not revoked), by colour. */
  dots: Record<Colour, number>;
  /** Grade id from the workspace's scheme, e.g. "D", and its one-line reason. */
  grade: string;
  gradeReason: string;
  /** One line per active warning, naming its trigger. */
  warnings: string[];
  /** Negative-list flags that are not unfounded. */
  flags: number;
  /** One line per influence period still running, with its end date and what it blocks. */
  periods: string[];
  /**
   * Sanctions whose influence period is over, one line each ("党内严重警告 2020-07-21，影响期已满"):
   * the card says so beside a black dot that no longer restricts anyone. Absent in older indexes.
   */
  endedPeriods?: string[];
  /** Entries in this subject's dossier that failed validation (shown, never hidden). */
  invalid: number;
}
