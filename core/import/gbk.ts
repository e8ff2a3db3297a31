/**
 * A GBK encoder, for writing files the way legacy Chinese Windows tools expect them (and for test
 * fixtures). The platform has no GBK encoder (TextEncoder is UTF-8 only), but every runtime we
 * support has the GB18030 decoder, so the table is built once by decoding the two-byte range and
 * inverting it: about 22,000 entries, built lazily in a few milliseconds.
 */
let table: Map<string, number> | undefined;

function gbkTable(): Map<string, number> {
  if (table) return table;
  table = new Map();
  const dec = new TextDecoder('gb18030');
  const pair = new Uint8Array(2);
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      pair[0] = lead;
      pair[1] = trail;
      const ch = dec.decode(pair);
      if (ch.length === 1 && ch !== '\ufffd' && !table.has(ch)) table.set(ch, (lead << 8) | trail);
    }
  }
  return table;
}

/** Encodes text as GBK; throws on a character GBK cannot represent (rare CJK extensions, emoji). */
export function encodeGbk(text: string): Uint8Array {
  const t = gbkTable();
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) {
      out.push(code);
      continue;
    }
    const two = t.get(ch);
    if (two === undefined) throw new RangeError(`not encodable in GBK: U+${code.toString(16).toUpperCase()}`);
    out.push(two >> 8, two & 0xff);
  }
  return new Uint8Array(out);
}
