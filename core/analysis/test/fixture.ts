import * as Y from 'yjs';
import { initUnitDoc, unitDossiers, type UnitDossiers } from '../../doc/unit-doc.ts';
import { defaultConfig } from '../../model/config.ts';
import type { Cadre, Clue, DotRecord, Flag, ReminderCard, Unit } from '../../model/schemas.ts';
import { createRowStore, type RowSnapshot } from '../row-store.ts';
import { unitRows } from '../rows.ts';

/**
 * Two units and four cadres, each with one thing the city views must find, as of 2025-06-30:
 * 张伟 a 党内警告 in its period and a talk (D); 欧阳芳 two yellow dots within a year (warning);
 * 单雄信 two recent commendations and a reported banquet (A); 李明 a clue at 初核 past its due
 * date (warning, overdue). The bureau has its own problem clue with an overdue rectification.
 */

export const AS_OF = '2025-06-30';

export const UNITS: Unit[] = [
  { code: 'A01', name: '市财政局', aliases: ['财政局'], kind: 'government' },
  { code: 'B02', name: '澄溪区青石镇', aliases: ['青石镇'], kind: 'township', region: '澄溪区' },
];

const person = (id: string, name: string, unitCode: string, post: string, rank: Cadre['rank']): Cadre => ({
  id,
  name,
  aliases: [],
  gender: 'male',
  birth: '1975-03',
  unitCode,
  post,
  rank,
});
export const CADRES: Cadre[] = [
  person('C001', '张伟', 'A01', '局长', '正处级'),
  person('C002', '欧阳芳', 'A01', '副局长', '副处级'),
  person('C003', '单雄信', 'B02', '副镇长', '副科级'),
  person('C004', '李明', 'B02', '党委书记', '正科级'),
];

export const rec = (
  id: string,
  subject: DotRecord['subject'],
  colour: DotRecord['colour'],
  kind: string,
  decisionDate: string,
  extra: Partial<DotRecord> = {},
): DotRecord => ({
  id,
  subject,
  colour,
  kind,
  decisionDate,
  sourceDept: '市纪委监委',
  summary: `${kind} ${decisionDate}`,
  status: 'active',
  ...extra,
});
const c = (id: string) => ({ type: 'cadre' as const, id });

export const RECORDS: DotRecord[] = [
  rec('R1', c('C001'), 'black', 'party-warning', '2025-01-10', { docNumber: '澜纪发〔2025〕3号' }),
  rec('R2', c('C001'), 'yellow', 'reminder-talk', '2025-03-01'),
  rec('R3', c('C002'), 'yellow', 'criticism-education', '2024-12-01'),
  rec('R4', c('C002'), 'yellow', 'reminder-talk', '2025-04-01'),
  rec('R5', c('C003'), 'red', 'commendation', '2024-02-01'),
  rec('R6', c('C003'), 'red', 'commendation', '2025-02-01'),
  rec('R7', { type: 'unit', id: 'A01' }, 'yellow', 'unit-problem-clue', '2025-01-15', {
    rectificationDue: '2025-04-15',
  }),
  rec('R8', c('C004'), 'blue', 'personal-matters-report', '2023-03-01', {
    status: 'revoked',
    revoked: { by: 'x', at: '2023-04-01T00:00:00.000Z', reason: '重复' },
  }),
];

export const FLAGS: Flag[] = [
  {
    id: 'F1',
    cadreId: 'C003',
    item: 'banquets',
    channel: 'community',
    date: '2025-05-02',
    status: 'verifying',
    summary: '反映其接受宴请',
  },
];

export const CLUES: Clue[] = [
  {
    id: 'L1',
    subject: c('C004'),
    summary: '反映其插手工程项目',
    received: '2025-05-01',
    source: '信访举报',
    stage: 'preliminary',
    due: '2025-06-01',
  },
];

export const CARDS: ReminderCard[] = [
  {
    id: 'K1',
    quarter: '2025Q1',
    holderId: 'C001',
    unitCode: 'A01',
    issuedOn: '2025-01-08',
    items: [
      { id: '0', text: '召开专题会议', state: 'done' },
      { id: '1', text: '开展廉政谈话', state: 'pending' },
    ],
  },
  {
    id: 'K2',
    quarter: '2025Q2',
    holderId: 'C001',
    unitCode: 'A01',
    issuedOn: '2025-04-08',
    items: [{ id: '0', text: '组织警示教育', state: 'pending' }],
  },
];

export function fixtureDocs(): Map<string, UnitDossiers> {
  const docs = new Map(UNITS.map((u) => [u.code, unitDossiers(new Y.Doc())]));
  for (const [code, d] of docs) initUnitDoc(d.doc, code);
  const unitOf = (s: { type: string; id: string }) =>
    s.type === 'unit' ? s.id : CADRES.find((x) => x.id === s.id)!.unitCode;
  for (const x of CADRES) docs.get(x.unitCode)!.cadres.put(x);
  for (const r of RECORDS) docs.get(unitOf(r.subject))!.records.put(r);
  for (const f of FLAGS) docs.get(unitOf(c(f.cadreId)))!.flags.put(f);
  for (const x of CLUES) docs.get(unitOf(x.subject))!.clues.put(x);
  for (const k of CARDS) docs.get(k.unitCode)!.cards.put(k);
  return docs;
}

export function fixtureRows(asOf = AS_OF, docs = fixtureDocs()): RowSnapshot {
  const store = createRowStore();
  for (const [code, d] of docs)
    store.set(
      code,
      unitRows(d, { asOf, config: defaultConfig(), unit: UNITS.find((u) => u.code === code), unitCode: code }),
    );
  return store.snapshot();
}
