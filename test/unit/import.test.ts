import { describe, expect, it } from 'vitest';
import {
  csvRows,
  decodeText,
  detectLayout,
  guessMapping,
  parseClerkDate,
  recordKey,
  stableHash,
} from '../../core/import/index.ts';
import { encodeGbk } from '../fixtures/imports/make-fixtures.ts';

describe('decodeText', () => {
  const text = '姓名,单位\n欧阳明远,示例市财政局\n';
  it('reads UTF-8 without a BOM', () => {
    expect(decodeText(new TextEncoder().encode(text))).toEqual({ text, encoding: 'utf-8' });
  });
  it('strips a UTF-8 BOM', () => {
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]))).toEqual({
      text,
      encoding: 'utf-8-bom',
    });
  });
  it('falls back to GB18030 when strict UTF-8 fails', () => {
    expect(decodeText(encodeGbk(text))).toEqual({ text, encoding: 'gb18030' });
  });
  it('reads UTF-16LE with its BOM (Excel "Unicode text")', () => {
    const u16 = new Uint8Array(2 + text.length * 2);
    u16.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) new DataView(u16.buffer).setUint16(2 + i * 2, text.charCodeAt(i), true);
    expect(decodeText(u16)).toEqual({ text, encoding: 'utf-16le' });
  });
});

describe('parseClerkDate', () => {
  it.each([
    ['2019-06-12', '2019-06-12', 'day'],
    ['2019/6/12', '2019-06-12', 'day'],
    ['2019年6月12日', '2019-06-12', 'day'],
    ['2019.06.12', '2019-06-12', 'day'],
    ['2019.6.2', '2019-06-02', 'day'],
    ['20190612', '2019-06-12', 'day'],
    ['２０１９／６／１２', '2019-06-12', 'day'],
    [' 2019 年 6 月 12 日 ', '2019-06-12', 'day'],
    ['2019.06', '2019-06-01', 'month'],
    ['2019/6', '2019-06-01', 'month'],
    ['2019年6月', '2019-06-01', 'month'],
    ['201906', '2019-06-01', 'month'],
    ['2019-12', '2019-12-01', 'month'],
  ])('%s → %s (%s)', (raw, date, precision) => {
    expect(parseClerkDate(raw)).toEqual({ date, precision });
  });
  it.each(['', '去年三月', '2019-02-30', '2019.13', '2019-6-12-1', '19-06-12', '12/06/2019', '2019年'])(
    'rejects %j',
    (raw) => {
      expect(parseClerkDate(raw)).toBeUndefined();
    },
  );
});

describe('csvRows', () => {
  it('numbers rows as a spreadsheet does, counting lines inside quoted cells and skipping blank rows', () => {
    const { rows } = csvRows('a,b\r\n1,"two\nlines"\r\n\r\n3,4\r\n');
    expect(rows).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['1', 'two\nlines'] },
      { line: 5, cells: ['3', '4'] },
    ]);
  });
  it('sniffs tab-separated exports', () => {
    expect(csvRows('干部编号\t姓名\nC1\t王芳\n').rows[1]).toEqual({ line: 2, cells: ['C1', '王芳'] });
  });
});

describe('column guessing', () => {
  it('maps Chinese headers with required markers and bracketed notes', () => {
    const m = guessMapping('records', [
      '序号',
      '干部编号*',
      '姓名',
      '处分种类',
      '批准日期（年月日）',
      '生效日期',
      '来源部门',
      '发文字号',
      '事由',
    ]);
    expect(m).toMatchObject({
      cadreId: 1,
      name: 2,
      kind: 3,
      decisionDate: 4,
      effectiveDate: 5,
      sourceDept: 6,
      docNumber: 7,
      summary: 8,
    });
    expect(m.colour).toBeUndefined();
  });
  it('maps English headers regardless of case and spacing', () => {
    expect(guessMapping('cadres', ['Cadre ID', 'NAME', 'Gender', 'Date of birth', 'Unit', 'Post', 'Rank'])).toEqual({
      id: 0,
      name: 1,
      gender: 2,
      birth: 3,
      unit: 4,
      post: 5,
      rank: 6,
    });
  });
  it('gives an exact spelling priority over a looser one (单位代码 is the code, not the name)', () => {
    expect(guessMapping('units', ['单位名称', '单位代码', '单位类别'])).toMatchObject({ code: 1, name: 0, kind: 2 });
  });
  it('finds the header row under a title and tells the kind of file', () => {
    const rows = [
      { cells: ['2024年度负面清单事项登记表'] },
      { cells: ['填报单位：示例市纪委'] },
      { cells: ['干部编号', '姓名', '负面清单事项', '监督渠道', '发现日期', '情况摘要'] },
    ];
    expect(detectLayout(rows)).toMatchObject({ headerIndex: 2, kind: 'flags' });
    expect(detectLayout([{ cells: ['甲', '乙'] }])).toBeUndefined();
  });
});

describe('stable keys', () => {
  it('depend on what identifies the fact, nothing else', () => {
    const a = recordKey('cadre', 'C1', 'party-warning', '2018-06-15', '示纪〔2018〕12号');
    expect(recordKey('cadre', 'C1', 'party-warning', '2018-06-15', '示纪〔2018〕12号')).toBe(a);
    expect(recordKey('cadre', 'C1', 'party-warning', '2018-06-16', '示纪〔2018〕12号')).not.toBe(a);
    expect(recordKey('cadre', 'C1', 'party-warning', '2018-06-15', '')).not.toBe(a);
    expect(recordKey('unit', 'C1', 'party-warning', '2018-06-15', '示纪〔2018〕12号')).not.toBe(a);
    expect(a).toMatch(/^rec-[0-9a-z]{22}$/);
  });
  it('does not collide over many near-identical inputs', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) seen.add(stableHash('C' + i, 'k', '2020-01-01'));
    expect(seen.size).toBe(20_000);
  });
});
