import { addDays, addMonths, fromParts, type IsoDate } from '../dates.ts';
import type { WorkspaceConfig } from '../model/config.ts';
import type { Cadre, Clue, DotRecord, Flag, ReminderCard, Unit } from '../model/schemas.ts';
import type { Rank, UnitKind } from '../model/vocabulary.ts';
import { syntheticName } from './names.ts';
import { rng, type Rng } from './random.ts';

/**
 * The demo city, 澜江市 (fictional), at the seed's scale: 98 units and 1,072 city-managed cadres
 * (the seed article's own figures), with records of all four colours over several years, negative-
 * list flags, clues at every stage and quarterly reminder cards. Deterministic for a seed.
 *
 * Frequencies are chosen to look like a real commission's files, where most people are clean:
 * about a third of cadres have a commendation, most have neutral entries (personal-matters
 * reports), about one in twelve has a yellow dot, a few have two within a year (which fires the
 * repeated-yellow warning), about one in seventy has a black dot. The generator produces model
 * entities; `demoFiles` turns them into departmental spreadsheets, and the demo is loaded through
 * the import path like any other file.
 */

export const DEMO_CITY = '澜江市';
export const DEMO_UNIT_COUNT = 98;
export const DEMO_CADRE_COUNT = 1072;

export interface DemoCity {
  units: Unit[];
  cadres: Cadre[];
  records: Omit<DotRecord, 'id'>[];
  flags: Omit<Flag, 'id'>[];
  clues: Clue[];
  cards: ReminderCard[];
}

export interface DemoOptions {
  seed?: number;
  /** The last day anything may be dated (records, flags…); keep it in the past. */
  asOf?: IsoDate;
}

type UnitSpec = readonly [name: string, kind: UnitKind, aliases?: string];

const PARTY: UnitSpec[] = [
  ['中共澜江市委办公室', 'party', '市委办'],
  ['中共澜江市委组织部', 'party', '市委组织部'],
  ['中共澜江市委宣传部', 'party', '市委宣传部'],
  ['中共澜江市委统战部', 'party', '市委统战部'],
  ['中共澜江市委政法委员会', 'party', '市委政法委'],
  ['中共澜江市直属机关工作委员会', 'party', '市直机关工委'],
  ['中共澜江市委党校', 'party', '市委党校'],
  ['中共澜江市委巡察工作领导小组办公室', 'party', '市委巡察办'],
];
const LEGISLATURE: UnitSpec[] = [
  ['澜江市人大常委会机关', 'people-congress', '市人大机关'],
  ['政协澜江市委员会机关', 'cppcc', '市政协机关'],
];
const GOVERNMENT: UnitSpec[] = [
  '市人民政府办公室',
  '市发展和改革委员会',
  '市教育局',
  '市科学技术局',
  '市工业和信息化局',
  '市公安局',
  '市民政局',
  '市司法局',
  '市财政局',
  '市人力资源和社会保障局',
  '市自然资源和规划局',
  '市生态环境局',
  '市住房和城乡建设局',
  '市交通运输局',
  '市水利局',
  '市农业农村局',
  '市商务局',
  '市文化旅游广电体育局',
  '市卫生健康委员会',
  '市退役军人事务局',
  '市应急管理局',
  '市审计局',
  '市市场监督管理局',
  '市统计局',
  '市医疗保障局',
  '市林业局',
  '市城市管理和综合执法局',
  '市信访局',
  '市行政审批服务局',
  '市国有资产监督管理委员会',
].map((n) => [`澜江${n}`, 'government', n.replace(/^市/, '')] as const);
const JUDICIAL: UnitSpec[] = [
  ['澜江市中级人民法院', 'judicial', '市中院'],
  ['澜江市人民检察院', 'judicial', '市检察院'],
];
const INSTITUTIONS: UnitSpec[] = [
  ['澜江市第一人民医院', 'institution', '市一医院'],
  ['澜江市中医医院', 'institution', '市中医院'],
  ['澜江学院', 'institution'],
  ['澜江市广播电视台', 'institution', '市广电台'],
  ['澜江市住房公积金管理中心', 'institution', '公积金中心'],
  ['澜江市公共资源交易中心', 'institution', '交易中心'],
];
const ENTERPRISES: UnitSpec[] = [
  ['澜江城市建设投资集团有限公司', 'enterprise', '城投集团'],
  ['澜江交通建设投资集团有限公司', 'enterprise', '交投集团'],
  ['澜江水务集团有限公司', 'enterprise', '水务集团'],
  ['澜江旅游发展集团有限公司', 'enterprise', '旅发集团'],
];
const COUNTIES = ['澄溪区', '望岳区', '松岭县', '白鹭县'];
/** Syllables for township names; pairs are unique across the city. */
const PLACE_A = '青石桃柳松竹梅兰枫杏李坪溪河湾岭岗塘桥沙湖';
const PLACE_B = '源口坪山湾洲坝田桥铺滩园冲溪垭岭';

