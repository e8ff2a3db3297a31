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
      '了着过还又再却但而或并要会能应可均皆不没未请让给从自以按由',
  ),
);

// Characters that end the word before a name: prepositions and verbs (由 对 与 和 向 经 把 让 请 …),
// the last character of titles that precede names (局长 书记 主任 同志 委员 干部 经理 …), and of
// unit names written straight before a person (市教育局王芳, 县委办李娜, 城关镇张伟).
const PRECEDERS = new Set(
  Array.from(
    '由对与和及同向经把被让请给叫派将从据据令命任免聘调选推荐评批核查访约找见陪跟随、' +
      '长记任志员部理席官事书师授生士属人是为有在即系等' +
      '局委办院厅处科室所队站会镇乡村校馆府',
  ),
);

// The most common single-character surnames. Some of them are also words that precede names
// (任 "appoint", 向 "towards", 和 "and", 经 "through"...): at the start of a run of Han characters
// such a character is read as a surname, so a cell "任王芳" is someone else, not 王芳.
const SURNAMES = new Set(
  Array.from(
    '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭',
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
    if (isHan(c.codePointAt(0)!)) {
      if (!PRECEDERS.has(c)) return false;
      const at = start - c.length;
      const runStart = at === 0 || !isHan(charBefore(text, at).codePointAt(0)!);
      if (runStart && SURNAMES.has(c)) return false;
    }
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
