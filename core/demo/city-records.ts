import { addDays, addMonths, fromParts, type IsoDate } from '../dates.ts';
import type { Cadre, DotRecord, Unit } from '../model/schemas.ts';
import type { Rng } from './random.ts';

/**
 * The demo city's dated records, the four colours of dots (city.ts has the frequencies and why).
 * The dates fall in YEARS and never after `asOf`.
 */

export const YEARS = [2019, 2020, 2021, 2022, 2023, 2024, 2025];

export function dayIn(r: Rng, year: number, asOf: IsoDate): IsoDate {
  const d = fromParts(year, r.int(1, 12), r.int(1, 28));
  return d > asOf ? addDays(asOf, -r.int(1, 60)) : d;
}

const ORG_DEPT = '市委组织部';
const CDI = '市纪委监委';

function docNo(prefix: string, year: number, r: Rng): string {
  return `${prefix}〔${year}〕${r.int(1, 180)}号`;
}

export function makeRecords(r: Rng, cadres: Cadre[], units: Unit[], asOf: IsoDate): Omit<DotRecord, 'id'>[] {
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