const POSTS: Record<'party' | 'gov' | 'county' | 'township' | 'inst' | 'ent', readonly (readonly [string, Rank])[]> = {
  party: [
    ['部长', '正处级'],
    ['常务副部长', '副处级'],
    ['副部长', '副处级'],
    ['副部长', '副处级'],
    ['办公室主任', '正科级'],
    ['科长', '正科级'],
    ['副科长', '副科级'],
  ],
  gov: [
    ['局长', '正处级'],
    ['副局长', '副处级'],
    ['副局长', '副处级'],
    ['副局长', '副处级'],
    ['总工程师', '副处级'],
    ['办公室主任', '正科级'],
    ['科长', '正科级'],
    ['科长', '正科级'],
    ['副科长', '副科级'],
  ],
  county: [
    ['县（区）委书记', '正处级'],
    ['县（区）长', '正处级'],
    ['县（区）委副书记', '副处级'],
    ['纪委书记、监委主任', '副处级'],
    ['组织部长', '副处级'],
    ['常务副县（区）长', '副处级'],
    ['副县（区）长', '副处级'],
    ['副县（区）长', '副处级'],
    ['宣传部长', '副处级'],
    ['政法委书记', '副处级'],
    ['统战部长', '副处级'],
    ['人大常委会主任', '正处级'],
    ['政协主席', '正处级'],
  ],
  township: [
    ['党委书记', '正科级'],
    ['乡镇长', '正科级'],
    ['党委副书记', '副科级'],
    ['纪委书记', '副科级'],
    ['人大主席', '正科级'],
    ['副乡镇长', '副科级'],
    ['副乡镇长', '副科级'],
    ['组织委员', '副科级'],
    ['宣传委员', '副科级'],
    ['武装部长', '副科级'],
    ['副乡镇长', '副科级'],
  ],
  inst: [
    ['党委书记', '正处级'],
    ['院长（主任）', '正处级'],
    ['副院长（副主任）', '副处级'],
    ['副院长（副主任）', '副处级'],
    ['纪委书记', '副处级'],
    ['办公室主任', '正科级'],
  ],
  ent: [
    ['董事长', '正处级'],
    ['总经理', '正处级'],
    ['副总经理', '副处级'],
    ['副总经理', '副处级'],
    ['纪委书记', '副处级'],
    ['财务总监', '正科级'],
  ],
};

const BIRTH_BY_RANK: Record<Rank, [number, number]> = {
  正厅级: [1962, 1970],
  副厅级: [1963, 1972],
  正处级: [1964, 1976],
  副处级: [1966, 1982],
  正科级: [1968, 1988],
  副科级: [1972, 1992],
  科员: [1980, 1996],
};

export function generateCity(opts: DemoOptions = {}): DemoCity {
  const r = rng(opts.seed ?? 20190612);
  const asOf = opts.asOf ?? '2025-06-30';
  const units = makeUnits(r);
  const cadres = makeCadres(r, units);
  const records = makeRecords(r, cadres, units, asOf);
  const flags = makeFlags(r, cadres, asOf);
  const clues = makeClues(r, cadres, units, asOf);
  const cards = makeCards(r, cadres, units, asOf);
  return { units, cadres, records, flags, clues, cards };
}

