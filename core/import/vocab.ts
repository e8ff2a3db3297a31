import type { WorkspaceConfig } from '../model/config.ts';
import { resolveKind } from '../model/config.ts';

/**
 * The words clerks use for enumerated values, mapped to the model's ids. Anything not recognised is
 * passed through unchanged so the schema rejects it with its own localised message (e.g. "性别：应为
 * 男 或 女"), rather than the import inventing a second wording.
 */

const table = (entries: Record<string, string[]>) => {
  const m = new Map<string, string>();
  for (const [id, words] of Object.entries(entries)) for (const w of [id, ...words]) m.set(norm(w), id);
  return (raw: string) => m.get(norm(raw)) ?? raw.trim();
};

function norm(s: string): string {
  return s.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, '');
}

export const genderOf = table({ male: ['男', 'm', '男性'], female: ['女', 'f', '女性'] });

export const recordStatusOf = table({
  active: ['有效', '正常', '在期'],
  revoked: ['已撤销', '撤销'],
  expired: ['已过期', '过期', '期满', '已期满'],
});

export const flagStatusOf = table({
  reported: ['已报告', '报告', '待核查', '已登记'],
  verifying: ['核查中', '核实中', '正在核查'],
  substantiated: ['属实', '查实', '已查实', '基本属实'],
  unfounded: ['不属实', '查否', '失实'],
});

/**
 * Clue stages (core/model/vocabulary.ts). The words of the first pilot's files keep importing;
 * 暂存待查, which they had to file under closed, now has its own stage.
 */
export const clueStageOf = table({
  received: ['受理', '已受理', '登记'],
  assigned: ['交办', '分办', '已交办', '已分办', '交办/分办'],
  inquiry: ['谈话函询', '函询', '谈话'],
  preliminary: ['初步核实', '初核'],
  pending: ['暂存待查', '暂存'],
  case: ['立案', '立案审查调查', '审查调查', '立案审查'],
  handling: ['组织处理'],
  recommendation: ['监察建议书', '监察建议', '已发监察建议书'],
  rectified: ['整改报告', '已报送整改报告', '已整改'],
  closed: ['了结', '予以了结', '办结', '已办结'],
});

export const cardStateOf = table({
  pending: ['待落实', '未落实', '进行中'],
  done: ['已落实', '完成', '已完成'],
  overdue: ['逾期', '逾期未落实'],
});

export const colourOf = table({
  red: ['红', '红点', '表彰嘉奖类', '表彰嘉奖'],
  blue: ['蓝', '蓝点', '中性信息类', '中性信息'],
  yellow: ['黄', '黄点', '问题组织处理类', '组织处理'],
  black: ['黑', '黑点', '受到党纪政务处分类', '党纪政务处分', '处分'],
});

export const unitKindOf = table({
  party: ['党委', '党委部门', '市委部门', '党群', '党群部门', '党委工作部门'],
  government: ['政府', '政府部门', '政府工作部门', '市政府部门', '行政机关'],
  'people-congress': ['人大', '人大机关'],
  cppcc: ['政协', '政协机关'],
  judicial: ['政法', '司法', '法院', '检察院', '审判机关', '检察机关'],
  institution: ['事业单位', '事业'],
  enterprise: ['国有企业', '国企', '企业'],
  township: ['乡镇', '街道', '乡镇街道', '乡', '镇'],
  other: ['其他'],
});

/** A kind id from its id, Chinese or English label or alias; unknown text passes through. */
export function kindIdOf(config: Pick<WorkspaceConfig, 'kinds'>, raw: string): string {
  return resolveKind(config, raw.normalize('NFKC'))?.id ?? resolveKind(config, raw)?.id ?? raw.trim();
}

/** A negative-list item or channel by id or either label. */
export function labelledIdOf(items: readonly { id: string; label: { zh: string; en: string } }[], raw: string): string {
  const t = norm(raw);
  return items.find((i) => norm(i.id) === t || norm(i.label.zh) === t || norm(i.label.en) === t)?.id ?? raw.trim();
}

/** 12, "24", "12个月", "一年", "两年" → months. */
export function monthsOf(raw: string): number | undefined {
  const t = norm(raw);
  const words: Record<string, number> = { 一年: 12, '1年': 12, 两年: 24, 二年: 24, '2年': 24 };
  if (words[t] !== undefined) return words[t];
  const m = /^(\d+)(个月|月)?$/.exec(t);
  return m ? Number(m[1]) : undefined;
}

/** Lists typed into one cell: 、 ， , ; ； / and spaces all separate. */
export function listOf(raw: string): string[] {
  return raw
    .split(/[、，,;；/|]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}
