import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { SubjectSummary } from '../model/summary.ts';
import { buildAutomaton } from './automaton.ts';
import { buildMatcher, matchContext, sentenceAround, type Resolution } from './matcher.ts';
import { standsAlone } from './names.ts';

const cadre = (
  id: string,
  name: string,
  unitName: string,
  post = '',
  aliases: string[] = [],
  unitCode = '',
): SubjectSummary => ({
  type: 'cadre',
  id,
  name,
  aliases,
  unitCode: unitCode || `U-${unitName}`,
  unitName,
  post,
  dots: { red: 0, blue: 0, yellow: 0, black: 1 },
  grade: 'C',
  gradeReason: '',
  warnings: [],
  flags: 0,
  periods: [],
  invalid: 0,
});
const unit = (code: string, name: string, aliases: string[] = []): SubjectSummary => ({
  ...cadre(code, name, name, '', aliases, code),
  type: 'unit',
  post: undefined,
});

const SUBJECTS: SubjectSummary[] = [
  cadre('C-001', '张伟', '市交通运输局', '副局长'),
  cadre('C-002', '张伟', '市教育局', '局长'),
  cadre('C-003', '王芳', '市教育局', '办公室主任', ['王小芳']),
  cadre('C-004', '欧阳明', '市财政局', '科长'),
  cadre('C-005', '阳明', '县财政局', '科员'),
  cadre('C-006', '李娜', '市卫生健康委员会', '副主任'),
  cadre('C-007', '司马光华', '县教育局', '股长'),
  cadre('C-008', '张伟', '市交通运输局', '科员'),
  unit('U01', '市教育局'),
  unit('U02', '市交通运输局', ['交通局']),
  unit('U03', '市交通运输局办公室'),
];

const m = buildMatcher(SUBJECTS);
const ids = (r: Resolution) => (r.kind === 'subject' ? r.subject.id : `?${r.candidates.map((c) => c.id).join('|')}`);
/** Every accepted match in a single text, resolved with that text as its record context. */
const found = (text: string) => m.find(text).map((h) => `${text.slice(h.start, h.end)}=${ids(m.resolve(h, text))}`);

describe('Aho–Corasick automaton', () => {
  it('finds exactly what a brute-force search finds', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom('a', 'b', '王', '芳'), minLength: 1, maxLength: 4 }), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.string({ unit: fc.constantFrom('a', 'b', '王', '芳', 'c'), maxLength: 30 }),
        (terms, text) => {
          const unique = [...new Set(terms)];
          const a = buildAutomaton(unique);
          const got: string[] = [];
          a.scan(text, (t, s, e) => got.push(`${t}@${s}-${e}`));
          const want: string[] = [];
          unique.forEach((term, t) => {
            for (let i = text.indexOf(term); i >= 0; i = text.indexOf(term, i + 1))
              want.push(`${t}@${i}-${i + term.length}`);
          });
          expect(got.sort()).toEqual(want.sort());
          expect(a.test(text)).toBe(want.length > 0);
        },
      ),
    );
  });
});

describe('standsAlone: a longer name containing a known name is not that person', () => {
  it.each([
    // [text, name inside it, accepted?]
    ['王芳', '王芳', true],
    ['王芳芳', '王芳', false],
    ['李王芳', '王芳', false],
    ['欧阳芳', '阳芳', false],
    ['王芳同志', '王芳', true],
    ['由王芳主持会议', '王芳', true],
    ['局长王芳在会上', '王芳', true],
    ['王芳、张伟', '王芳', true],
    ['（王芳）', '王芳', true],
    ['王芳华参加', '王芳', false],
    ['王芳 华', '王芳', true],
    // a preceding word that is also a surname: a name at the start of a run, a verb inside one
    ['任王芳', '王芳', false],
    ['向王芳', '王芳', false],
    ['拟任王芳为科长', '王芳', true],
    ['主任王芳', '王芳', true],
    // documented limit (README): an unusual next character loses a real name
    ['王芳今天到岗', '王芳', false],
    ['Wang 王芳.', '王芳', true],
  ])('%s ∋ %s → %s', (text, name, ok) => {
    const i = text.indexOf(name);
    expect(standsAlone(text, i, i + name.length)).toBe(ok);
  });
});

describe('matcher.find: longest match, look-alikes, compound surnames, ids', () => {
  it.each([
    ['王芳', ['王芳=C-003']],
    ['王芳芳', []],
    ['王小芳', ['王小芳=C-003']],
    ['欧阳明', ['欧阳明=C-004']],
    ['阳明', ['阳明=C-005']],
    ['欧阳明华', []],
    ['司马光华', ['司马光华=C-007']],
    ['司马光', []],
    ['李娜娜', []],
    ['李娜', ['李娜=C-006']],
    ['市交通运输局办公室', ['市交通运输局办公室=U03']],
    ['市交通运输局', ['市交通运输局=U02']],
    ['交通局', ['交通局=U02']],
    ['C-003', ['C-003=C-003']],
    ['C-0031', []],
    ['XC-003', []],
    ['编号C-003。', ['C-003=C-003']],
    ['市教育局王芳同志', ['市教育局=U01', '王芳=C-003']],
    ['张伟', ['张伟=?C-001|C-002|C-008']],
    ['张伟华', []],
    // two-character names padded to three characters' width, as legacy rosters print them
    ['王  芳', ['王  芳=C-003']],
    ['王　芳', ['王　芳=C-003']],
    ['李 娜', ['李 娜=C-006']],
    ['王  芳芳', []],
    ['阳  明', ['阳  明=C-005']],
    ['', []],
    ['无关的文字', []],
  ])('%s', (text, want) => {
    expect(found(text)).toEqual(want);
  });

  it('mayMatch is false exactly when nothing could match', () => {
    expect(m.mayMatch('没有任何已知名称的一段文字')).toBe(false);
    expect(m.mayMatch('有王芳')).toBe(true);
  });
});