function makeUnits(r: Rng): Unit[] {
  const units: Unit[] = [];
  const add = (prefix: string, i: number, [name, kind, alias]: UnitSpec, parentCode?: string, region?: string) => {
    const u: Unit = { code: `${prefix}${String(i).padStart(2, '0')}`, name, aliases: alias ? [alias] : [], kind };
    if (parentCode) u.parentCode = parentCode;
    if (region) u.region = region;
    units.push(u);
    return u;
  };
  PARTY.forEach((s, i) => add('DW', i + 1, s));
  LEGISLATURE.forEach((s, i) => add('RZ', i + 1, s));
  GOVERNMENT.forEach((s, i) => add('ZF', i + 1, s));
  JUDICIAL.forEach((s, i) => add('ZX', i + 1, s));
  INSTITUTIONS.forEach((s, i) => add('SY', i + 1, s));
  ENTERPRISES.forEach((s, i) => add('GQ', i + 1, s));
  const counties = COUNTIES.map((n, i) => add('QX', i + 1, [`澜江市${n}`, 'government', n], undefined, n));
  // The rest are townships and sub-district offices, spread over the four counties.
  const townships = DEMO_UNIT_COUNT - units.length;
  const used = new Set<string>();
  for (let i = 0; i < townships; i++) {
    const county = counties[i % counties.length]!;
    let base: string;
    do base = r.pick([...PLACE_A]) + r.pick([...PLACE_B]);
    while (used.has(base));
    used.add(base);
    const suffix = i % 7 === 6 ? '街道' : i % 3 === 2 ? '乡' : '镇';
    const short = base + suffix;
    add('XZ', i + 1, [`${county.region}${short}`, 'township', short], county.code, county.region);
  }
  return units;
}

function postsFor(u: Unit): readonly (readonly [string, Rank])[] {
  if (u.code.startsWith('QX')) return POSTS.county;
  if (u.kind === 'township') return POSTS.township;
  if (u.kind === 'party') return POSTS.party;
  if (u.kind === 'institution') return POSTS.inst;
  if (u.kind === 'enterprise') return POSTS.ent;
  return POSTS.gov;
}

function makeCadres(r: Rng, units: Unit[]): Cadre[] {
  // Seats per unit: its post table, then extra section-level posts round-robin until the city
  // has exactly DEMO_CADRE_COUNT cadres.
  const seats = units.map((u) => [...postsFor(u)]);
  let total = seats.reduce((s, p) => s + p.length, 0);
  for (let i = 0; total < DEMO_CADRE_COUNT; i++) {
    const u = units[i % units.length]!;
    seats[i % units.length]!.push(u.kind === 'township' ? ['副乡镇长', '副科级'] : ['科长', '正科级']);
    total++;
  }
  const cadres: Cadre[] = [];
  units.forEach((u, ui) => {
    for (const [post, rank] of seats[ui]!) {
      const gender = r.chance(0.27) ? 'female' : 'male';
      const [y0, y1] = BIRTH_BY_RANK[rank];
      const id = `LJ${String(cadres.length + 1).padStart(4, '0')}`;
      const name = syntheticName(r, gender);
      const c: Cadre = {
        id,
        name,
        aliases: [],
        gender,
        birth: fromParts(r.int(y0, y1), r.int(1, 12), 1).slice(0, 7),
        unitCode: u.code,
        post,
        rank,
      };
      cadres.push(c);
    }
  });
  // A handful of deliberate namesakes across units (the matcher must ask, not guess).
  for (const [a, b] of [
    [10, 500],
    [37, 801],
    [120, 960],
    [222, 1040],
  ] as const) {
    const src = cadres[a]!;
    const dst = cadres[b]!;
    if (src.unitCode !== dst.unitCode) {
      dst.name = src.name;
      dst.gender = src.gender;
    }
  }
  cadres[55]!.aliases = [cadres[55]!.name.slice(0, 1) + '小' + cadres[55]!.name.slice(-1)];
  return cadres;
}

const YEARS = [2019, 2020, 2021, 2022, 2023, 2024, 2025];

function dayIn(r: Rng, year: number, asOf: IsoDate): IsoDate {
  const d = fromParts(year, r.int(1, 12), r.int(1, 28));
  return d > asOf ? addDays(asOf, -r.int(1, 60)) : d;
}

