/**
 * Text encodings of departmental spreadsheets. CSV files exported on Chinese Windows are GBK
 * (a subset of GB18030); newer tools write UTF-8, often with a BOM so Excel recognises it; Excel's
 * "Unicode text" is UTF-16LE with a BOM. Detection order: a BOM decides; otherwise a strict UTF-8
 * decode either succeeds or fails on the first GBK byte pair, which is the cue to use GB18030
 * (`TextDecoder('gb18030')` is built into Node 20 and Chromium, so no dependency is needed).
 *
 * A GBK file that happens to be valid UTF-8 is vanishingly rare for Chinese text: GBK lead bytes
 * 0x81–0xFE followed by trail bytes 0x40–0xFE almost never form valid UTF-8 sequences.
 */

export type Encoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'gb18030';

export interface Decoded {
  text: string;
  encoding: Encoding;
}

export function decodeText(bytes: Uint8Array): Decoded {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8-bom' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030' };
  }
}
