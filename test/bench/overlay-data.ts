/**
 * The overlay benchmark's data (test/bench/overlay.ts), the same on every run: an index of cadres
 * with generated names, and roster pages in which a share of the rows are people of the index.
 */
import type { SubjectSummary } from '../../core/model/summary.ts';
import { rosterPage, rosterRow } from './support/roster-page.ts';

export function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const SURNAMES = Array.from(
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤',
);
const COMPOUND = ['欧阳', '司马', '诸葛', '上官', '东方', '皇甫'];
const GIVEN = Array.from(
  '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建国红云飞斌宇浩凯健俊帆帅旭宁琳晨阳雪梅林波海峰春燕',
);
const UNITS = [
  '市教育局',
  '市交通运输局',
  '市财政局',
  '市卫生健康委员会',
  '市民政局',
  '市公安局',
  '市自然资源局',
  '市生态环境局',
  '市住房和城乡建设局',
  '市水利局',
  '市农业农村局',
  '市商务局',
  '市文化旅游局',
  '市审计局',
  '市统计局',
];
const POSTS = ['局长', '副局长', '科长', '副科长', '科员', '办公室主任', '主任科员'];

function personName(r: () => number): string {
  const sur = r() < 0.03 ? COMPOUND[Math.floor(r() * COMPOUND.length)]! : SURNAMES[Math.floor(r() * SURNAMES.length)]!;
  const len = r() < 0.6 ? 2 : 1;
  let g = '';
  for (let i = 0; i < len; i++) g += GIVEN[Math.floor(r() * GIVEN.length)];
  return sur + g;
}

export function subjects(n: number, r: () => number): SubjectSummary[] {
  const seen = new Set<string>();
  const out: SubjectSummary[] = [];
  while (out.length < n) {
    const name = personName(r);
    if (seen.has(name)) continue;
    seen.add(name);
    const unitName = UNITS[Math.floor(r() * UNITS.length)]!;
    out.push({
      type: 'cadre',
      id: `B${String(out.length).padStart(5, '0')}`,
      name,
      aliases: [],
      unitCode: unitName,
      unitName,
      post: POSTS[Math.floor(r() * POSTS.length)]!,
      dots: {
        red: Math.floor(r() * 3),
        blue: Math.floor(r() * 2),
        yellow: Math.floor(r() * 2),
        black: r() < 0.1 ? 1 : 0,
      },
      grade: 'ABCD'[Math.floor(r() * 4)]!,
      gradeReason: '基准数据',
      warnings: r() < 0.05 ? ['基准预警'] : [],
      flags: r() < 0.05 ? 1 : 0,
      periods: [],
      invalid: 0,
    });
  }
  return out;
}

export function rosterHtml(
  rows: number,
  known: SubjectSummary[],
  knownShare: number,
  r: () => number,
): { html: string; knownRows: number[] } {
  const knownNames = new Set(known.map((s) => s.name));
  const knownRows: number[] = [];
  const body: string[] = [];
  for (let i = 0; i < rows; i++) {
    let name: string;
    let unit: string;
    let post: string;
    if (knownShare > 0 && r() < knownShare) {
      const s = known[Math.floor(r() * known.length)]!;
      name = s.name;
      unit = s.unitName;
      post = s.post ?? '';
      knownRows.push(i);
    } else {
      do name = personName(r);
      while (knownNames.has(name));
      // Unknown people work in units outside the index, so only known rows get badges.
      unit = `县${UNITS[Math.floor(r() * UNITS.length)]!.slice(1)}`;
      post = POSTS[Math.floor(r() * POSTS.length)]!;
    }
    body.push(rosterRow(i, name, unit, post, `r${i}`));
  }
  return { html: rosterPage(body), knownRows };
}
