import { describe, expect, it } from 'vitest';
import { buildMatcher, matchContext } from './matcher.ts';
import { widenToRecord } from './record.ts';
import { cadreIn as cadre } from './test/fixtures.ts';

const matcher = buildMatcher([
  cadre('C001', '张伟', '市交通运输局', '副局长'),
  cadre('C002', '张伟', '市教育局', '局长'),
  cadre('C003', '王芳', '市教育局'),
]);

/** What each row's badges say once read with the enclosing record: `name→id` or `name→?n`. */
function rows(table: string[][]): string[][] {
  const outer = table.flat();
  return table.map((row) =>
    widenToRecord(matcher, matchContext(matcher, row, 'record'), row, outer).map((m) => {
      const term = row[m.segment]!.slice(m.start, m.end);
      const r = m.resolution;
      return `${term}→${r.kind === 'subject' ? r.subject.id : `?${r.candidates.length}`}`;
    }),
  );
}

describe('a name ambiguous in its row, read with its enclosing record', () => {
  it('a cadre information form: the id in another row names the cadre, and gets no badge of its own', () => {
    expect(
      rows([
        ['姓名', '张伟', '性别', '男'],
        ['干部编号', 'C002', '出生年月', '1970.08'],
      ]),
    ).toEqual([['张伟→C002'], []]);
  });

  it('the unit or post in another row of the form decides too', () => {
    expect(
      rows([
        ['姓名', '张伟'],
        ['工作单位及职务', '市交通运输局副局长'],
      ]),
    ).toEqual([['张伟→C001'], []]);
  });

  it("a list is not one record: another row's unit is another person's, so the ambiguous name stays ambiguous", () => {
    expect(
      rows([
        ['1', '张伟', '市交通运输局'],
        ['2', '张伟', '县财政局'],
        ['3', '王芳', '市教育局'],
      ]),
    ).toEqual([['张伟→C001'], ['张伟→?2'], ['王芳→C003']]);
  });

  it('an id of someone the record does not name by name keeps its badge', () => {
    expect(
      rows([
        ['姓名', '王芳'],
        ['推荐人编号', 'C001'],
      ]),
    ).toEqual([['王芳→C003'], ['C001→C001']]);
  });

  it('nothing to decide: the row is returned as it was', () => {
    const row = ['王芳', '市教育局'];
    const own = matchContext(matcher, row, 'record');
    expect(widenToRecord(matcher, own, row, [row, ['张伟']].flat())).toEqual(own);
  });
});
