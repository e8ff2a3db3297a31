import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { advanceClue, cluesOf, registerClue } from '../doc/clue-work.ts';
import { dossierOf, unitDossiers } from '../doc/unit-doc.ts';
import { sync } from '../doc/test/fixtures.ts';
import type { Clue } from '../model/schemas.ts';
import type { ClueStep } from '../model/workflow-schemas.ts';
import { defaultConfig } from '../model/config.ts';
import { summarise } from '../rules/summarise.ts';
import { earlyWarnings } from '../rules/warnings.ts';
import { canMove, clueDotId, clueProgress, clueStageLabel, deadlineOverdue } from './clue-flow.ts';

const canteen: Clue = {
  id: 'XS2019-001',
  subject: { type: 'unit', id: 'A01' },
  summary: '反映市直某局食堂管理存在问题',
  received: '2019-10-08',
  source: '信访举报',
  stage: 'received',
};
const opts = { by: 'li', sourceDept: '市纪委监委', asOf: '2019-10-08' };
const step = (id: string, stage: ClueStep['stage'], on: string, extra: Partial<ClueStep> = {}) => ({
  id,
  stage,
  on,
  ...extra,
});

describe('the path of a clue', () => {
  it('follows the supervision rules: assigned before disposal, four ways, outcomes, a recommendation waits for its report', () => {
    expect(canMove('received', 'assigned')).toBe(true);
    expect(canMove('received', 'preliminary')).toBe(false);
    for (const way of ['inquiry', 'preliminary', 'pending', 'closed'] as const)
      expect(canMove('assigned', way)).toBe(true);
    expect(canMove('preliminary', 'case')).toBe(true);
    expect(canMove('inquiry', 'case')).toBe(false);
    expect(canMove('recommendation', 'closed')).toBe(false);
    expect(canMove('recommendation', 'rectified')).toBe(true);
    expect(canMove('closed', 'preliminary')).toBe(false);
  });

  it('an imported clue without steps stands where its fields say, overdue after its deadline', () => {
    const imported: Clue = { ...canteen, stage: 'preliminary', assignee: '第四监督检查室', due: '2019-12-31' };
    const p = clueProgress(imported, [], '2020-01-01');
    expect(p).toMatchObject({
      stage: 'preliminary',
      assignee: '第四监督检查室',
      deadline: { due: '2019-12-31', met: false },
      overdue: true,
    });
    expect(clueProgress(imported, [], '2019-12-31').overdue).toBe(false);
    // The same deadline read on another day, as the charts and alerts read it.
    expect([
      deadlineOverdue(p.deadline, '2019-12-31'),
      deadlineOverdue(p.deadline, '2020-01-01'),
      deadlineOverdue(undefined, '2020-01-01'),
    ]).toEqual([false, true, false]);
    expect(clueStageLabel(p)).toEqual({ zh: '初步核实', en: 'preliminary verification' });
    // Steps continue from there.
    const next = clueProgress(
      imported,
      [{ ...step('s1', 'case', '2020-01-02'), clueId: imported.id, seq: 0 }],
      '2020-01-02',
    );
    expect(next.stage).toBe('case');
    expect(next.outcome).toBe('case');
  });
});

