/**
 * The printer's watermark (打印人、时间), drawn as an image: light grey text repeated diagonally.
 * An image, not markup: the words (a user's name) never become HTML, and the same picture serves
 * the print view's background and the Word file's page background.
 */
export function watermarkCanvas(text: string, width = 600, height = 900): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = 'rgba(120, 120, 120, 0.16)';
  ctx.font = '18px "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif';
  ctx.textAlign = 'center';
  // Rows far enough apart, and each line's copies a text's width apart, so copies never overlap.
  const step = ctx.measureText(text).width + 120;
  ctx.translate(width / 2, height / 2);
  ctx.rotate(-Math.PI / 6);
  const reach = Math.hypot(width, height);
  for (let row = 0, y = -reach; y <= reach; row++, y += 120) {
    for (let x = -reach + (row % 2) * (step / 2); x <= reach; x += step) ctx.fillText(text, x, y);
  }
  return canvas;
}

export async function watermarkPng(text: string): Promise<Uint8Array> {
  const blob = await new Promise<Blob>((resolve, reject) =>
    watermarkCanvas(text).toBlob((b) => (b ? resolve(b) : reject(new Error('toBlob failed'))), 'image/png'),
  );
  return new Uint8Array(await blob.arrayBuffer());
}

/** For a CSS background of the print view. */
export const watermarkUrl = (text: string) => watermarkCanvas(text, 720, 480).toDataURL('image/png');
