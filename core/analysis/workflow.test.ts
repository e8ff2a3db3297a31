import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { cardsOf, recordCardEvent } from '../doc/card-work.ts';
import { advanceClue, registerClue } from '../doc/clue-work.ts';
import type { UnitDossiers } from '../doc/unit-doc.ts';
import { DEFAULT_GRADE_SCHEME, defaultConfig } from '../model/config.ts';
import { cadreQuerySchema } from '../model/query.ts';
import type { Clue } from '../model/schemas.ts';
import { CLUE_STAGES } from '../model/vocabulary.ts';
import { clueDotId } from '../workflow/clue-flow.ts';
import { currentAlerts } from './alerts.ts';
import { picture } from './picture.ts';
import { runQuery } from './query.ts';
import { AS_OF, fixtureDocs, fixtureRows } from './test/fixture.ts';

/**
 * The analysis (charts, query, alerts) reads reminder cards and clues as the workflows do
 * (core/workflow/card-flow.ts, clue-flow.ts): a duty reported through the card's events is done, a
 * card's acknowledgement and summary have deadlines, a clue stands where its steps left it and its
 * deadline is met the way the clue board says. The cards page's and the board's own functions are
 * the reference each figure is checked against.
 */

const period = { from: '2024-01-01', to: AS_OF };
const config = defaultConfig();
const work = { by: 'li', sourceDept: '市纪委监委', asOf: AS_OF };
const keys = (docs: Map<string, UnitDossiers>, asOf = AS_OF) => {
  const rows = fixtureRows(asOf, docs);
  return currentAlerts(rows.cadres, rows.units, { asOf, reviews: [] }).map((a) => a.key);
};
const cityOf = (docs: Map<string, UnitDossiers>) => {
  const rows = fixtureRows(AS_OF, docs);
  return picture(rows.cadres, rows.units, { kind: 'city' }, period, DEFAULT_GRADE_SCHEME);
};
const quarter = (docs: Map<string, UnitDossiers>, q: string) => cityOf(docs).cards.find((x) => x.quarter === q)!;

