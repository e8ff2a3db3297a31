import QRCode from 'qrcode';

/**
 * The QR code on a printed card: it opens that card's page in the extension (the seed: "被提醒对象
 * 只要扫描二维码进入电子版"). SVG for the page and for printing (crisp at any size, drawn by the
 * library from the URL alone, so tests can draw the same one); PNG for the Word file.
 */
const OPTIONS = { margin: 1, errorCorrectionLevel: 'M' } as const;

export async function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { ...OPTIONS, type: 'svg' });
}

/** As an <img> source: the image cannot run scripts, and no markup is inserted into the page. */
export const svgDataUrl = (svg: string): string => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;

export async function qrPng(text: string): Promise<Uint8Array> {
  const url = await QRCode.toDataURL(text, { ...OPTIONS, width: 240 });
  return Uint8Array.from(atob(url.slice(url.indexOf(',') + 1)), (c) => c.charCodeAt(0));
}
