import { AlignmentType, convertMillimetersToTwip, Document, LineRuleType, Packer, Paragraph, TextRun } from 'docx';
import type { Letter } from './letter.ts';

/**
 * The reply letter as a Word file, the form replies usually travel in. Layout after the national
 * standard for official documents (GB/T 9704): A4, margins 37/35/28/26 mm, title in a 宋体-like
 * face at 22 pt, body in 仿宋 at 16 pt (三号) with a two-character first-line indent.
 */

const TITLE_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '宋体' };
const BODY_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '仿宋' };
const BODY_SIZE = 32; // half-points: 16 pt
const INDENT = 640; // twips: two characters at 16 pt

const body = (text: string, opts: { indent?: boolean; bold?: string; align?: (typeof AlignmentType)[keyof typeof AlignmentType]; size?: number } = {}) =>
  new Paragraph({
    ...(opts.align ? { alignment: opts.align } : {}),
    ...(opts.indent ? { indent: { firstLine: INDENT } } : {}),
    // Fixed 28 pt lines, the usual spacing of official documents at 三号.
    spacing: { line: 560, lineRule: LineRuleType.EXACT },
    children: [
      ...(opts.bold ? [new TextRun({ text: opts.bold, bold: true, font: BODY_FONT, size: opts.size ?? BODY_SIZE })] : []),
      new TextRun({ text, font: BODY_FONT, size: opts.size ?? BODY_SIZE }),
    ],
  });

export function letterDocument(letter: Letter): Document {
  const people = letter.people.flatMap((p, i) => [
    body(`${p.unitPost ? `（${p.unitPost}）` : ''}：${p.opinion}`, { indent: true, bold: `${i + 1}．${p.name}` }),
    ...p.reasons.map((r) => body(r, { indent: true, size: 28 })),
  ]);
  return new Document({
    creator: 'Dossier Lens',
    title: letter.title,
    sections: [
      {
        properties: {
          page: {
            // A4 in twips, Word's own values (converting 210 × 297 mm rounds each down by one).
            size: { width: 11906, height: 16838 },
            margin: {
              top: convertMillimetersToTwip(37),
              bottom: convertMillimetersToTwip(35),
              left: convertMillimetersToTwip(28),
              right: convertMillimetersToTwip(26),
            },
          },
        },
        children: [
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { after: 240 },
            children: [new TextRun({ text: letter.title, bold: true, font: TITLE_FONT, size: 44 })],
          }),
          body(letter.to),
          body(letter.intro, { indent: true }),
          ...people,
          body(letter.closing, { indent: true }),
          new Paragraph({ text: '' }),
          body(letter.date, { align: AlignmentType.RIGHT }),
        ],
      },
    ],
  });
}

export function letterBlob(letter: Letter): Promise<Blob> {
  return Packer.toBlob(letterDocument(letter));
}
