import { AlignmentType, Document, ImageRun, Packer, Paragraph, TextRun } from 'docx';
import type { PaperSize, PrintedCard } from './printed.ts';
import { qrPng } from './qr.ts';

/**
 * The printed card as a Word file (A5 or A4), with the QR code that opens the card's page. Loaded
 * on demand: the Word writer is the largest part of the page.
 */

const PAGE: Record<PaperSize, { width: number; height: number }> = {
  // Twips, Word's own values.
  A5: { width: 8391, height: 11906 },
  A4: { width: 11906, height: 16838 },
};
const SERIF = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '宋体' };
const line = (
  text: string,
  opts: { size?: number; bold?: boolean; align?: (typeof AlignmentType)[keyof typeof AlignmentType] } = {},
) =>
  new Paragraph({
    ...(opts.align ? { alignment: opts.align } : {}),
    spacing: { after: 80 },
    children: [new TextRun({ text, font: SERIF, size: opts.size ?? 24, bold: opts.bold ?? false })],
  });

export async function cardWord(card: PrintedCard, size: PaperSize, url: string): Promise<Uint8Array> {
  const qr = await qrPng(url);
  const doc = new Document({
    creator: card.issuer,
    title: `${card.title}（${card.quarterText}）`,
    sections: [
      {
        properties: { page: { size: PAGE[size], margin: { top: 680, bottom: 680, left: 680, right: 680 } } },
        children: [
          line(card.issuer, { align: AlignmentType.CENTER }),
          line(card.title, { size: 36, bold: true, align: AlignmentType.CENTER }),
          line(card.quarterText, { align: AlignmentType.CENTER }),
          line(card.holderLine),
          ...card.items.map((item, i) => line(`${i + 1}．${item}`)),
          line(card.deadlines, { size: 21 }),
          new Paragraph({
            children: [new ImageRun({ type: 'png', data: qr, transformation: { width: 96, height: 96 } })],
          }),
          line(card.scan, { size: 21 }),
        ],
      },
    ],
  });
  return new Uint8Array(await (await Packer.toBlob(doc)).arrayBuffer());
}
