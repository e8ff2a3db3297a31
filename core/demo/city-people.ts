import { fromParts } from '../dates.ts';
import type { Cadre, Unit } from '../model/schemas.ts';
import type { Rank, UnitKind } from '../model/vocabulary.ts';
import { syntheticName } from './names.ts';
import type { Rng } from './random.ts';

/**
 * The demo city's units and cadres (city.ts): the unit tables of a prefecture-level city, each
 * kind of unit's posts and ranks, and the generators that seat exactly DEMO_CADRE_COUNT cadres in
 * DEMO_UNIT_COUNT units. Mostly data; kept apart from the dossier generators so each reads whole.
 */

export const DEMO_UNIT_COUNT = 98;
export const DEMO_CADRE_COUNT = 1072;

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

export function makeUnits(r: Rng): Unit[] {
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

export function makeCadres(r: Rng, units: Unit[]): Cadre[] {
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
