import type { ImportAliases, WorkspaceConfig } from '../model/config.ts';
import { resolveKind } from '../model/config.ts';
import { CLUE_STAGES, type ClueStage, type FlagStatus } from '../model/vocabulary.ts';
import { STAGE_LABELS } from '../rules/labels.ts';
import type { Bilingual } from './messages.ts';

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

/**
 * What a clerk wrote, resolved: the id, and `readAs` (the canonical label) when the text was one of
 * the common spellings rather than the id or the label itself, so the report can say "“赌博”读作
 * “组织或参与赌博”" and the clerk sees how each cell was understood.
 */
export interface Resolved {
  id: string;
  readAs?: Bilingual;
}

export interface Term {
  id: string;
  label: Bilingual;
  /** Other spellings clerks use. */
  words?: readonly string[];
}

/** Resolves text to a term by id, label (either language) or one of its words; unknown text passes through. */
export function termResolver(terms: readonly Term[]): (raw: string) => Resolved {
  const exact = new Map<string, string>();
  const spelled = new Map<string, Term>();
  for (const term of terms) for (const w of [term.id, term.label.zh, term.label.en]) if (w) exact.set(norm(w), term.id);
  for (const term of terms) {
    for (const w of term.words ?? []) if (!exact.has(norm(w)) && !spelled.has(norm(w))) spelled.set(norm(w), term);
  }
  return (raw) => {
    const key = norm(raw);
    const id = exact.get(key);
    if (id !== undefined) return { id };
    const term = spelled.get(key);
    return term ? { id: term.id, readAs: term.label } : { id: raw.trim() };
  };
}

/**
 * Common spellings of the default negative-list items (by item id), the way departments' files
 * write them: "赌博" or "参与赌博" for 组织或参与赌博. A workspace adds its own in
 * `config.importAliases.negativeList`; an item it relabels keeps these as long as its id is the same.
 */
export const COMMON_ITEM_WORDS: Readonly<Record<string, readonly string[]>> = {
  cult: ['邪教', '参与邪教', '参加邪教组织'],
  superstition: ['封建迷信', '迷信活动', '参与迷信活动', '搞封建迷信'],
  'weddings-funerals': ['大操大办', '婚丧嫁娶', '操办婚丧嫁娶', '违规操办婚丧喜庆', '大操大办婚丧喜庆'],
  gambling: ['赌博', '参与赌博', '组织赌博', '聚众赌博', '参赌', '打牌赌博'],
  drugs: ['吸毒', '涉毒'],
  pornography: ['涉黄', '色情', '色情活动', '嫖娼'],
  'public-family-morality': ['违反社会公德', '违反家庭美德', '家庭美德', '社会公德'],
  'improper-remarks': ['妄议中央', '妄议中央大政方针'],
  'religion-clans': ['宗族势力', '宗教势力', '利用宗族势力', '利用宗教势力'],
  cliques: ['小圈子', '老乡会', '校友会', '战友会'],
  banquets: ['违规吃请', '接受宴请', '违规接受宴请', '吃请'],
  'luxury-collecting': ['收藏贵重物品', '买卖贵重物品', '收藏买卖贵重物品'],
  'side-business': ['经商办企业', '违规经商办企业', '有偿兼职', '违规兼职'],
  'throwing-weight': ['耍特权', '逞威风', '耍特权逞威风'],
  'private-clubs': ['私人会所', '出入私人会所', '打高尔夫', '打高尔夫球', '高尔夫'],
};

/**
 * Clue stages: the words registers use for each of the model's stages (core/model/vocabulary.ts
 * CLUE_STAGES), beside its label (core/rules/explain.ts STAGE_LABELS, what the export writes). The
 * first pilot's files keep importing: 暂存待查, which they had to file under closed, now has its own
 * stage.
 */
const CLUE_STAGE_WORDS: Record<ClueStage, readonly string[]> = {
  received: ['已受理', '登记', '新受理', '待处置'],
  assigned: ['交办', '分办', '已交办', '已分办', '交办/分办'],
  inquiry: ['函询', '谈话', '函询中', '谈话函询中'],
  preliminary: ['初核', '初核中', '初步核实中', '核查', '核查中', '正在核查', '核实', '核实中', '正在核实'],
  pending: ['暂存'],
  case: ['立案', '已立案', '立案审查', '审查调查', '立案审查中'],
  handling: [],
  recommendation: ['监察建议', '已发监察建议书'],
  rectified: ['已报送整改报告', '已整改'],
  closed: ['予以了结', '已了结', '办结', '已办结', '结案', '已结案'],
};
export const CLUE_STAGE_TERMS: Record<ClueStage, { label: Bilingual; words: readonly string[] }> = Object.fromEntries(
  CLUE_STAGES.map((id) => [id, { label: STAGE_LABELS[id], words: CLUE_STAGE_WORDS[id] }]),
) as Record<ClueStage, { label: Bilingual; words: readonly string[] }>;

/** Negative-list flag statuses, labelled as the export writes them. */
export const FLAG_STATUS_TERMS: Record<FlagStatus, { label: Bilingual; words: readonly string[] }> = {
  reported: { label: { zh: '已报告', en: 'reported' }, words: ['报告', '待核查', '已登记', '登记'] },
  verifying: { label: { zh: '核查中', en: 'verifying' }, words: ['核实中', '正在核查', '正在核实', '核查'] },
  substantiated: { label: { zh: '属实', en: 'substantiated' }, words: ['查实', '已查实', '基本属实', '经查属实'] },
  unfounded: { label: { zh: '不属实', en: 'unfounded' }, words: ['查否', '失实', '经查不属实'] },
};

type AliasConfig = Pick<WorkspaceConfig, 'negativeList' | 'channels'> & { importAliases?: ImportAliases | undefined };

const withAliases = (terms: readonly Term[], extra: Readonly<Record<string, readonly string[]>> | undefined): Term[] =>
  terms.map((t) => ({ ...t, words: [...(t.words ?? []), ...(extra?.[t.id] ?? [])] }));

/**
 * The resolvers an import uses for the vocabularies whose spellings vary, from the workspace
 * configuration: its negative list and channels (labels), the common spellings above, and the
 * aliases the workspace configured (`config.importAliases`).
 */
export function importVocabularies(config: AliasConfig) {
  const aliases = config.importAliases;
  const stageTerms = Object.entries(CLUE_STAGE_TERMS).map(([id, t]) => ({ id, label: t.label, words: t.words }));
  const statusTerms = Object.entries(FLAG_STATUS_TERMS).map(([id, t]) => ({ id, label: t.label, words: t.words }));
  return {
    item: termResolver(
      withAliases(
        config.negativeList.map((i) => ({ ...i, words: COMMON_ITEM_WORDS[i.id] ?? [] })),
        aliases?.negativeList,
      ),
    ),
    channel: termResolver(withAliases(config.channels, aliases?.channels)),
    clueStage: termResolver(withAliases(stageTerms, aliases?.clueStages)),
    flagStatus: termResolver(withAliases(statusTerms, aliases?.flagStatuses)),
  };
}
export type ImportVocabularies = ReturnType<typeof importVocabularies>;

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