describe('the canteen case in a unit document (seed 看点3)', () => {
  it('receipt gives the unit a yellow dot; the recommendation dates its rectification; the report closes it', () => {
    const doc = new Y.Doc();
    const u = unitDossiers(doc);
    expect(registerClue(u, canteen, { id: 's0', docTitle: '问题线索登记表' }, opts)).toEqual({
      ok: true,
      changed: true,
    });
    const dossier = () => dossierOf(u, { type: 'unit', id: 'A01' });
    expect(dossier().records).toMatchObject([
      {
        id: clueDotId(canteen.id),
        colour: 'yellow',
        kind: 'unit-problem-clue',
        decisionDate: '2019-10-08',
        origin: { type: 'clue', id: canteen.id },
      },
    ]);
    expect(dossier().clues[0]!.stage).toBe('received');

    // Not before it is assigned.
    const early = advanceClue(u, canteen.id, step('s1', 'preliminary', '2019-10-09'), opts);
    expect(early.ok).toBe(false);
    expect(!early.ok && early.errors[0]!.message).toBe('处置阶段：不能从当前阶段进入此阶段');

    expect(
      advanceClue(
        u,
        canteen.id,
        step('s1', 'assigned', '2019-10-10', {
          assignee: '驻市委政法委纪检监察组',
          assigneeKind: 'stationed-group',
          docTitle: '问题线索交办单',
          docNumber: '澜纪交〔2019〕8号',
        }),
        opts,
      ).ok,
    ).toBe(true);
    expect(dossier().clues[0]).toMatchObject({ stage: 'assigned', assignee: '驻市委政法委纪检监察组' });
    expect(advanceClue(u, canteen.id, step('s2', 'preliminary', '2019-10-20'), opts).ok).toBe(true);

    const missingDue = advanceClue(u, canteen.id, step('s3', 'recommendation', '2019-11-05'), opts);
    expect(!missingDue.ok && missingDue.errors.map((e) => e.key)).toEqual(['clue.dueRequired']);
    expect(
      advanceClue(
        u,
        canteen.id,
        step('s3', 'recommendation', '2019-11-05', {
          due: '2019-12-05',
          docTitle: '监察建议书',
          docNumber: '驻政法委纪建〔2019〕2号',
        }),
        opts,
      ).ok,
    ).toBe(true);
    expect(dossier().records[0]).toMatchObject({ rectificationDue: '2019-12-05' });
    const config = defaultConfig();
    // Past the deadline without a report, the unit is warned.
    const data = () => ({
      unit: { code: 'A01', name: '市某局', aliases: [], kind: 'government' as const },
      records: dossier().records,
      flags: [],
      clues: dossier().clues,
    });
    expect(earlyWarnings(data(), '2019-12-06', config.warningRules).map((w) => w.trigger)).toContain(
      'overdue-rectification',
    );
    const view = (asOf: string) => cluesOf(u, asOf).clues[0]!.progress;
    expect(view('2019-12-06')).toMatchObject({
      stage: 'recommendation',
      deadline: { due: '2019-12-05', setAt: 'recommendation' },
      overdue: true,
    });

    expect(
      advanceClue(u, canteen.id, step('s4', 'rectified', '2019-12-03', { docTitle: '整改落实情况报告' }), opts).ok,
    ).toBe(true);
    expect(dossier().records[0]).toMatchObject({ rectifiedOn: '2019-12-03' });
    expect(earlyWarnings(data(), '2019-12-06', config.warningRules).map((w) => w.trigger)).not.toContain(
      'overdue-rectification',
    );
    expect(view('2019-12-06')).toMatchObject({ stage: 'rectified', overdue: false, deadline: { met: true } });

    expect(advanceClue(u, canteen.id, step('s5', 'closed', '2019-12-20'), opts).ok).toBe(true);
    expect(view('2019-12-20')).toMatchObject({
      stage: 'closed',
      closedAs: 'completed',
      disposal: 'preliminary',
      outcome: 'recommendation',
    });
    expect(clueStageLabel(view('2019-12-20'))).toEqual({ zh: '办结', en: 'completed' });
    expect(summarise(data(), '2019-12-20', config, 'zh-CN').dots.yellow).toBe(1);
  });

  it('a step dated before the one before it is refused, and nothing is written', () => {
    const u = unitDossiers(new Y.Doc());
    registerClue(u, canteen, { id: 's0' }, opts);
    const r = advanceClue(u, canteen.id, step('s1', 'assigned', '2019-10-01', { assignee: '第四监督检查室' }), opts);
    expect(r.ok).toBe(false);
    expect(u.clueSteps.ids()).toEqual(['s0']);
  });

  it('two officers moving the same clue offline converge: the later-ordered step is kept, shown and not counted', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const ua = unitDossiers(a);
    registerClue(ua, canteen, { id: 's0' }, opts);
    advanceClue(ua, canteen.id, step('s1', 'assigned', '2019-10-10', { assignee: '第四监督检查室' }), opts);
    sync(a, b);
    const ub = unitDossiers(b);
    expect(advanceClue(ua, canteen.id, step('s2a', 'inquiry', '2019-10-12'), opts).ok).toBe(true);
    expect(advanceClue(ub, canteen.id, step('s2b', 'pending', '2019-10-12'), opts).ok).toBe(true);
    sync(a, b);
    const pa = cluesOf(ua, '2019-10-12').clues[0]!.progress;
    const pb = cluesOf(ub, '2019-10-12').clues[0]!.progress;
    expect(pa).toEqual(pb);
    expect(pa.stage).toBe('inquiry');
    expect(pa.conflicts.map((s) => s.id)).toEqual(['s2b']);
  });
});

describe('old import files keep importing', () => {
  it('reads the first pilot’s stage words and ids, and the new stages’ words', async () => {
    const { importVocabularies } = await import('../import/vocab.ts');
    const { defaultConfig } = await import('../model/config.ts');
    const vocab = importVocabularies(defaultConfig());
    const clueStageOf = (word: string) => vocab.clueStage(word).id;
    expect(
      [
        '受理',
        '谈话函询',
        '初核',
        '立案审查调查',
        '了结',
        '予以了结',
        'received',
        'inquiry',
        'preliminary',
        'case',
        'closed',
      ].map(clueStageOf),
    ).toEqual([
      'received',
      'inquiry',
      'preliminary',
      'case',
      'closed',
      'closed',
      'received',
      'inquiry',
      'preliminary',
      'case',
      'closed',
    ]);
    expect(['交办', '暂存待查', '组织处理', '监察建议书', '整改报告', '办结'].map(clueStageOf)).toEqual([
      'assigned',
      'pending',
      'handling',
      'recommendation',
      'rectified',
      'closed',
    ]);
  });
});
