import { describe, expect, test } from 'vitest';
import { recordCardEvent } from '../../../core/doc/card-work.ts';
import { picture } from '../../../core/analysis/picture.ts';
import { AS_OF, fixtureDocs, fixtureRows } from '../../../core/analysis/test/fixture.ts';
import { DEFAULT_GRADE_SCHEME, defaultConfig } from '../../../core/model/config.ts';
import { CLUE_STAGES } from '../../../core/model/vocabulary.ts';
import { STAGE_LABELS } from '../../../core/rules/explain.ts';
import { chartWords } from './chart-words.ts';
import { pictureCharts } from './picture-charts.ts';

/** The analysis page's clue and card charts, with the words the page shows (zh-CN). */
describe('analysis charts over the workflows', () => {
  const docs = fixtureDocs();
  recordCardEvent(docs.get('A01')!, 'K1', { id: 'e1', type: 'received', on: '2025-01-10' });
  recordCardEvent(docs.get('A01')!, 'K1', {
    id: 'e2',
    type: 'report',
    on: '2025-03-20',
    itemId: '1',
    text: '开展廉政谈话',
  });
  const rows = fixtureRows(AS_OF, docs);
  const charts = pictureCharts(
    picture(rows.cadres, rows.units, { kind: 'city' }, { from: '2024-01-01', to: AS_OF }, DEFAULT_GRADE_SCHEME),
    chartWords(defaultConfig()),
  );
  const chart = (id: string) => charts.find((c) => c.id === id)!;

  test('clues by stage: every stage of the workflow, in order, with its label', () => {
    expect(chart('clues').spec.categories).toEqual(CLUE_STAGES.map((s) => STAGE_LABELS[s].zh));
    // Drawn with the stages down the side, where no label is dropped for want of room.
    expect(chart('clues').spec.horizontal).toBe(true);
    expect(chart('clues').table.rows.map((r) => r.label)).toEqual([
      '受理',
      '交办',
      '谈话函询',
      '初步核实',
      '暂存待查',
      '立案审查调查',
      '组织处理',
      '监察建议书',
      '整改报告',
      '了结',
    ]);
  });

  test('reminder cards: duties by state from the cards’ events, and the cards sent, summed up, late and followed up', () => {
    const table = chart('cards').table;
    expect(table.columns).toEqual([
      '季度',
      '发卡人次',
      '已落实',
      '待落实',
      '已逾期',
      '已总结',
      '逾期未签收',
      '逾期未总结',
      '跟进处理',
    ]);
    expect(table.rows.map((r) => [r.label, ...r.cells.map((c) => c.value)])).toEqual([
      ['2025Q1', 1, 2, 0, 0, 0, 0, 1, 0],
      ['2025Q2', 1, 0, 1, 0, 0, 1, 0, 0],
    ]);
    // Each figure lists its holders.
    expect(table.rows[1]!.cells[5]!.drill).toEqual({ count: 1, subjects: [{ type: 'cadre', id: 'C001' }] });
  });
});
