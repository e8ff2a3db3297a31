import JSZip from 'jszip';
import { Packer } from 'docx';
import { describe, expect, test } from 'vitest';
import { defaultConfig } from '../../../core/model/config.ts';
import { cadre, rec, subject } from '../../../core/rules/fixtures.ts';
import { reviewBatch } from '../../../core/rules/review.ts';
import { letterOf, wordFileName, type LetterInput } from './letter.ts';
import { letterDocument } from './word.ts';

const text: LetterInput['text'] = {
  subject: (n, c) => `关于${n}等${c}名同志党风廉政情况的回复`,
  subjectOne: (n) => `关于${n}同志党风廉政情况的回复`,
  subjectNone: (c) => `关于${c}名同志党风廉政情况的回复`,
  intro: (no, asOf, c, scope) => `你单位《${no}》收悉。截至${asOf}，${c}名同志（${scope}）：`,
  ambiguous: (c) => `同名${c}人`,
  notFound: () => '未查到',
  closing: () => '特此函复。',
};

function letterFor(people: string[]) {
  const li = { ...subject([rec('R1', 'party-warning', '2018-06-15')]), cadre: cadre('C1', '李明', { unitCode: 'A01', post: '副局长' }) };
  const zhao = { ...subject([]), cadre: cadre('C2', '赵强', { unitCode: 'A01', post: '局长' }) };
  const result = reviewBatch({ purpose: 'annual-appraisal', year: 2018, asOf: '2019-01-10', people }, { subjects: [li, zhao] }, defaultConfig());
  return letterOf({ result, asked: people, letterNo: '组干函〔2019〕3号', requester: '市委组织部', repliedOn: '2019-01-12', unitName: () => '市财政局', vocab: {}, locale: 'zh-CN', text });
}

describe('the reply letter', () => {
  test('each person with unit and post, the opinion in officers’ wording, reasons only where there is something to say', () => {
    const l = letterFor(['李明', '赵强', '张三丰']);
    expect(l.title).toBe('关于李明等3名同志党风廉政情况的回复');
    expect(l.intro).toBe('你单位《组干函〔2019〕3号》收悉。截至2019年1月10日，3名同志（2018年度考核）：');
    expect(l.people[0]).toMatchObject({ name: '李明', unitPost: '市财政局 副局长', opinion: '对其2018年度考核等次有不同意见。' });
    expect(l.people[0]!.reasons[0]).toContain('《公务员考核规定》第二十八条、第二十九条');
    expect(l.people[1]).toMatchObject({ name: '赵强', reasons: [] });
    expect(l.people[1]!.opinion).toMatch(/^暂未发现影响2018年度/);
    expect(l.people[2]).toEqual({ name: '张三丰', unitPost: '', opinion: '未查到', reasons: [] });
    expect(l.date).toBe('2019年1月12日');
  });

  test('the Word file is an A4 document carrying the same text', async () => {
    const l = letterFor(['李明']);
    const zip = await JSZip.loadAsync(await Packer.toBuffer(letterDocument(l)));
    const xml = await zip.file('word/document.xml')!.async('string');
    const plain = xml.replace(/<[^>]+>/g, '');
    expect(plain).toContain('关于李明同志党风廉政情况的回复');
    expect(plain).toContain('1．李明（市财政局 副局长）：对其2018年度考核等次有不同意见。');
    expect(plain).toContain(l.people[0]!.reasons[0]!.replace(/[“”]/g, ''));
    // 210 × 297 mm in twips.
    expect(xml).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    expect(xml).toContain('w:eastAsia="仿宋"');
  });

  test('the Word file is named after the letter, without characters file systems refuse', () => {
    expect(wordFileName('党风廉政意见回复（组干函〔2019〕3号）')).toBe('党风廉政意见回复（组干函〔2019〕3号）.docx');
    expect(wordFileName('回复（组干函2019/3:"急"）')).toBe('回复（组干函2019_3__急_）.docx');
  });
});
