import type { Label } from './i18n.ts';

/**
 * The default vocabularies: dot colours, record kinds per colour, negative-list items, report
 * channels, clue stages. These are data, not code: a workspace may edit them (see config.ts), and
 * every label carries both locales so the UI and error messages never hard-code Chinese.
 *
 * Kind ids are stable English slugs; imports map the Chinese names clerks type (e.g. 党内警告) to
 * them through `label.zh` and `aliases`.
 */

export const COLOURS = ['red', 'blue', 'yellow', 'black'] as const;
export type Colour = (typeof COLOURS)[number];

export type { Label };

export interface KindDef {
  id: string;
  colour: Colour;
  label: Label;
  /** Other spellings seen in departmental spreadsheets. */
  aliases?: string[];
  /** Kinds that apply to units as well as (or instead of) cadres. */
  subjects?: ('cadre' | 'unit')[];
}

const k = (id: string, colour: Colour, zh: string, en: string, extra: Partial<KindDef> = {}): KindDef => ({
  id,
  colour,
  label: { zh, en },
  ...extra,
});

/** 红点 表彰嘉奖类 · 蓝点 中性信息类 · 黄点 问题组织处理类 · 黑点 受到党纪政务处分类 (seed, 看点3). */
export const DEFAULT_KINDS: KindDef[] = [
  // red: commendations and awards
  k('commendation', 'red', '嘉奖', 'Commendation', { subjects: ['cadre', 'unit'] }),
  k('merit-citation', 'red', '记功', 'Merit citation', { aliases: ['记三等功', '记二等功', '记一等功'] }),
  k('honour-title', 'red', '授予荣誉称号', 'Honorary title', { aliases: ['荣誉称号'], subjects: ['cadre', 'unit'] }),
  k('excellent-appraisal', 'red', '年度考核优秀', 'Outstanding annual appraisal', { aliases: ['考核优秀', '优秀'] }),
  k('award', 'red', '表彰奖励', 'Award', { aliases: ['表彰', '通报表扬'], subjects: ['cadre', 'unit'] }),
  // blue: neutral information
  k('personal-matters-report', 'blue', '个人有关事项报告', 'Personal-matters report', { aliases: ['个人事项报告'] }),
  k('marriage-change', 'blue', '婚姻变化', 'Change of marital status', { aliases: ['婚姻状况变化'] }),
  k('private-travel-abroad', 'blue', '因私出国（境）', 'Private travel abroad', {
    aliases: ['因私出国(境)', '因私出国', '因私出境'],
  }),
  k('post-change', 'blue', '职务变动', 'Change of post', { aliases: ['任职变动'] }),
  k('neutral-other', 'blue', '其他中性信息', 'Other neutral information', {
    aliases: ['其他'],
    subjects: ['cadre', 'unit'],
  }),
  // yellow: organisational handling of a problem
  k('reminder-talk', 'yellow', '提醒谈话', 'Reminder talk', { aliases: ['谈话提醒'] }),
  k('criticism-education', 'yellow', '批评教育', 'Criticism and education'),
  k('ordered-self-examination', 'yellow', '责令检查', 'Ordered self-examination', { aliases: ['责令作出书面检查'] }),
  k('circulated-criticism', 'yellow', '通报批评', 'Circulated criticism', { subjects: ['cadre', 'unit'] }),
  k('admonishment', 'yellow', '诫勉', 'Admonishment', { aliases: ['诫勉谈话'] }),
  k('post-adjustment', 'yellow', '调整职务', 'Post adjustment'),
  k('removal-from-post', 'yellow', '免职', 'Removal from post'),
  k('ordered-resignation', 'yellow', '责令辞职', 'Ordered resignation'),
  k('demotion', 'yellow', '降职', 'Demotion'),
  k('unit-problem-clue', 'yellow', '问题线索（单位）', 'Problem clue (unit)', {
    aliases: ['单位问题线索'],
    subjects: ['unit'],
  }),
  // black: party-discipline sanctions (《中国共产党纪律处分条例》 art. 8)
  k('party-warning', 'black', '党内警告', 'Party warning', { aliases: ['警告处分（党纪）'] }),
  k('party-serious-warning', 'black', '党内严重警告', 'Serious party warning'),
  k('party-post-removal', 'black', '撤销党内职务', 'Removal from party post'),
  k('party-probation', 'black', '留党察看', 'Party probation'),
  k('party-expulsion', 'black', '开除党籍', 'Expulsion from the Party'),
  // black: government sanctions (《公职人员政务处分法》 art. 7)
  k('gov-warning', 'black', '政务警告', 'Government warning', { aliases: ['警告'] }),
  k('gov-demerit', 'black', '政务记过', 'Demerit', { aliases: ['记过'] }),
  k('gov-major-demerit', 'black', '政务记大过', 'Major demerit', { aliases: ['记大过'] }),
  k('gov-downgrade', 'black', '政务降级', 'Downgrade', { aliases: ['降级'] }),
  k('gov-dismissal', 'black', '政务撤职', 'Dismissal from post', { aliases: ['撤职'] }),
  k('gov-expulsion', 'black', '政务开除', 'Expulsion from public office', { aliases: ['开除'] }),
];

export interface NegativeListItem {
  id: string;
  label: Label;
}

/**
 * The seed names seven of Zhangjiajie's 15 items; the rest follow the published Guangdong and
 * Jiande lists (docs/domain-rules.md, mechanism 2). A workspace edits this list; rules never name items.
 */
