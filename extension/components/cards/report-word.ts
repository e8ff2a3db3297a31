import { AlignmentType, Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';

/**
 * The quarterly report as a Word file for the standing committee's meeting: title, issuing organ,
 * the counts by quarter and by unit. Loaded on demand.
 */

const SERIF = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '仿宋' };
const text = (
  s: string,
  opts: { bold?: boolean; size?: number; align?: (typeof AlignmentType)[keyof typeof AlignmentType] } = {},
) =>
  new Paragraph({
    ...(opts.align ? { alignment: opts.align } : {}),
    children: [new TextRun({ text: s, font: SERIF, bold: opts.bold ?? false, size: opts.size ?? 24 })],
  });

function table(header: string[], rows: string[][]): Table {
  const row = (cells: string[], bold: boolean) =>
    new TableRow({ children: cells.map((c) => new TableCell({ children: [text(c, { bold })] })) });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [row(header, true), ...rows.map((r) => row(r, false))],
  });
}

export interface ReportInput {
  title: string;
  issuer: string;
  columns: string[];
  byQuarter: string[][];
  total: string[];
  byUnit: string[][];
}

export async function reportWord(r: ReportInput): Promise<Uint8Array> {
  const doc = new Document({
    creator: r.issuer,
    title: r.title,
    sections: [
      {
        properties: { page: { size: { width: 11906, height: 16838 } } },
        children: [
          text(r.title, { bold: true, size: 36, align: AlignmentType.CENTER }),
          text(r.issuer, { align: AlignmentType.CENTER }),
          text('一、分季度情况', { bold: true }),
          table(['季度', ...r.columns.slice(1)], [...r.byQuarter, r.total]),
          text('二、分单位情况', { bold: true }),
          table(['单位', ...r.columns.slice(1)], r.byUnit),
        ],
      },
    ],
  });
  return new Uint8Array(await (await Packer.toBlob(doc)).arrayBuffer());
}