describe('reminder cards as the workflow keeps them (cardEvents)', () => {
  it('a duty reported on the card is done in the completion figures and no longer overdue', () => {
    const docs = fixtureDocs();
    const a01 = docs.get('A01')!;
    // K1 (2025Q1): duty 0 done in the department's file, duty 1 pending in it; reported here on 20 March.
    expect(recordCardEvent(a01, 'K1', { id: 'e1', type: 'received', on: '2025-01-10' }).ok).toBe(true);
    expect(
      recordCardEvent(a01, 'K1', {
        id: 'e2',
        type: 'report',
        on: '2025-03-20',
        itemId: '1',
        text: '开展廉政谈话 12 人次',
      }).ok,
    ).toBe(true);
    expect(quarter(docs, '2025Q1')).toMatchObject({
      cards: 1,
      done: 2,
      pending: 0,
      overdue: 0,
      holders: { done: ['C001'], overdue: [] },
    });
    expect(keys(docs).filter((k) => k.startsWith('card-overdue'))).toEqual([]);
  });

  it('a card not acknowledged or summed up in time is counted late, exactly as the cards page flags it', () => {
    const docs = fixtureDocs();
    const a01 = docs.get('A01')!;
    // On 30 June: K1 (2025Q1, a duty done in the department's file, so taken as received) was to be
    // summed up by 15 April; K2 (issued 8 April, nothing done) was to be acknowledged by 18 April.
    const flags = () =>
      cardsOf(a01, AS_OF, config.reminderCards).cards.map((c) => [
        c.card.quarter,
        c.progress.overdue.receipt,
        c.progress.overdue.summary,
      ]);
    const figures = () =>
      cityOf(docs).cards.map((q) => [q.quarter, q.holders.lateReceipt.length > 0, q.holders.lateSummary.length > 0]);
    expect(figures()).toEqual([
      ['2025Q1', false, true],
      ['2025Q2', true, false],
    ]);
    expect(figures()).toEqual(flags());
    expect(quarter(docs, '2025Q2').holders).toMatchObject({ lateReceipt: ['C001'], summarised: [], followedUp: [] });
    // Told per duty only: a late acknowledgement or summary is on the cards page and in the figures.
    expect(keys(docs).filter((k) => k.startsWith('card'))).toEqual(['card-overdue:K1:1']);

    // Acknowledged and summed up (late, but done): nothing is late any more, and the figures say so.
    expect(recordCardEvent(a01, 'K2', { id: 'e1', type: 'received', on: '2025-04-25' }).ok).toBe(true);
    expect(
      recordCardEvent(a01, 'K1', { id: 'e3', type: 'summary', on: '2025-04-20', text: '本季度主体责任落实情况总结' })
        .ok,
    ).toBe(true);
    expect(figures()).toEqual([
      ['2025Q1', false, false],
      ['2025Q2', false, false],
    ]);
    expect(figures()).toEqual(flags());
    expect(quarter(docs, '2025Q1').holders.summarised).toEqual(['C001']);
  });

  it('a follow-up on the card counts its holder as followed up', () => {
    const docs = fixtureDocs();
    const record = {
      id: 'RT1',
      subject: { type: 'cadre' as const, id: 'C001' },
      colour: 'yellow' as const,
      kind: 'reminder-talk',
      decisionDate: '2025-04-10',
      sourceDept: '市纪委监委',
      summary: '落实主体责任不力',
      status: 'active' as const,
    };
    expect(
      recordCardEvent(
        docs.get('A01')!,
        'K1',
        { id: 'f1', type: 'followup', on: '2025-04-10', level: 'reminder-talk' },
        { record },
      ).ok,
    ).toBe(true);
    expect(quarter(docs, '2025Q1').holders.followedUp).toEqual(['C001']);
  });

  it('alert keys stay the same per card and duty however the card moves on', () => {
    const docs = fixtureDocs();
    const before = keys(docs, '2025-07-01').filter((k) => k.startsWith('card-overdue'));
    expect(before).toEqual(['card-overdue:K1:1', 'card-overdue:K2:0']);
    // Acknowledging K2 changes nothing about its overdue duty's key.
    expect(recordCardEvent(docs.get('A01')!, 'K2', { id: 'e9', type: 'received', on: '2025-04-10' }).ok).toBe(true);
    expect(keys(docs, '2025-07-01').filter((k) => k.startsWith('card-overdue'))).toEqual(before);
  });
});