const ORG_DEPT = '市委组织部';
const CDI = '市纪委监委';

function docNo(prefix: string, year: number, r: Rng): string {
  return `${prefix}〔${year}〕${r.int(1, 180)}号`;
}

function makeRecords(r: Rng, cadres: Cadre[], units: Unit[], asOf: IsoDate): Omit<DotRecord, 'id'>[] {
  const out: Omit<DotRecord, 'id'>[] = [];
  const rec = (
    subject: DotRecord['subject'],
    colour: DotRecord['colour'],
    kind: string,
    decisionDate: IsoDate,
    sourceDept: string,
    summary: string,
    extra: Partial<DotRecord> = {},
  ) => out.push({ subject, colour, kind, decisionDate, sourceDept, summary, status: 'active', ...extra });
  const asOfYear = Number(asOf.slice(0, 4));
  for (const c of cadres) {
    const s = { type: 'cadre' as const, id: c.id };
    // Blue: the annual personal-matters report for leading cadres, and the odd life event.
    for (const y of YEARS) {
      if (y >= asOfYear) continue;
      if ((c.rank === '正处级' || c.rank === '副处级') && r.chance(0.55))
        rec(
          s,
          'blue',
          'personal-matters-report',
          fromParts(y, r.int(1, 3), r.int(1, 28)),
          ORG_DEPT,
          `报告${y - 1}年度个人有关事项`,
        );
    }
    if (r.chance(0.12))
      rec(
        s,
        'blue',
        'private-travel-abroad',
        dayIn(r, r.pick(YEARS), asOf),
        ORG_DEPT,
        '因私出国（境）探亲，按规定报批',
      );
    if (r.chance(0.06))
      rec(s, 'blue', 'marriage-change', dayIn(r, r.pick(YEARS), asOf), ORG_DEPT, '婚姻状况变化，已按规定报告');
    if (r.chance(0.1)) rec(s, 'blue', 'post-change', dayIn(r, r.pick(YEARS), asOf), ORG_DEPT, '职务调整');
    // Red: commendations and outstanding appraisals.
    if (r.chance(0.3)) {
      const y = r.pick(YEARS.slice(0, -1));
      rec(
        s,
        'red',
        'excellent-appraisal',
        fromParts(y + 1, r.int(1, 3), r.int(1, 28)),
        ORG_DEPT,
        `${y}年度考核确定为优秀等次`,
        { docNumber: docNo('澜组通', y + 1, r) },
      );
    }
    if (r.chance(0.14)) {
      const y = r.pick(YEARS);
      rec(
        s,
        'red',
        r.chance(0.8) ? 'commendation' : 'merit-citation',
        dayIn(r, y, asOf),
        '市人力资源和社会保障局',
        r.pick([
          '在防汛抢险工作中表现突出',
          '在脱贫攻坚工作中成绩显著',
          '在疫情防控工作中表现突出',
          '在重点项目建设中成绩突出',
        ]),
        { docNumber: docNo('澜人社发', y, r) },
      );
    }
    // Yellow: organisational handling, about one cadre in twelve; a few twice within a year.
    if (r.chance(0.085)) {
      const y = r.pick(YEARS);
      const d = dayIn(r, y, asOf);
      const kind = r.weighted([
        ['reminder-talk', 5],
        ['criticism-education', 3],
        ['ordered-self-examination', 2],
        ['admonishment', 3],
        ['circulated-criticism', 1],
        ['post-adjustment', 0.6],
        ['removal-from-post', 0.3],
      ] as const);
      const extra: Partial<DotRecord> = { docNumber: docNo('澜纪', y, r) };
      if (r.chance(0.3)) {
        extra.rectificationDue = addMonths(d, 3);
        if (extra.rectificationDue <= asOf && r.chance(0.7))
          extra.rectifiedOn = addDays(extra.rectificationDue, -r.int(1, 30));
      }
      rec(
        s,
        'yellow',
        kind,
        d,
        CDI,
        r.pick([
          '落实全面从严治党主体责任不力',
          '履行“一岗双责”不到位',
          '违规使用公务用车',
          '工作作风不实、推诿扯皮',
          '违规收受礼品礼金',
          '对下属单位监管不力',
        ]),
        extra,
      );
      if (r.chance(0.15)) {
        const d2 = addDays(d, r.int(40, 300));
        if (d2 <= asOf)
          rec(s, 'yellow', 'reminder-talk', d2, CDI, '再次出现同类问题，进行提醒谈话', {
            docNumber: docNo('澜纪', Number(d2.slice(0, 4)), r),
          });
      }
    }
    // Black: party or government sanctions, rare.
    if (r.chance(0.014)) {
      const y = r.pick(YEARS);
      const d = dayIn(r, y, asOf);
      const kind = r.weighted([
        ['party-warning', 5],
        ['party-serious-warning', 3],
        ['gov-warning', 2],
        ['gov-demerit', 2],
        ['gov-major-demerit', 1],
        ['party-post-removal', 0.5],
        ['party-probation', 0.5],
        ['gov-downgrade', 0.3],
      ] as const);
      const extra: Partial<DotRecord> = { docNumber: docNo('澜纪发', y, r) };
      if (kind.startsWith('gov-')) extra.effectiveDate = addDays(d, r.int(0, 10)) > asOf ? d : addDays(d, r.int(0, 10));
      if (kind === 'party-probation') extra.probationMonths = r.chance(0.5) ? 12 : 24;
      rec(
        s,
        'black',
        kind,
        d,
        CDI,
        r.pick([
          '违反中央八项规定精神，违规公款吃喝',
          '违规发放津贴补贴',
          '利用职务便利为他人谋取利益',
          '违规插手工程项目',
          '违规收受礼金',
          '失职失责造成不良影响',
        ]),
        extra,
      );
    }
  }
  // Unit-level dots: commendations and problem clues (the seed's canteen case among them).
  for (const u of units) {
    const s = { type: 'unit' as const, id: u.code };
    if (r.chance(0.2))
      rec(
        s,
        'red',
        'honour-title',
        dayIn(r, r.pick(YEARS), asOf),
        '市委市政府',
        r.pick(['全市文明单位', '全市综合目标考核先进单位', '平安建设先进单位']),
      );
    if (r.chance(0.12)) {
      const d = dayIn(r, r.pick(YEARS), asOf);
      const due = addMonths(d, 3);
      const extra: Partial<DotRecord> = { rectificationDue: due };
      if (due <= asOf && r.chance(0.75)) extra.rectifiedOn = addDays(due, -r.int(1, 20));
      rec(
        s,
        'yellow',
        'unit-problem-clue',
        d,
        CDI,
        r.pick([
          '机关食堂管理不规范，存在超标准接待',
          '专项资金管理不规范',
          '公务用车管理不规范',
          '政府采购程序不规范',
        ]),
        extra,
      );
    }
  }
  return out;
}

