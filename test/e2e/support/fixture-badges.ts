/**
 * The badges each fixture portal page must get, in document order, as pairs of the text a badge
 * follows and its accessible name — one list for the Chromium scene (overlay-badges.e2e.ts) and
 * the Firefox one (firefox.e2e.ts), so the two browsers are held to the same expectations.
 */

/** The badge expected after `after`: a cadre or unit by id, or `?N` for an ambiguous name. */
export type Want = (after: string, who: string, name?: string) => [string, string];

/** The letter's paragraphs: each a single text node the badges follow. */
export const LETTER_P2 =
  '经研究，市教育局局长张伟同志拟参加年度评优。另，市交通运输局副局长张伟同志已于上月调离原岗位。';
export const LETTER_P3 = '张伟同志的有关情况另行报送。王芳芳同志、欧阳明华同志不在本次范围，会议由王芳主持。';

export function fixtureBadges(want: Want) {
  return {
    'legacy-gbk.html': [
      want('张伟', 'C001'),
      want('市交通运输局', 'U02'),
      want('张伟', 'C002'),
      want('市教育局', 'U01'),
      want('市教育局', 'U01'), // 王芳芳's row: the unit, not the look-alike
      want('张伟', '?2'), // a third 张伟 at 市财政局: neither known one
      want('市财政局', 'U03'),
      want('欧阳明', 'C004'),
      want('市财政局', 'U03'),
      want('李娜', 'C005'), // inside the page's own link
      want('市卫生健康委员会', 'U04'),
      want('王　芳', 'C003'), // a two-character name padded with a full-width space
      want('市教育局', 'U01'),
    ],
    'profile.html': [
      want('王芳', 'C003'),
      want('市教育局', 'U01'),
      // In the web component's open shadow root, mid-sentence: badges after the text, named.
      want('考察组成员：李娜（市卫生健康委员会）', 'C005', '李娜'),
      want('考察组成员：李娜（市卫生健康委员会）', 'U04', '市卫生健康委员会'),
    ],
    // Each sentence resolves its own 张伟 by the unit it names; the attachment line is in a srcdoc frame.
    'letter.html': [
      want(LETTER_P2, 'U01', '市教育局'),
      want(LETTER_P2, 'C002', '张伟'),
      want(LETTER_P2, 'U02', '市交通运输局'),
      want(LETTER_P2, 'C001', '张伟'),
      want(LETTER_P3, '?2', '张伟'),
      want(LETTER_P3, 'C003', '王芳'),
      want('附件：欧阳明同志简历', 'C004', '欧阳明'),
    ],
    /** The SPA's first page of rows. */
    'spa.html': [
      want('张伟', 'C002'),
      want('市教育局', 'U01'),
      want('王芳', 'C003'),
      want('市教育局', 'U01'),
      want('市教育局', 'U01'),
    ],
    /** The SPA's second page of rows (after a click on #page2). */
    'spa.html?page=2': [want('李娜', 'C005'), want('市卫生健康委员会', 'U04')],
    'hostile.html': [
      want(`<img src=x onerror="window.__pwned='cell'">王芳`, 'C003', '王芳'),
      want('市教育局', 'U01'),
      want('钱七<img src=x onerror=__pwned=9>', 'C006'),
      want('市教育局', 'U01'),
      want(`"><script>window.__pwned='script'</script>欧阳明`, 'C004', '欧阳明'),
      want('市财政局', 'U03'),
    ],
  };
}
