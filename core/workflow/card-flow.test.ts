import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { cardsOf, issueCards, recordCardEvent } from '../doc/card-work.ts';
import { dossierOf, unitDossiers } from '../doc/unit-doc.ts';
import { DEFAULT_REMINDER_CARDS } from '../model/workflow-config.ts';
import type { Cadre, Unit } from '../model/schemas.ts';
import type { CardTemplate } from '../model/workflow-schemas.ts';
import {
  cardFor,
  cardOverdueOn,
  cardProgress,
  dutyOverdueOn,
  followupRecord,
  nextFollowup,
  planIssue,
  quarterEnd,
  quarterOf,
  type PlannedCard,
} from './card-flow.ts';
import { cardReport } from './card-report.ts';

const units: Unit[] = [
  { code: 'QX01', name: '澜江市澄溪区', aliases: [], kind: 'government' },
  { code: 'XZ01', name: '澄溪区青石镇', aliases: [], kind: 'township' },
  { code: 'ZF09', name: '澜江市财政局', aliases: [], kind: 'government' },
];
const cadre = (id: string, unitCode: string, post: string): Cadre => ({
  id,
  name: `干部${id}`,
  aliases: [],
  gender: 'male',
  birth: '1975-01',
  unitCode,
  post,
  rank: '正处级',
});
const cadres = [
  cadre('C1', 'QX01', '县（区）委书记'),
  cadre('C2', 'QX01', '副县（区）长'),
  cadre('C3', 'QX01', '组织部长'),
  cadre('C4', 'XZ01', '党委书记'),
  cadre('C5', 'XZ01', '党委副书记'),
  cadre('C6', 'ZF09', '局长'),
  cadre('C7', 'ZF09', '副局长'),
];
const template = (holderType: string, quarter = '2019Q3'): CardTemplate => ({
  id: `t-${holderType}-${quarter}`,
  holderType,
  quarter,
  items: [
    { id: 'i1', text: '落实巡察反馈问题整改', area: '巡察整改' },
    { id: 'i2', text: '带头加强扶贫领域干部队伍作风建设', area: '扶贫领域' },
  ],
});
const unitOf = (code: string) => units.find((u) => u.code === code);

describe('who gets a card (一季一提醒)', () => {
  it('selects by post words and unit kind, with the quarter’s template, and never twice', () => {
    const plan = planIssue({
      quarter: '2019Q3',
      cadres,
      unit: unitOf,
      config: DEFAULT_REMINDER_CARDS,
      templates: [template('subordinate-head'), template('government-deputy'), template('subordinate-head', '2019Q2')],
      issued: new Set(['card-2019Q3-C6']),
    });
    expect(plan.map((p) => [p.cadre.id, p.holderType.id, p.status])).toEqual([
      ['C1', 'subordinate-head', 'new'],
      ['C2', 'government-deputy', 'new'],
      ['C4', 'subordinate-head', 'new'],
      ['C6', 'subordinate-head', 'issued'],
    ]);
    expect(plan[0]!.template!.quarter).toBe('2019Q3');
    // Without this quarter's template for a type, its holders are listed but get nothing.
    const none = planIssue({
      quarter: '2019Q4',
      cadres,
      unit: unitOf,
      config: DEFAULT_REMINDER_CARDS,
      templates: [],
      issued: new Set(),
    });
    expect(new Set(none.map((p) => p.status))).toEqual(new Set(['no-template']));
  });

  it('quarters: 2019-08-15 is in 2019Q3, which ends on 30 September', () => {
    expect(quarterOf('2019-08-15')).toBe('2019Q3');
    expect(quarterEnd('2019Q3')).toBe('2019-09-30');
    expect(quarterEnd('2020Q1')).toBe('2020-03-31');
  });
});

