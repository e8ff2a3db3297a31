import { t } from '../../lib/i18n.ts';
import { paren } from '../city/labels.ts';
import { watermarkPng } from '../city/watermark.ts';
import { heading, officialDocument, para, table, title, toBlob } from '../city/word.ts';
import type { DossierSheet } from './dossier-sheet.ts';

/** The printable dossier as a Word file: the same sections as the print view, the printer's watermark on every page. */
export async function dossierWord(sheet: DossierSheet, stamp: string): Promise<Blob> {
  const children = [
    title(sheet.title),
    heading(t('dossier_basic')),
    table(
      [t('dossier_field'), t('dossier_value')],
      sheet.facts.map((f) => [f.label, f.value]),
    ),
  ];
  for (const s of sheet.sections) {
    children.push(heading(s.title));
    for (const line of s.lines) children.push(para(line));
    if (s.table && s.table.rows.length > 0)
      children.push(
        table(
          s.table.columns,
          s.table.rows.map((r) =>
            r.struck ? r.cells.map((c, i) => (i === 0 ? `${c}${paren(t('revoked'))}` : c)) : r.cells,
          ),
        ),
      );
    else if (s.lines.length === 0 && s.empty) children.push(para(s.empty));
  }
  return toBlob(officialDocument({ title: sheet.title, children, stamp, watermark: await watermarkPng(stamp) }));
}
