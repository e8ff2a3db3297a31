import {
  AlignmentType,
  BorderStyle,
  Document,
  LineRuleType,
  PageBreak,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { ReplyLetter } from './reply-letter.ts';
import { OFFICIAL_PAGE } from './word-page.ts';

/**
 * The reply letter as a Word document laid out after GB/T 9704-2012 (党政机关公文格式): A4 with
 * margins 37/35/28/26 mm (type area 156 × 225 mm); the issuing organ in red 小标宋 above a red
 * rule, the 发文字号 under it; the title in 2号小标宋 (22 pt); the body in 3号仿宋 (16 pt) with a
 * two-character first-line indent on fixed 28-pt lines, first-level headings in 黑体 and second-level
 * in 楷体; organ and date right-aligned above where the seal goes; the 附注 in parentheses; the
 * attachment on its own page. The same file from the page and from the command line.
 */

const latin = { ascii: 'Times New Roman', hAnsi: 'Times New Roman' };
const FONT = {
  title: { ...latin, eastAsia: '方正小标宋简体' },
  body: { ...latin, eastAsia: '仿宋_GB2312' },
  heading1: { ...latin, eastAsia: '黑体' },
  heading2: { ...latin, eastAsia: '楷体_GB2312' },
};
const RED = 'C00000';
const SIZE = { organ: 52, title: 44, body: 32, table: 24 }; // half-points
const INDENT = 640; // twips: two characters at 16 pt
const LINE = { line: 560, lineRule: LineRuleType.EXACT }; // 28 pt: 22 lines on the type area

type Align = (typeof AlignmentType)[keyof typeof AlignmentType];

function para(
  text: string,
  opts: { font?: keyof typeof FONT; indent?: boolean; align?: Align; right?: number; size?: number } = {},
): Paragraph {
  return new Paragraph({
    ...(opts.align ? { alignment: opts.align } : {}),
    indent: { ...(opts.indent ? { firstLine: INDENT } : {}), ...(opts.right ? { right: opts.right } : {}) },
    spacing: LINE,
    children: [new TextRun({ text, font: FONT[opts.font ?? 'body'], size: opts.size ?? SIZE.body })],
  });
}

function cell(text: string, header: boolean, width: number): TableCell {
  return new TableCell({
    width: { size: width, type: WidthType.PERCENTAGE },
    children: [
      new Paragraph({
        children: [new TextRun({ text, bold: header, font: FONT[header ? 'heading1' : 'body'], size: SIZE.table })],
      }),
    ],
  });
}

const COLUMN_WIDTHS = [8, 12, 25, 13, 42];

export function letterDocument(letter: ReplyLetter): Document {
  const head = [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      children: [new TextRun({ text: letter.organ, font: FONT.title, size: SIZE.organ, color: RED })],
    }),
    // The red rule under the organ mark, with the 发文字号 right-aligned just below it.
    new Paragraph({ border: { bottom: { style: BorderStyle.DOUBLE, size: 6, color: RED, space: 1 } }, children: [] }),
    para(letter.replyNo, { align: AlignmentType.RIGHT, right: INDENT / 2 }),
    new Paragraph({ spacing: LINE, children: [] }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { ...LINE, after: 280 },
      children: [new TextRun({ text: letter.title, font: FONT.title, size: SIZE.title })],
    }),
    para(letter.addressee),
    para(letter.opening, { indent: true }),
  ];
  const body = letter.sections.flatMap((s) => [
    para(s.heading, { indent: true, font: 'heading1' }),
    ...(s.paragraph ? [para(s.paragraph, { indent: true })] : []),
    ...s.people.flatMap((p) => [
      para(p.heading, { indent: true, font: 'heading2' }),
      ...p.lines.map((l) => para(l, { indent: true })),
    ]),
  ]);
  const tail = [
    ...(letter.unknown ? [para(letter.unknown, { indent: true })] : []),
    para(letter.closing, { indent: true }),
    new Paragraph({ spacing: LINE, children: [] }),
    para(letter.attachmentNote, { indent: true }),
    new Paragraph({ spacing: LINE, children: [] }),
    new Paragraph({ spacing: LINE, children: [] }),
    para(letter.signature, { align: AlignmentType.RIGHT, right: INDENT * 2 }),
    para(letter.date, { align: AlignmentType.RIGHT, right: INDENT * 2 }),
    new Paragraph({ spacing: LINE, children: [] }),
    para(letter.note, { indent: true }),
  ];
  const attachment = [
    new Paragraph({ children: [new PageBreak()] }),
    para('附件', { font: 'heading1' }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { ...LINE, after: 200 },
      children: [new TextRun({ text: letter.attachment.title, font: FONT.title, size: SIZE.title })],
    }),
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [
        new TableRow({
          tableHeader: true,
          children: letter.attachment.header.map((h, i) => cell(h, true, COLUMN_WIDTHS[i] ?? 20)),
        }),
        ...letter.attachment.rows.map(
          (r) => new TableRow({ children: r.map((c, i) => cell(c, false, COLUMN_WIDTHS[i] ?? 20)) }),
        ),
      ],
    }),
  ];
  return new Document({
    creator: letter.organ,
    title: letter.title,
    sections: [
      {
        properties: { page: OFFICIAL_PAGE },
        children: [...head, ...body, ...tail, ...attachment],
      },
    ],
  });
}