export const DEFAULT_NEGATIVE_LIST: NegativeListItem[] = [
  { id: 'cult', label: { zh: '参与邪教组织', en: 'Joining a cult' } },
  { id: 'superstition', label: { zh: '参与封建迷信活动', en: 'Feudal superstition' } },
  { id: 'weddings-funerals', label: { zh: '违规操办婚丧嫁娶', en: 'Improper weddings or funerals' } },
  { id: 'gambling', label: { zh: '组织或参与赌博', en: 'Gambling' } },
  { id: 'drugs', label: { zh: '吸食毒品', en: 'Drug use' } },
  { id: 'pornography', label: { zh: '涉黄色情活动', en: 'Pornography' } },
  { id: 'public-family-morality', label: { zh: '违反社会公德、家庭美德', en: 'Breaching public or family morality' } },
  { id: 'improper-remarks', label: { zh: '妄议中央大政方针', en: 'Improper remarks on central policy' } },
  { id: 'religion-clans', label: { zh: '利用宗教、宗族势力', en: 'Using religion or clans' } },
  { id: 'cliques', label: { zh: '搞老乡会、校友会等小圈子', en: 'Cliques of townsmen or alumni' } },
  { id: 'banquets', label: { zh: '接受可能影响公正执行公务的宴请', en: 'Banquets that may affect duties' } },
  { id: 'luxury-collecting', label: { zh: '收藏、买卖贵重物品', en: 'Luxury collecting or trading' } },
  { id: 'side-business', label: { zh: '违规经商办企业或有偿兼职', en: 'Unauthorised business or paid side jobs' } },
  { id: 'throwing-weight', label: { zh: '在公共场所耍特权、逞威风', en: 'Throwing one’s weight around in public' } },
  { id: 'private-clubs', label: { zh: '出入私人会所、打高尔夫球', en: 'Private clubs or golf' } },
];

/** The seed's 7 supervision channels (职能部门监督、社区监督、干部家访、有奖举报 …). */
export const DEFAULT_CHANNELS: { id: string; label: Label }[] = [
  { id: 'departments', label: { zh: '职能部门监督', en: 'Functional departments' } },
  { id: 'community', label: { zh: '社区监督', en: 'Community supervision' } },
  { id: 'home-visit', label: { zh: '干部家访', en: 'Home visit' } },
  { id: 'public-report', label: { zh: '有奖举报', en: 'Rewarded public reporting' } },
  { id: 'petition', label: { zh: '信访举报', en: 'Petitions and reports' } },
  { id: 'media', label: { zh: '媒体与网络舆情', en: 'Media and online opinion' } },
  { id: 'inspection', label: { zh: '巡察与监督检查', en: 'Inspection tours' } },
];

export const FLAG_STATUSES = ['reported', 'verifying', 'substantiated', 'unfounded'] as const;
export type FlagStatus = (typeof FLAG_STATUSES)[number];

/**
 * Where a problem clue stands, after 《中国共产党纪律检查机关监督执纪工作规则》 (2019): 受理 received →
 * 交办/分办 assigned → one of the four ways of disposal (谈话函询 inquiry, 初步核实 preliminary,
 * 暂存待查 pending; 予以了结 goes straight to closed) → an outcome (立案审查 case, 组织处理 handling,
 * 监察建议书 recommendation; 了结 is closed) → 整改报告 rectified → 办结 closed. The first pilot's five
 * stages (received, inquiry, preliminary, case, closed) keep their ids and meaning. Which stage may
 * follow which is core/workflow/clue-flow.ts; docs/workflows.md has the table and its sources.
 */
export const CLUE_STAGES = [
  'received',
  'assigned',
  'inquiry',
  'preliminary',
  'pending',
  'case',
  'handling',
  'recommendation',
  'rectified',
  'closed',
] as const;
export type ClueStage = (typeof CLUE_STAGES)[number];

/** Who a clue is assigned to: a supervision office, a stationed group (派驻纪检监察组) or other. */
export const HANDLER_KINDS = ['office', 'stationed-group', 'other'] as const;
export type HandlerKind = (typeof HANDLER_KINDS)[number];

export const RECORD_STATUSES = ['active', 'revoked', 'expired'] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];

export const UNIT_KINDS = [
  'party',
  'government',
  'people-congress',
  'cppcc',
  'judicial',
  'institution',
  'enterprise',
  'township',
  'other',
] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export const UNIT_KIND_LABELS: Record<UnitKind, Label> = {
  party: { zh: '党委部门', en: 'Party department' },
  government: { zh: '政府部门', en: 'Government department' },
  'people-congress': { zh: '人大', en: 'People’s congress' },
  cppcc: { zh: '政协', en: 'CPPCC' },
  judicial: { zh: '政法', en: 'Judicial' },
  institution: { zh: '事业单位', en: 'Public institution' },
  enterprise: { zh: '国有企业', en: 'State-owned enterprise' },
  township: { zh: '乡镇街道', en: 'Township or sub-district' },
  other: { zh: '其他', en: 'Other' },
};

/** 职级 in the order of seniority, most senior first. */
export const RANKS = ['正厅级', '副厅级', '正处级', '副处级', '正科级', '副科级', '科员'] as const;
export type Rank = (typeof RANKS)[number];

export const CARD_ITEM_STATES = ['pending', 'done', 'overdue'] as const;
export type CardItemState = (typeof CARD_ITEM_STATES)[number];