function makeFlags(r: Rng, cadres: Cadre[], asOf: IsoDate): Omit<Flag, 'id'>[] {
  const items = [
    'gambling',
    'banquets',
    'weddings-funerals',
    'private-clubs',
    'side-business',
    'superstition',
    'public-family-morality',
    'throwing-weight',
  ];
  const channels = ['departments', 'community', 'home-visit', 'public-report', 'petition', 'media', 'inspection'];
  const out: Omit<Flag, 'id'>[] = [];
  for (const c of cadres) {
    if (!r.chance(0.028)) continue;
    const item = r.pick(items);
    out.push({
      cadreId: c.id,
      item,
      channel: r.pick(channels),
      date: dayIn(r, r.pick(YEARS.slice(2)), asOf),
      status: r.weighted([
        ['reported', 3],
        ['verifying', 3],
        ['substantiated', 2],
        ['unfounded', 3],
      ] as const),
      summary: r.pick([
        '群众反映其节假日参与打牌赌博',
        '反映其接受管理服务对象宴请',
        '反映其违规操办子女婚宴',
        '反映其出入私人会所',
        '反映其亲属经商与其职务有关联',
        '反映其在公共场所言行失当',
      ]),
    });
  }
  return out;
}

function makeClues(r: Rng, cadres: Cadre[], units: Unit[], asOf: IsoDate): Clue[] {
  const out: Clue[] = [];
  const stages = [
    ['received', 2],
    ['inquiry', 3],
    ['preliminary', 2],
    ['case', 1],
    ['closed', 4],
  ] as const;
  let n = 0;
  const clue = (subject: Clue['subject'], summary: string) => {
    n++;
    const received = dayIn(r, r.pick(YEARS.slice(3)), asOf);
    const stage = r.weighted(stages);
    const c: Clue = {
      id: `XS${received.slice(0, 4)}-${String(n).padStart(3, '0')}`,
      subject,
      summary,
      received,
      source: r.pick(['信访举报', '巡察移交', '审计移交', '上级交办', '监督检查发现']),
      stage,
      assignee: r.pick([
        '第一监督检查室',
        '第二监督检查室',
        '第三监督检查室',
        '派驻第一纪检监察组',
        '派驻第二纪检监察组',
        '案件审理室',
      ]),
      due: addMonths(received, 3),
    };
    if (stage === 'closed') c.outcome = r.pick(['予以了结', '谈话提醒', '转为诫勉', '问题不属实，予以澄清']);
    out.push(c);
  };
  for (const c of cadres)
    if (r.chance(0.035))
      clue(
        { type: 'cadre', id: c.id },
        r.pick([
          '反映其违规接受宴请',
          '反映其插手工程项目',
          '反映其违规兼职取酬',
          '反映其作风粗暴、漠视群众利益',
          '反映其违规发放补贴',
        ]),
      );
  for (const u of units)
    if (r.chance(0.06))
      clue(
        { type: 'unit', id: u.code },
        r.pick(['反映机关食堂管理不规范', '反映专项资金使用不规范', '反映办事窗口吃拿卡要']),
      );
  return out;
}

