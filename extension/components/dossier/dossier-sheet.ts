import { lookupOf, withReadableRefs } from '../../../core/analysis/reference-labels.ts';
import type { CadreRow } from '../../../core/analysis/rows.ts';
import type { WorkspaceConfig } from '../../../core/model/config.ts';
import type { Colour } from '../../../core/model/vocabulary.ts';
import { explain } from '../../../core/rules/explain.ts';
import { label, t, uiLocale } from '../../lib/i18n.ts';
import {
  colourLabel,
  date,
  flagStatusLabel,
  gradeLabel,
  itemLabel,
  kindLabel,
  paren,
  rankLabel,
} from '../city/labels.ts';
import { DOT_GLYPH } from '../sidepanel/dots.ts';
import { cardSection, clueSections } from './work-sections.ts';

/**
 * One cadre's 廉政档案 as the sections such files have: basic information, grade and its reasons,
 * warnings, running influence periods, records by colour (date, kind, document number, source,
 * summary; revoked ones marked with who and why), negative-list items, clues and the steps taken on
 * them, reminder cards and their follow-ups (work-sections.ts). One model for the print view and the
 * Word file, so both say the same. Record ids never appear: a record is its date, kind and document
 * number.
 */

export interface SheetSection {
  id: string;
  title: string;
  /** Lines of text (reasons, warnings, periods), or a table, or both; `empty` when neither. */
  lines: string[];
  table?: { columns: string[]; rows: { cells: string[]; struck?: boolean }[] };
  empty: string;
}

export interface DossierSheet {
  title: string;
  facts: { label: string; value: string }[];
  sections: SheetSection[];
}

const ORDER: Colour[] = ['black', 'yellow', 'red', 'blue'];

export function dossierSheet(row: CadreRow, config: WorkspaceConfig): DossierSheet {
  const locale = uiLocale();
  const vocab = { kinds: config.kinds, negativeList: config.negativeList };
  const look = lookupOf(row);
  const say = (r: Parameters<typeof withReadableRefs>[0]) => explain(withReadableRefs(r, look, locale), locale, vocab);
  const channel = (id: string) => {
    const c = config.channels.find((x) => x.id === id);
    return c ? label(c.label) : id;
  };
  const gender = row.gender ? t(row.gender === 'male' ? 'dossier_male' : 'dossier_female') : '—';
  const sections: SheetSection[] = [
    {
      id: 'grade',
      title: t('dossier_gradeHeading', row.grade, gradeLabel(config, row.grade)),
      lines: row.reasons.map(say),
      empty: '',
    },
    { id: 'warnings', title: t('dossier_warnings'), lines: row.warnings.map(say), empty: t('dossier_none') },
    { id: 'periods', title: t('dossier_periods'), lines: row.periods.map(say), empty: t('dossier_none') },
    ...ORDER.map((colour): SheetSection => {
      const records = row.allRecords.filter((r) => r.colour === colour);
      const standing = records.filter((r) => r.status !== 'revoked').length;
      return {
        id: `records-${colour}`,
        title: `${DOT_GLYPH[colour]} ${colourLabel(colour)}${paren(standing)}`,
        lines: [],
        table: {
          columns: [
            t('dossier_colDate'),
            t('dossier_colKind'),
            t('dossier_colDocNumber'),
            t('dossier_colSource'),
            t('dossier_colSummary'),
          ],
          rows: records.map((r) => ({
            cells: [
              date(r.decisionDate),
              kindLabel(config, r.kind),
              r.docNumber ?? '—',
              r.sourceDept,
              r.revoked ? `${r.summary}${paren(t('dossier_revoked', r.revoked.reason))}` : r.summary,
            ],
            struck: r.status === 'revoked',
          })),
        },
        empty: t('dossier_none'),
      };
    }),
    {
      id: 'flags',
      title: t('dossier_flags'),
      lines: [],
      table: {
        columns: [
          t('dossier_colDate'),
          t('dossier_colItem'),
          t('dossier_colChannel'),
          t('dossier_colStatus'),
          t('dossier_colSummary'),
        ],
        rows: row.flags.map((f) => ({
          cells: [date(f.date), itemLabel(config, f.item), channel(f.channel), flagStatusLabel(f.status), f.summary],
        })),
      },
      empty: t('dossier_none'),
    },
    ...clueSections(row),
    cardSection(row, config),
  ];
  return {
    title: t('dossier_sheetTitle', row.name),
    facts: [
      { label: t('search_colName'), value: row.name },
      { label: t('dossier_gender'), value: gender },
      { label: t('dossier_birth'), value: row.birth ?? '—' },
      { label: t('search_xId'), value: row.id },
      { label: t('analysis_unit'), value: row.unitName },
      { label: t('search_xPost'), value: row.post || '—' },
      { label: t('search_colRank'), value: rankLabel(row.rank) },
      { label: t('dossier_dots'), value: ORDER.map((c) => `${colourLabel(c)} ${row.dots[c]}`).join('  ') },
    ],
    sections,
  };
}
