import { addMonths, fromParts, type IsoDate } from '../dates.ts';
import type { WorkspaceConfig } from '../model/config.ts';
import type { Cadre, Clue, DotRecord, Flag, ReminderCard, Unit } from '../model/schemas.ts';
import { makeCadres, makeUnits } from './city-people.ts';
import { YEARS, dayIn, makeRecords } from './city-records.ts';
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
export { DEMO_CADRE_COUNT, DEMO_UNIT_COUNT } from './city-people.ts';

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
