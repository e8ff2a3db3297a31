/**
 * The "is this really that person?" heuristic for Chinese names, which have no word boundaries.
 *
 * A known name found inside page text is accepted only if each CJK character touching it could
 * plausibly end/start the surrounding words rather than extend the name itself:
 *
 * - the character right after the name is not Han, or is one that commonly follows a name
 *   (同志, 等, 的, 在, 说, 任, 主任/局长/书记…, 先生/女士…): `王芳同志` → 王芳, `王芳芳` → nobody;
 * - the character right before the name is not Han, or is one that commonly precedes a name
 *   (由, 对, 与, 和, 向, 经, 任命, or the last character of a title such as 局长/书记/同志):
 *   `由王芳主持` → 王芳, `欧阳芳` → not 阳芳, `李王芳` → not 王芳.
 *
 * Limits (documented in core/match/README.md): a character that is both a common follower and a
 * common given-name character (e.g. 和, 向, 于 as surnames) can let a longer name through; a real
 * name followed by an unusual character is missed (we prefer a missing badge to a false one);
 * names split across elements (`王<b>芳</b>`) are not seen because matching is per text node.
 */

/** Han ideographs: the basic block, extension A, compatibility, and extensions B+ (rare names). */
export function isHan(code: number): boolean {
  return (
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0x20000 && code <= 0x3ffff)
  );
}

const charAfter = (text: string, end: number) => String.fromCodePoint(text.codePointAt(end)!);
function charBefore(text: string, start: number): string {
  const low = text.charCodeAt(start - 1);
  if (low >= 0xdc00 && low <= 0xdfff && start >= 2) return String.fromCodePoint(text.codePointAt(start - 2)!);
  return text[start - 1]!;
}

export function isAllHan(s: string): boolean {
  if (s.length === 0) return false;
  for (const c of s) if (!isHan(c.codePointAt(0)!)) return false;
  return true;
}

export function isAsciiWord(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

// Characters that begin the word after a name: particles and verbs (的 在 是 说 …), conjunctions
// (和 与 及 等), forms of address (同志 先生 女士 老师), and the first character of common posts
// and organs (主任 副 书记 局长 处长 科长 部长 县长 市长 委员 组长 队长 所长 经理 总 董事 秘书 干部 …).
const FOLLOWERS = new Set(
  Array.from(
    '同等的在是为和与及跟说称讲表向对被把将已也都就所曾现系于因担主副书局处科部长县市省区镇乡院厅委组队经总董秘干职作提分负兼带率到来去参出介反汇签批审核先女男老教博、' +
      '了着过还又再却但而或并要会能应可均皆不没未请让给从自以按由'
  ),
);

// Characters that end the word before a name: prepositions and verbs (由 对 与 和 向 经 把 让 请 …),
// the last character of titles that precede names (局长 书记 主任 同志 委员 干部 经理 …), and of
// unit names written straight before a person (市教育局王芳, 县委办李娜, 城关镇张伟).
const PRECEDERS = new Set(
  Array.from(
    '由对与和及同向经把被让请给叫派将从据据令命任免聘调选推荐评批核查访约找见陪跟随、' +
      '长记任志员部理席官事书师授生士属人是为有在即系等' +
      '局委办院厅处科室所队站会镇乡村校馆府'
  ),
);

/**
 * Whether a person-name match at [start, end) stands on its own in `text` (see the module comment).
 */
export function standsAlone(text: string, start: number, end: number): boolean {
  if (end < text.length) {
    const c = charAfter(text, end);
    if (isHan(c.codePointAt(0)!) && !FOLLOWERS.has(c)) return false;
  }
  if (start > 0) {
    const c = charBefore(text, start);
    if (isHan(c.codePointAt(0)!) && !PRECEDERS.has(c)) return false;
  }
  return true;
}

/** Latin/digit terms (cadre ids, unit codes, pinyin) must not be part of a longer token. */
export function hasTokenBoundaries(text: string, start: number, end: number): boolean {
  if (isAsciiWord(text.charCodeAt(start)) && start > 0 && isAsciiWord(text.charCodeAt(start - 1))) return false;
  if (isAsciiWord(text.charCodeAt(end - 1)) && end < text.length && isAsciiWord(text.charCodeAt(end))) return false;
  return true;
}

/** `token` occurs in `text` as a whole token (ASCII word boundaries where it has word edges). */
export function containsToken(text: string, token: string): boolean {
  if (!token) return false;
  let from = 0;
  for (;;) {
    const i = text.indexOf(token, from);
    if (i < 0) return false;
    if (hasTokenBoundaries(text, i, i + token.length)) return true;
    from = i + 1;
  }
}