describe('disambiguation: the same name for several cadres', () => {
  const z = (context: string) => {
    const hit = m.find('张伟')[0]!;
    return ids(m.resolve(hit, context));
  };
  it.each([
    ['张伟\t市教育局\t局长', 'C-002'],
    ['张伟\t市交通运输局\t副局长', 'C-001'],
    ['张伟\t市交通运输局\t科员', 'C-008'],
    // same unit, no post: two candidates left, shown as such
    ['张伟\t市交通运输局', '?C-001|C-008'],
    ['张伟\tC-008\t', 'C-008'],
    ['张伟\t市财政局', '?C-001|C-002|C-008'],
    ['张伟', '?C-001|C-002|C-008'],
  ])('%s → %s', (context, want) => {
    expect(z(context)).toBe(want);
  });
});

describe('matchContext', () => {
  const show = (segments: string[], mode: 'record' | 'prose') =>
    matchContext(m, segments, mode).map(
      (x) => `${x.segment}:${segments[x.segment]!.slice(x.start, x.end)}=${ids(x.resolution)}`,
    );

  it('resolves a row by its other cells and drops the id badge of a subject already named', () => {
    expect(show(['张伟', 'C-002', '市教育局', '局长'], 'record')).toEqual(['0:张伟=C-002', '2:市教育局=U01']);
  });

  it('keeps an id badge when the row does not name the subject', () => {
    expect(show(['C-004', '2019年'], 'record')).toEqual(['0:C-004=C-004']);
  });

  it('resolves each sentence of a letter by that sentence only', () => {
    const letter = '关于市教育局局长张伟同志的情况说明。另，市交通运输局副局长张伟同志已调离；张伟同志另有任用。';
    expect(show([letter], 'prose')).toEqual([
      '0:市教育局=U01',
      '0:张伟=C-002',
      '0:市交通运输局=U02',
      '0:张伟=C-001',
      '0:张伟=?C-001|C-002|C-008',
    ]);
  });

  it('a sentence can span several text nodes', () => {
    expect(show(['关于', '张伟', '（市教育局）的函。'], 'prose')).toEqual(['1:张伟=C-002', '2:市教育局=U01']);
  });

  it('sentenceAround stops at sentence punctuation and line breaks', () => {
    const t = '甲。乙张伟丙；丁';
    expect(sentenceAround(t, 3, 5)).toBe('乙张伟丙');
    expect(sentenceAround('a\nb张伟', 3, 5)).toBe('b张伟');
  });
});

describe('hostile and odd input', () => {
  it.each(['<img src=x onerror=alert(1)>王芳', '王芳<script>alert(1)</script>', '\u0000王芳\uFFFF', '😀王芳😀'])(
    '%s still finds only 王芳',
    (text) => {
      expect(found(text)).toEqual(['王芳=C-003']);
    },
  );

  it('a matcher over no subjects matches nothing', () => {
    const empty = buildMatcher([]);
    expect(empty.find('张伟王芳')).toEqual([]);
    expect(empty.mayMatch('张伟')).toBe(false);
  });
});

describe('names outside the basic plane', () => {
  it('an extension-B character next to a name extends it; an emoji does not', () => {
    const rare = buildMatcher([cadre('C-100', '王芳', '市教育局')]);
    expect(rare.find('王芳𠀋')).toEqual([]);
    expect(rare.find('𠀋王芳')).toEqual([]);
    expect(rare.find('😀王芳😀').length).toBe(1);
  });
});

describe('property: a known name extended by a given-name character is nobody', () => {
  // Characters common in given names (none of them may be a "follower"), and surnames.
  const GIVEN = Array.from(
    '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建国红云飞斌宇浩凯健俊帆帅旭宁琳晨阳雪梅林波海峰春燕文志东立新忠德庆荣光亮成龙利清正永胜学祥金生安宏民江武兴山仁义信福贵富才发家振晓小丹凤月莉婷倩颖慧琪欣怡佳嘉悦思雨梦露瑶蕾淑惠珍贞秋菊香素洁琴爱美',
  );
  const SURNAME = Array.from(
    '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦',
  );
  const known = buildMatcher([cadre('K1', '王芳', '市教育局'), cadre('K2', '欧阳明', '市财政局')]);
  it('in a cell, at the start of a sentence, or before 同志', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('王芳', '欧阳明'),
        fc.constantFrom(...GIVEN),
        fc.constantFrom('', '同志', '在会上发言'),
        (name, g, tail) => {
          expect(known.find(name + g + tail)).toEqual([]);
          expect(known.find('，' + name + g + tail)).toEqual([]);
        },
      ),
    );
  });
  it('preceded by a surname at the start of a run', () => {
    fc.assert(
      fc.property(fc.constantFrom('王芳', '欧阳明'), fc.constantFrom(...SURNAME), (name, s) => {
        expect(known.find(s + name)).toEqual([]);
      }),
    );
  });
});
