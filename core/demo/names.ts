import type { Rng } from './random.ts';

/**
 * Synthetic Chinese names from surname and given-name tables. Surnames are weighted roughly by
 * their frequency in China (王, 李, 张, 刘, 陈 lead), a few compound surnames appear (欧阳, 司马,
 * 上官 …) because the overlay's matcher must handle them, and given names are one or two characters
 * drawn from common name characters, so ordinary collisions — two 王伟 in different units — happen
 * the way they do in any real roster. No name is taken from the seed article or any real record.
 */

const SURNAMES: readonly (readonly [string, number])[] = [
  ['王', 72],
  ['李', 70],
  ['张', 66],
  ['刘', 52],
  ['陈', 45],
  ['杨', 31],
  ['黄', 23],
  ['赵', 21],
  ['吴', 20],
  ['周', 19],
  ['徐', 15],
  ['孙', 14],
  ['马', 13],
  ['朱', 12],
  ['胡', 12],
  ['郭', 11],
  ['何', 11],
  ['高', 10],
  ['林', 10],
  ['罗', 9],
  ['郑', 9],
  ['梁', 8],
  ['谢', 7],
  ['宋', 7],
  ['唐', 7],
  ['许', 6],
  ['韩', 6],
  ['冯', 6],
  ['邓', 6],
  ['曹', 5],
  ['彭', 5],
  ['曾', 5],
  ['肖', 5],
  ['田', 5],
  ['董', 5],
  ['潘', 4],
  ['于', 4],
  ['蒋', 4],
  ['蔡', 4],
  ['余', 4],
  ['杜', 4],
  ['叶', 4],
  ['程', 4],
  ['苏', 3],
  ['魏', 3],
  ['吕', 3],
  ['丁', 3],
  ['任', 3],
  ['沈', 3],
  ['姚', 3],
  ['卢', 3],
  ['姜', 3],
  ['崔', 3],
  ['钟', 3],
  ['谭', 3],
  ['陆', 3],
  ['汪', 2],
  ['范', 2],
  ['金', 2],
  ['石', 2],
  ['廖', 2],
  ['贾', 2],
  ['夏', 2],
  ['韦', 2],
  ['付', 2],
  ['方', 2],
  ['白', 2],
  ['邹', 2],
  ['孟', 2],
  ['熊', 2],
  ['秦', 2],
  ['邱', 2],
  ['江', 2],
  ['尹', 2],
  ['薛', 2],
  ['段', 2],
  ['雷', 2],
  ['侯', 2],
  ['龙', 2],
  ['史', 2],
  ['陶', 1],
  ['黎', 1],
  ['贺', 1],
  ['顾', 1],
  ['毛', 1],
  ['郝', 1],
  ['龚', 1],
  ['邵', 1],
  ['万', 1],
  ['覃', 1],
  ['欧阳', 1.2],
  ['司马', 0.6],
  ['上官', 0.6],
  ['诸葛', 0.3],
  ['东方', 0.3],
  ['皇甫', 0.3],
  ['慕容', 0.2],
  ['令狐', 0.2],
];

const MALE = '伟强军磊勇杰涛斌超明刚平辉鹏华飞波宇浩凯健俊帆帅旭宁龙林阳建国志文博斌海东晨瑞峰春光亮兵';
const FEMALE = '芳娜敏静丽艳娟霞秀英华慧巧美玲燕红梅琳颖婷雪倩洁璐晶欣怡佳雯莉丹萍兰凤琴云薇月蓉';
const NEUTRAL = '文明小晓春红海建永立新志德嘉思子一天宏';

export function syntheticName(r: Rng, gender: 'male' | 'female'): string {
  const surname = r.weighted(SURNAMES);
  const pool = gender === 'male' ? MALE : FEMALE;
  // About a third of given names are a single character, which is where repeats come from.
  if (r.chance(0.34)) return surname + r.pick([...pool]);
  const first = r.chance(0.4) ? r.pick([...NEUTRAL]) : r.pick([...pool]);
  let second = r.pick([...pool]);
  if (second === first) second = r.pick([...pool]);
  return surname + first + second;
}
