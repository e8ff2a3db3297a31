import {
  AlignmentType,
  BorderStyle,
  Document,
  Header,
  HorizontalPositionRelativeFrom,
  ImageRun,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalPositionRelativeFrom,
  WidthType,
  type ISectionOptions,
} from 'docx';
import { OFFICIAL_PAGE } from '../../../core/workflow/word-page.ts';

/**
 * The pieces of the Word files the city-wide pages write (the analysis report, the printable
 * dossier): an A4 page with the margins of official documents (GB/T 9704: 37/35/28/26 mm), headings
 * numbered 一、二、, body text in 仿宋, tables with ruled cells, chart images, and a watermark of
 * who printed it and when behind every page (the usual safeguard for such papers).
 */

const HEAD_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '黑体' };
const TITLE_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '宋体' };
const BODY_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '仿宋' };
const BODY = 28; // half-points: 14 pt, a compact 四号 for reports with tables
const CELL = 21; // 10.5 pt (五号)
/** A4 text width in twips at these margins (210 − 28 − 26 mm). */
const TEXT_WIDTH_MM = 156;

export const title = (text: string) =>
  new Paragraph({
    alignment: AlignmentType.CENTER,
    spacing: { after: 240 },
    children: [new TextRun({ text, bold: true, font: TITLE_FONT, size: 40 })],
  });

export const subtitle = (text: string) =>
  new Paragraph({
    alignment: AlignmentType.CENTER,
    spacing: { after: 240 },
    children: [new TextRun({ text, font: BODY_FONT, size: BODY })],
  });

export const heading = (text: string) =>
  new Paragraph({
    spacing: { before: 240, after: 120 },
    keepNext: true,
    children: [new TextRun({ text, font: HEAD_FONT, size: 32 })],
  });

export const para = (text: string, opts: { bold?: boolean; indent?: boolean } = {}) =>
  new Paragraph({
    spacing: { after: 80, line: 400 },
    ...(opts.indent === false ? {} : { indent: { firstLine: 560 } }),
    children: [new TextRun({ text, font: BODY_FONT, size: BODY, ...(opts.bold ? { bold: true } : {}) })],
  });

const border = { style: BorderStyle.SINGLE, size: 4, color: '808080' };
const cellOf = (text: string, head: boolean) =>
  new TableCell({
    borders: { top: border, bottom: border, left: border, right: border },
    children: [
      new Paragraph({
        children: [
          new TextRun({ text, font: head ? HEAD_FONT : BODY_FONT, size: CELL, ...(head ? { bold: true } : {}) }),
        ],
      }),
    ],
  });

export function table(columns: readonly string[], rows: readonly (readonly string[])[]): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: columns.map((c) => cellOf(c, true)) }),
      ...rows.map((r) => new TableRow({ children: r.map((c) => cellOf(c, false)) })),
    ],
  });
}

/** A chart image scaled to the text width. */
export function image(png: Uint8Array, width: number, height: number, alt: string): Paragraph {
  const w = Math.round((TEXT_WIDTH_MM / 25.4) * 96);
  return new Paragraph({
    alignment: AlignmentType.CENTER,
    children: [
      new ImageRun({
        type: 'png',
        data: png,
        transformation: { width: w, height: Math.round((w * height) / width) },
        altText: { name: alt, title: alt, description: alt },
      }),
    ],
  });
}

/** The watermark image behind the text of every page, and the same words as a header line. */
function watermarkHeader(text: string, watermark: Uint8Array | undefined): Header {
  const children: Paragraph[] = [
    new Paragraph({
      alignment: AlignmentType.RIGHT,
      children: [new TextRun({ text, font: BODY_FONT, size: 18, color: '808080' })],
    }),
  ];
  if (watermark) {
    children.push(
      new Paragraph({
        children: [
          new ImageRun({
            type: 'png',
            data: watermark,
            transformation: { width: 600, height: 900 },
            floating: {
              behindDocument: true,
              horizontalPosition: { relative: HorizontalPositionRelativeFrom.PAGE, offset: 600_000 },
              verticalPosition: { relative: VerticalPositionRelativeFrom.PAGE, offset: 900_000 },
            },
          }),
        ],
      }),
    );
  }
  return new Header({ children });
}

export function officialDocument(opts: {
  title: string;
  children: ISectionOptions['children'];
  stamp: string;
  watermark?: Uint8Array;
}): Document {
  return new Document({
    creator: 'Dossier Lens',
    title: opts.title,
    sections: [
      {
        properties: { page: OFFICIAL_PAGE },
        headers: { default: watermarkHeader(opts.stamp, opts.watermark) },
        children: opts.children,
      },
    ],
  });
}

export const toBlob = (doc: Document) => Packer.toBlob(doc);
