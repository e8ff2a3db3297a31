import { pinyin } from 'pinyin-pro';

/**
 * Pinyin for searching names the way officers type them on a keyboard without an IME at hand:
 * the full spelling ("zhangwei") and the initials ("zw"). pinyin-pro reads surnames with their
 * surname readings (单 shan, 曾 zeng, 区 ou), which a per-character table gets wrong. Memoised per
 * string: names recur, and a query must not recompute 10,000 spellings per keystroke.
 */

const memo = new Map<string, { full: string; initials: string }>();

export function pinyinKeys(name: string): { full: string; initials: string } {
  let out = memo.get(name);
  if (!out) {
    const syllables = pinyin(name, { toneType: 'none', type: 'array', surname: 'head', nonZh: 'removed', v: true });
    out = {
      full: syllables.join('').toLowerCase(),
      initials: syllables
        .map((s) => s[0] ?? '')
        .join('')
        .toLowerCase(),
    };
    if (memo.size > 50_000) memo.clear();
    memo.set(name, out);
  }
  return out;
}

/**
 * Whether `text` (lower case, Latin letters only) spells `name` in pinyin: from the start of a
 * syllable run, or its initials.
 */
export function pinyinMatches(name: string, text: string): boolean {
  const k = pinyinKeys(name);
  return k.full.includes(text) || k.initials.startsWith(text);
}