describe('clues as their steps leave them', () => {
  const canteen: Clue = {
    id: 'XS-canteen',
    subject: { type: 'unit', id: 'B02' },
    summary: '反映镇食堂管理存在问题',
    received: '2025-03-01',
    source: '信访举报',
    stage: 'received',
  };
  const banquet: Clue = {
    id: 'XS-banquet',
    subject: { type: 'cadre', id: 'C003' },
    summary: '反映其接受宴请',
    received: '2025-05-01',
    source: '信访举报',
    stage: 'received',
  };

  function withCanteen(): Map<string, UnitDossiers> {
    const docs = fixtureDocs();
    const b02 = docs.get('B02')!;
    expect(registerClue(b02, canteen, { id: 's0' }, work).ok).toBe(true);
    expect(
      advanceClue(b02, canteen.id, { id: 's1', stage: 'assigned', on: '2025-03-05', assignee: '驻镇纪检监察组' }, work)
        .ok,
    ).toBe(true);
    expect(advanceClue(b02, canteen.id, { id: 's2', stage: 'preliminary', on: '2025-03-10' }, work).ok).toBe(true);
    expect(
      advanceClue(
        b02,
        canteen.id,
        { id: 's3', stage: 'recommendation', on: '2025-03-20', due: '2025-04-20', docTitle: '监察建议书' },
        work,
      ).ok,
    ).toBe(true);
    return docs;
  }

  it('a 监察建议书 past its rectification deadline is told once, as the clue’s, not again as its dot’s', () => {
    const docs = withCanteen();
    const all = keys(docs);
    expect(all).toContain('clue-overdue:XS-canteen:2025-04-20');
    expect(all.filter((k) => k.includes(clueDotId(canteen.id)))).toEqual([]);
    const rows = fixtureRows(AS_OF, docs);
    expect(
      currentAlerts(rows.cadres, rows.units, { asOf: AS_OF, reviews: [] }).find((a) =>
        a.key.startsWith('clue-overdue:XS-canteen'),
      ),
    ).toMatchObject({
      subject: { type: 'unit', id: 'B02' },
      since: '2025-04-21',
      detail: { what: 'clue-overdue', clue: canteen.id, due: '2025-04-20', rectification: true },
    });
    // The bureau's own dot, which no clue put there, is still told as a rectification.
    expect(all).toContain('rectification-overdue:R7:2025-04-15');
    const stage = cityOf(docs).clues.find((c) => c.stage === 'recommendation')!;
    expect([stage.total.count, stage.overdue.subjects]).toEqual([1, [{ type: 'unit', id: 'B02' }]]);
  });

  it('the 整改报告 meets the rectification deadline: overdue neither in the chart nor in the alerts', () => {
    const docs = withCanteen();
    expect(
      advanceClue(
        docs.get('B02')!,
        canteen.id,
        { id: 's4', stage: 'rectified', on: '2025-04-18', docTitle: '整改落实情况报告' },
        work,
      ).ok,
    ).toBe(true);
    expect(keys(docs).filter((k) => k.includes(canteen.id))).toEqual([]);
    const rectified = cityOf(docs).clues.find((c) => c.stage === 'rectified')!;
    expect([rectified.total.count, rectified.overdue.count]).toEqual([1, 0]);
  });

  it('a disposal deadline set at 交办, and the query’s stage filter on the stage the steps reached', () => {
    const docs = fixtureDocs();
    const b02 = docs.get('B02')!;
    expect(registerClue(b02, banquet, { id: 't0' }, work).ok).toBe(true);
    expect(
      advanceClue(
        b02,
        banquet.id,
        { id: 't1', stage: 'assigned', on: '2025-05-03', assignee: '第一监督检查室', due: '2025-05-30' },
        work,
      ).ok,
    ).toBe(true);
    const rows = fixtureRows(AS_OF, docs);
    expect(
      currentAlerts(rows.cadres, [], { asOf: AS_OF, reviews: [] }).find((a) =>
        a.key.startsWith('clue-overdue:XS-banquet'),
      ),
    ).toMatchObject({
      key: 'clue-overdue:XS-banquet:2025-05-30',
      detail: { what: 'clue-overdue', due: '2025-05-30' },
    });
    const ask = (stages: string[]) =>
      runQuery(rows.cadres, v.parse(cadreQuerySchema, { clueStages: stages })).map((r) => r.name);
    expect(ask(['assigned'])).toEqual(['单雄信']);
    expect(ask(['received'])).toEqual([]);
    // Closed (予以了结): no longer overdue, found under 了结.
    expect(advanceClue(b02, banquet.id, { id: 't2', stage: 'closed', on: '2025-06-10' }, work).ok).toBe(true);
    expect(keys(docs).filter((k) => k.includes(banquet.id))).toEqual([]);
    expect(
      runQuery(fixtureRows(AS_OF, docs).cadres, v.parse(cadreQuerySchema, { clueStages: ['closed'] })).map(
        (r) => r.name,
      ),
    ).toEqual(['单雄信']);
  });

  it('the chart lists every stage of the workflow, in its order', () => {
    expect(cityOf(fixtureDocs()).clues.map((c) => c.stage)).toEqual([...CLUE_STAGES]);
  });
});
