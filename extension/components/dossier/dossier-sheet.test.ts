import { describe, expect, test } from 'vitest';
import { recordCardEvent } from '../../../core/doc/card-work.ts';
import { advanceClue, registerClue } from '../../../core/doc/clue-work.ts';
import { defaultConfig } from '../../../core/model/config.ts';
import { AS_OF, fixtureDocs, fixtureRows } from '../../../core/analysis/test/fixture.ts';
import { dossierSheet } from './dossier-sheet.ts';

/**
 * The printable dossier shows the commission's work on a cadre as the workflows keep it: a clue at
 * the stage its steps reached with the deadline in force, every step with its date and document,
 * each reminder card with its stage, what is overdue, and its follow-ups with their documents.
 */
describe('the printable dossier’s clues and reminder cards', () => {
  const docs = fixtureDocs();
  const a01 = docs.get('A01')!;
  const work = { by: 'li', sourceDept: '市纪委监委', asOf: AS_OF };
  registerClue(
    a01,
    {
      id: 'XS-9',
      subject: { type: 'cadre', id: 'C001' },
      summary: '反映其违规接受宴请',
      received: '2025-04-01',
      source: '信访举报',
      stage: 'received',
    },
    { id: 'st-0', docTitle: '问题线索登记表' },
    work,
  );
  advanceClue(
    a01,
    'XS-9',
    {
      id: 'st-1',
      stage: 'assigned',
      on: '2025-04-03',
      assignee: '第四监督检查室',
      due: '2025-05-03',
      docTitle: '问题线索交办单',
      docNumber: '澜纪交〔2025〕8号',
    },
    work,
  );
  recordCardEvent(a01, 'K1', { id: 'ev-1', type: 'received', on: '2025-01-10' });
  recordCardEvent(a01, 'K1', { id: 'ev-2', type: 'report', on: '2025-03-20', itemId: '1', text: '开展廉政谈话' });
  const record = (id: string, kind: string, on: string, docNumber?: string) => ({
    id,
    subject: { type: 'cadre' as const, id: 'C001' },
    colour: 'yellow' as const,
    kind,
    decisionDate: on,
    sourceDept: '市纪委监委',
    ...(docNumber ? { docNumber } : {}),
    summary: '落实主体责任不力',
    status: 'active' as const,
  });
  recordCardEvent(
    a01,
    'K1',
    { id: 'ev-3', type: 'followup', on: '2025-04-10', level: 'reminder-talk' },
    { record: record('rec-talk-1', 'reminder-talk', '2025-04-10') },
  );
  recordCardEvent(
    a01,
    'K1',
    { id: 'ev-4', type: 'followup', on: '2025-04-20', level: 'admonishment' },
    { record: record('rec-adm-1', 'admonishment', '2025-04-20', '澜纪诫〔2025〕2号') },
  );
  const sheet = dossierSheet(fixtureRows(AS_OF, docs).cadreById.get('C001')!, defaultConfig());
  const section = (id: string) => sheet.sections.find((s) => s.id === id)!;

  test('a clue at the stage its steps reached, its deadline overdue, and each step with its document', () => {
    expect(section('clues').table!.rows.map((r) => r.cells)).toEqual([
      [
        '2025年4月1日',
        '反映其违规接受宴请',
        '信访举报',
        '交办',
        '第四监督检查室',
        '办理期限 2025年5月3日（已逾期）',
        '—',
      ],
    ]);
    expect(section('clue-steps').title).toBe('问题线索办理过程');
    expect(section('clue-steps').table!.rows.map((r) => r.cells)).toEqual([
      ['反映其违规接受宴请', '2025年4月1日', '受理', '问题线索登记表', '—'],
      [
        '反映其违规接受宴请',
        '2025年4月3日',
        '交办',
        '问题线索交办单（澜纪交〔2025〕8号）',
        '交办：第四监督检查室；办理期限 2025年5月3日',
      ],
    ]);
  });

  test('each reminder card: its stage and what is late, duties reported, the summary and the follow-ups', () => {
    expect(section('cards').table!.rows.map((r) => r.cells)).toEqual([
      [
        '2025Q1',
        '2025年1月8日',
        '已报告落实情况（逾期未总结）',
        '已落实 2 项，共 2 项',
        '—',
        '2025年4月10日 提醒谈话；2025年4月20日 诫勉谈话 · 诫勉（澜纪诫〔2025〕2号）',
      ],
      ['2025Q2', '2025年4月8日', '已发放（逾期未签收）', '已落实 0 项，共 1 项', '—', '—'],
    ]);
  });

  test('no internal id reaches the sheet', () => {
    const text = JSON.stringify(sheet);
    for (const id of ['XS-9', 'st-0', 'st-1', 'ev-1', 'ev-3', 'ev-4', 'rec-talk-1', 'rec-adm-1', '"K1"', '"K2"'])
      expect(text).not.toContain(id);
  });
});