/** 一季一提醒：the unit's first post holder gets a card per quarter with that quarter's duties. */
function makeCards(r: Rng, cadres: Cadre[], units: Unit[], asOf: IsoDate): ReminderCard[] {
  const duties = [
    '召开党风廉政建设专题会议，研究部署本季度工作',
    '与班子成员开展廉政谈话',
    '督促班子成员落实“一岗双责”',
    '排查廉政风险点并制定防控措施',
    '听取下属单位主体责任落实情况汇报',
    '组织开展警示教育',
    '落实巡察反馈问题整改',
    '报告本季度主体责任落实情况（一季一总结）',
  ];
  const holders = new Map<string, Cadre>();
  for (const c of cadres) if (!holders.has(c.unitCode)) holders.set(c.unitCode, c);
  const year = Number(asOf.slice(0, 4));
  const quarters: { q: string; issued: IsoDate }[] = [];
  for (const y of [year - 1, year])
    for (let q = 1; q <= 4; q++) {
      const issued = fromParts(y, (q - 1) * 3 + 1, 8);
      if (issued <= asOf) quarters.push({ q: `${y}Q${q}`, issued });
    }
  const out: ReminderCard[] = [];
  const current = quarters.slice(-4);
  for (const u of units) {
    const holder = holders.get(u.code);
    if (!holder) continue;
    current.forEach(({ q, issued }, qi) => {
      const picked = new Set<string>();
      const count = r.int(3, 5);
      while (picked.size < count) picked.add(r.pick(duties.slice(0, -1)));
      picked.add(duties[duties.length - 1]!);
      const last = qi === current.length - 1;
      out.push({
        id: '',
        quarter: q,
        holderId: holder.id,
        unitCode: u.code,
        issuedOn: issued,
        items: [...picked].map((text, i) => ({
          id: `${i}`,
          text,
          state: last
            ? r.weighted([
                ['pending', 6],
                ['done', 3],
                ['overdue', 1],
              ] as const)
            : r.weighted([
                ['done', 9],
                ['overdue', 1],
              ] as const),
        })),
      });
    });
  }
  return out;
}

/** The config the demo expects (the defaults); re-exported so callers need not know. */
export type DemoConfig = Pick<WorkspaceConfig, 'kinds' | 'negativeList' | 'channels'>;
