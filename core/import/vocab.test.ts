import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../model/config.ts';
import { csvRows } from './table.ts';
import { directoryOf, prepareImport } from './prepare.ts';
import { CLUE_STAGE_TERMS, FLAG_STATUS_TERMS, importVocabularies } from './vocab.ts';

const directory = directoryOf(
  [{ code: 'A01', name: '市财政局', aliases: [] }],
  [{ id: 'C001', name: '张伟', aliases: [], unitCode: 'A01' }],
);
const table = (csv: string) => ({ rows: csvRows(csv).rows, format: 'csv' as const });
const flags = (item: string, status = '已报告') =>
  table(
    `干部编号,姓名,负面清单事项,监督渠道,发现日期,核查状态,情况摘要\nC001,张伟,${item},社区监督,2023-10-10,${status},节假日打牌\n`,
  );
const clues = (stage: string) =>
  table(
    `线索编号,干部编号,姓名,问题摘要,受理日期,线索来源,处置阶段\nXS-1,C001,张伟,反映收受礼金,2023-03-01,信访举报,${stage}\n`,
  );

describe('import vocabulary: the spellings clerks use', () => {
  it('reads 参与赌博 and 赌博 as the negative-list item 组织或参与赌博, and says so in the report', () => {
    for (const word of ['参与赌博', '赌博', '组织或参与赌博']) {
      const p = prepareImport(flags(word), { today: '2024-01-01', config: defaultConfig(), directory, kind: 'flags' });
      expect(p.problems).toEqual([]);
      expect(p.entities[0]!.value).toMatchObject({ item: 'gambling' });
      const notes = p.notes.filter((n) => n.key === 'import.readAs');
      if (word === '组织或参与赌博') expect(notes).toEqual([]);
      else
        expect(notes.map((n) => [n.line, n.column, n.message])).toEqual([
          [
            2,
            '负面清单事项',
            {
              zh: `负面清单事项：“${word}”读作“组织或参与赌博”`,
              en: `Negative-list item: “${word}” read as “Gambling”`,
            },
          ],
        ]);
    }
  });

  it('reads the clue stage 核查中 as 初步核实; a word nobody uses is still refused', () => {
    const p = prepareImport(clues('核查中'), {
      today: '2024-01-01',
      config: defaultConfig(),
      directory,
      kind: 'clues',
    });
    expect(p.problems).toEqual([]);
    expect(p.entities[0]!.value).toMatchObject({ stage: 'preliminary' });
    expect(p.notes.map((n) => n.message.zh)).toEqual(['处置阶段：“核查中”读作“初步核实”']);
    const unknown = prepareImport(clues('调查中'), {
      today: '2024-01-01',
      config: defaultConfig(),
      directory,
      kind: 'clues',
    });
    expect(unknown.problems.map((x) => [x.column, x.key])).toEqual([['处置阶段', 'clue.stage']]);
  });

  it('accepts the aliases a workspace configures, for items and stages', () => {
    const config = {
      ...defaultConfig(),
      importAliases: { negativeList: { banquets: ['公款吃喝'] }, clueStages: { case: ['已进入审查'] } },
    };
    const f = prepareImport(flags('公款吃喝'), { today: '2024-01-01', config, directory, kind: 'flags' });
    expect(f.entities[0]!.value).toMatchObject({ item: 'banquets' });
    expect(f.notes[0]!.message.zh).toBe('负面清单事项：“公款吃喝”读作“接受可能影响公正执行公务的宴请”');
    const c = prepareImport(clues('已进入审查'), { today: '2024-01-01', config, directory, kind: 'clues' });
    expect(c.entities[0]!.value).toMatchObject({ stage: 'case' });
    // Without the configuration the same words are refused, by the schema's own message.
    expect(
      prepareImport(flags('公款吃喝'), {
        today: '2024-01-01',
        config: defaultConfig(),
        directory,
        kind: 'flags',
      }).problems.map((x) => x.key),
    ).toEqual(['flag.unknownItem']);
  });

  it('the words the export writes read back without a note (a round trip is silent)', () => {
    const v = importVocabularies(defaultConfig());
    for (const [id, t] of Object.entries(CLUE_STAGE_TERMS)) expect(v.clueStage(t!.label.zh)).toEqual({ id });
    for (const [id, t] of Object.entries(FLAG_STATUS_TERMS)) expect(v.flagStatus(t.label.zh)).toEqual({ id });
    // A flag's status 核查中 is the label of "verifying": the same word means different things per vocabulary.
    expect(v.flagStatus('核查中')).toEqual({ id: 'verifying' });
  });
});