describe('a card from issue to summary, and its follow-ups on the dossier', () => {
  const plan = planIssue({
    quarter: '2019Q3',
    cadres,
    unit: unitOf,
    config: DEFAULT_REMINDER_CARDS,
    templates: [template('subordinate-head')],
    issued: new Set(),
  }).find((p) => p.cadre.id === 'C4') as PlannedCard & { template: CardTemplate };
  const card = cardFor(plan, '2019Q3', '2019-07-05');
  const config = { receiptDays: 10, summaryDays: 15 };

  it('is overdue for receipt after ten days, for reports after the quarter, for the summary fifteen days later', () => {
    expect(cardProgress(card, [], '2019-07-15', config).overdue).toEqual({
      receipt: false,
      reports: false,
      summary: false,
    });
    expect(cardProgress(card, [], '2019-07-16', config).overdue.receipt).toBe(true);
    expect(cardProgress(card, [], '2019-10-01', config).overdue).toEqual({
      receipt: true,
      reports: true,
      summary: false,
    });
    expect(cardProgress(card, [], '2019-10-16', config).overdue.summary).toBe(true);
  });

  it('what is overdue on another day reads from the same progress (the analysis asks for a period’s end or the day of an alert)', () => {
    const p = cardProgress(card, [], '2019-07-15', config);
    for (const day of ['2019-07-15', '2019-07-16', '2019-10-01', '2019-10-16'])
      expect(cardOverdueOn(p, day)).toEqual(cardProgress(card, [], day, config).overdue);
  });

  it('a card whose duties a department’s file marks done stands as reported, acknowledged in effect', () => {
    const imported = { ...card, items: card.items.map((i) => ({ ...i, state: 'done' as const })) };
    expect(cardProgress(imported, [], '2019-10-01', config)).toMatchObject({
      stage: 'reported',
      overdue: { receipt: false, reports: false, summary: false },
    });
    const half = { ...card, items: card.items.map((i, n) => (n === 0 ? { ...i, state: 'done' as const } : i)) };
    expect(cardProgress(half, [], '2019-08-01', config)).toMatchObject({
      stage: 'reporting',
      overdue: { receipt: false },
    });
  });

  it('a duty marked overdue in a department’s file is overdue before the quarter ends, until it is reported', () => {
    const marked = { ...card, items: card.items.map((i, n) => (n === 0 ? { ...i, state: 'overdue' as const } : i)) };
    const p = cardProgress(marked, [], '2019-08-01', config);
    expect([p.overdue.reports, p.items.map((i) => dutyOverdueOn(i, p.deadlines, '2019-08-01'))]).toEqual([
      true,
      [true, false],
    ]);
    const reported = cardProgress(
      marked,
      [{ id: 'e1', cardId: card.id, type: 'report', on: '2019-08-02', seq: 0, itemId: 'i1', text: '已整改' }],
      '2019-08-03',
      config,
    );
    expect([reported.overdue.reports, reported.items[0]!.done]).toEqual([false, true]);
  });

  it('goes issued → received → reported → summarised; an escalation puts an admonishment on the holder’s dossier', () => {
    const u = unitDossiers(new Y.Doc());
    expect(issueCards(u, [card])).toMatchObject({ ok: true, issued: 1 });
    expect(issueCards(u, [card])).toMatchObject({ ok: true, issued: 0 });
    const stage = () => cardsOf(u, '2019-10-20', config).cards[0]!.progress.stage;
    expect(stage()).toBe('issued');
    expect(recordCardEvent(u, card.id, { id: 'e0', type: 'received', on: '2019-07-01' }).ok).toBe(false);
    expect(recordCardEvent(u, card.id, { id: 'e1', type: 'received', on: '2019-07-08' }).ok).toBe(true);
    expect(stage()).toBe('received');
    expect(
      recordCardEvent(u, card.id, {
        id: 'e2',
        type: 'report',
        on: '2019-08-01',
        itemId: 'i1',
        text: '已完成巡察反馈问题整改 5 项',
      }).ok,
    ).toBe(true);
    expect(stage()).toBe('reporting');
    const noText = recordCardEvent(u, card.id, { id: 'e3', type: 'report', on: '2019-08-01', itemId: 'i2' });
    expect(!noText.ok && noText.errors[0]!.message).toBe('内容：不能为空');
    expect(
      recordCardEvent(u, card.id, {
        id: 'e3',
        type: 'report',
        on: '2019-09-20',
        itemId: 'i2',
        text: '召开扶贫领域作风建设专题会议',
      }).ok,
    ).toBe(true);
    expect(stage()).toBe('reported');

    expect(nextFollowup([])).toBe('reminder-talk');
    const talk = followupRecord(card, {
      id: 'r1',
      level: 'reminder-talk',
      kind: 'reminder-talk',
      colour: 'yellow',
      on: '2019-09-25',
      sourceDept: '市纪委监委',
      summary: '落实主体责任不力',
    });
    expect(
      recordCardEvent(
        u,
        card.id,
        { id: 'e4', type: 'followup', on: '2019-09-25', level: 'reminder-talk' },
        { record: talk },
      ).ok,
    ).toBe(true);
    const events = cardsOf(u, '2019-10-20', config).cards[0]!.progress.followups;
    expect(nextFollowup(events)).toBe('admonishment');
    const admonish = followupRecord(card, {
      id: 'r2',
      level: 'admonishment',
      kind: 'admonishment',
      colour: 'yellow',
      on: '2019-10-10',
      sourceDept: '市纪委监委',
      summary: '落实主体责任不力，经提醒仍未整改',
      docNumber: '澜纪诫〔2019〕7号',
    });
    expect(
      recordCardEvent(
        u,
        card.id,
        { id: 'e5', type: 'followup', on: '2019-10-10', level: 'admonishment' },
        { record: admonish },
      ).ok,
    ).toBe(true);
    const dossier = dossierOf(u, { type: 'cadre', id: 'C4' });
    expect(dossier.records.map((r) => [r.kind, r.origin])).toEqual([
      ['reminder-talk', { type: 'card', id: card.id }],
      ['admonishment', { type: 'card', id: card.id }],
    ]);
    expect(dossier.cards.map((c) => c.id)).toEqual([card.id]);

    expect(
      recordCardEvent(u, card.id, { id: 'e6', type: 'summary', on: '2019-10-12', text: '本季度主体责任落实情况总结' })
        .ok,
    ).toBe(true);
    expect(stage()).toBe('summarised');

    const report = cardReport(
      u.cards.list().flatMap((e) => (e.ok ? [e.value] : [])),
      cardsOf(u, '2019-10-20', config).cards[0]!.progress.events,
      ['2019Q3', '2019Q4'],
    );
    expect(report.total).toEqual({
      cards: 1,
      items: 2,
      summarised: 1,
      reminderTalks: 1,
      admonishments: 1,
      accountability: 0,
    });
    expect(report.byUnit.get('XZ01')?.get('2019Q3')?.cards).toBe(1);
    expect(report.byQuarter.get('2019Q4')?.cards).toBe(0);
  });
});
