import { Packer } from 'docx';
import mammoth from 'mammoth';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { attributeWith } from '../doc/writers.ts';
import { registerDoc } from '../doc/register-doc.ts';
import { sync } from '../doc/test/fixtures.ts';
import { defaultConfig } from '../model/config.ts';
import { cadre, clue, rec } from '../rules/fixtures.ts';
import { reviewBatch } from '../rules/review.ts';
import type { SubjectData } from '../rules/reasons.ts';
import { actionBlocked, nextReplyNumber, registerCounts, replyNumber } from './approval.ts';
import { citationContext, draftFrom } from './reply-draft.ts';
import { chineseNumber, replyLetter } from './reply-letter.ts';
import { letterDocument } from './reply-word.ts';
import type { ReviewBatch } from './register-schemas.ts';

const config = defaultConfig();
const commission = {
  ...config.commission,
  name: '中共澜江市纪律检查委员会',
  replyNumber: '澜纪函〔{year}〕{n}号',
  contact: { person: '王明', phone: '0744-8221234' },
};

// The seed's case: 张某, a 党内警告 approved in June 2018 → "2018年度不能评先评优".
const zhang: SubjectData = {
  cadre: cadre('LJ0007', '张某', { unitCode: 'ZF09', post: '副局长' }),
  records: [
    rec('r-a5b08a27', 'party-warning', '2018-06-15', {
      subject: { type: 'cadre', id: 'LJ0007' },
      docNumber: '澜纪发〔2018〕12号',
    }),
  ],
  flags: [],
  clues: [],
};
const li: SubjectData = {
  cadre: cadre('LJ0008', '李明', { unitCode: 'ZF09', post: '局长' }),
  records: [],
  flags: [],
  clues: [],
};
const wang: SubjectData = {
  cadre: cadre('LJ0009', '王芳', { unitCode: 'ZF10', post: '副局长' }),
  records: [],
  flags: [],
  clues: [{ ...clue('clue-xyz', 'preliminary', '2019-05-01'), subject: { type: 'cadre', id: 'LJ0009' } }],
};
const subjects = [zhang, li, wang];
const unitName = (code: string) => ({ ZF09: '澜江市财政局', ZF10: '澜江市教育局' })[code] ?? code;
const batch: ReviewBatch = {
  id: 'b1',
  requestNo: '澜组干函〔2019〕45号',
  requester: '中共澜江市委组织部',
  received: '2019-08-05',
  purpose: 'commendation',
  year: 2018,
  asOf: '2019-08-06',
  people: ['张某', '李明', '王芳', '赵六'],
};

function draft() {
  const result = reviewBatch(
    { purpose: 'commendation', year: 2018, asOf: batch.asOf, people: batch.people },
    { subjects },
    config,
  );
  const out = draftFrom(result, { asked: batch.people, ctx: citationContext(subjects, config), unitName });
  if (!out.ok) throw new Error('draft refused');
  return out.draft;
}

describe('the reply letter (GB/T 9704-2012)', () => {
  it('the seed’s case: a party warning of June 2018 is an objection to 2018 评先评优, cited by kind, date and 文号', () => {
    const d = draft();
    expect(d.people.map((p) => [p.name, p.opinion])).toEqual([
      ['张某', 'objection'],
      ['李明', 'no-objection'],
      ['王芳', 'postpone'],
    ]);
    expect(d.people[0]!.reasons.map((r) => r.zh)).toContain(
      '2018年6月15日受到党内警告处分（澜纪发〔2018〕12号），2018年度考核不得确定为优秀等次，不能评先评优（《公务员考核规定》第二十八条、第二十九条）。',
    );
    expect(d.unknown).toEqual(['赵六']);
  });

  it('has every official element, counts only the people it answers for, and no internal id', async () => {
    const letter = replyLetter({
      batch,
      draft: draft(),
      commission,
      replyNo: '澜纪函〔2019〕12号',
      date: '2019-08-09',
    });
    expect(letter.title).toBe('关于张某等3名同志党风廉政情况的意见回复');
    expect(letter.opening).toContain('你单位澜组干函〔2019〕45号收悉');
    expect(letter.opening).not.toContain('《澜组干函');
    expect(letter.sections.map((s) => s.heading)).toEqual([
      '一、有不同意见的（1人）',
      '二、建议暂缓的（1人）',
      '三、暂未发现问题的（1人）',
    ]);
    expect(letter.sections[0]!.people[0]!.heading).toBe('（一）张某（澜江市财政局副局长）：不宜评先评优。');
    expect(letter.sections[0]!.people[0]!.lines[0]).toMatch(/^1．2018年6月15日受到党内警告处分（澜纪发〔2018〕12号）/);

    const buffer = await Packer.toBuffer(letterDocument(letter));
    const { value: text } = await mammoth.extractRawText({ buffer });
    for (const element of [
      '中共澜江市纪律检查委员会',
      '澜纪函〔2019〕12号',
      '关于张某等3名同志党风廉政情况的意见回复',
      '中共澜江市委组织部：',
      '你单位澜组干函〔2019〕45号收悉',
      '一、有不同意见的（1人）',
      '（一）张某（澜江市财政局副局长）：不宜评先评优。',
      '另，来函所列赵六，我委政治生态档案中未查到',
      '附件：党风廉政意见汇总表',
      '2019年8月9日',
      '（联系人：王明；联系电话：0744-8221234）',
      '序号',
      '单位及职务',
    ])
      expect(text, element).toContain(element);
    for (const id of ['r-a5b08a27', 'LJ0007', 'LJ0008', 'LJ0009', 'clue-xyz', 'ZF09'])
      expect(text, id).not.toContain(id);
  });

  it('numbers replies under the pattern; a draft leaves the number blank', () => {
    expect(replyNumber('澜纪函〔{year}〕{n}号', 2019, 12)).toBe('澜纪函〔2019〕12号');
    expect(replyNumber('澜纪函〔{year}〕{n}号', 2019, undefined)).toBe('澜纪函〔2019〕\u3000\u3000号');
    expect(
      nextReplyNumber('澜纪函〔{year}〕{n}号', 2019, [
        '澜纪函〔2019〕12号',
        '澜纪函〔2018〕40号',
        '澜纪函〔2019〕3号',
        'other',
      ]),
    ).toBe(13);
    expect(nextReplyNumber('澜纪函〔{year}〕{n}号', 2020, ['澜纪函〔2019〕12号'])).toBe(1);
    expect([1, 9, 10, 12, 20, 35].map(chineseNumber)).toEqual(['一', '九', '十', '十二', '二十', '三十五']);
  });
});

describe('approval and the shared register', () => {
  const people = {
    a: { user: 'ana', name: '拟稿人' },
    b: { user: 'bo', name: '审核人' },
    c: { user: 'cy', name: '签发人' },
  };
  const approvers = { draft: ['ana'], review: ['bo'], sign: ['cy'] };

  it('drafted, reviewed, signed and registered, each by someone with the role the server attributes; counts are org-wide', () => {
    // Three officers' devices, each writing under its own clientID; the server's bindings say whose.
    const docs = { a: new Y.Doc(), b: new Y.Doc(), c: new Y.Doc() };
    const attribute = attributeWith(
      new Map((Object.keys(docs) as (keyof typeof docs)[]).map((k) => [docs[k].clientID, people[k]])),
    );
    const all = () => {
      sync(docs.a, docs.b);
      sync(docs.b, docs.c);
      sync(docs.a, docs.b);
    };
    const reg = { a: registerDoc(docs.a), b: registerDoc(docs.b), c: registerDoc(docs.c) };
    expect(reg.a.draft(batch, { id: 's1', on: '2019-08-06', draft: draft() })).toEqual({ ok: true, changed: true });
    all();
    const state = () => reg.c.entries(attribute, approvers).entries[0]!.approval;
    expect(state()).toMatchObject({ state: 'drafted', drafter: { status: 'server', user: 'ana' } });
    // The drafter may not review her own draft; a signer may not skip review.
    expect(actionBlocked(state(), 'review', people.a, approvers)).toBe('approval.role');
    expect(actionBlocked(state(), 'sign', people.c, approvers)).toBe('approval.order');
    expect(reg.b.act('b1', { id: 's2', on: '2019-08-07', action: 'review', comment: '同意' }).ok).toBe(true);
    all();
    expect(state()).toMatchObject({ state: 'reviewed', reviewer: { user: 'bo' } });
    expect(reg.c.act('b1', { id: 's3', on: '2019-08-09', action: 'sign', replyNo: '澜纪函〔2019〕12号' }).ok).toBe(
      true,
    );
    all();
    expect(reg.a.act('b1', { id: 's4', on: '2019-08-09', action: 'register' }).ok).toBe(true);
    all();
    expect(state()).toMatchObject({
      state: 'registered',
      signer: { user: 'cy' },
      replyNo: '澜纪函〔2019〕12号',
      registeredOn: '2019-08-09',
    });
    expect(registerCounts(reg.b.entries(attribute, approvers).entries, 2019)).toEqual({
      batches: 1,
      people: 3,
      differing: 2,
    });
  });

  it('a step written by someone without the role is shown and not counted', () => {
    const drafter = new Y.Doc();
    const intruder = new Y.Doc();
    const attribute = attributeWith(
      new Map([
        [drafter.clientID, people.a],
        [intruder.clientID, { user: 'eve', name: '他人' }],
      ]),
    );
    registerDoc(drafter).draft(batch, { id: 's1', on: '2019-08-06', draft: draft() });
    sync(drafter, intruder);
    // The accessor cannot tell who is writing; the server's attribution can.
    expect(registerDoc(intruder).act('b1', { id: 's2', on: '2019-08-07', action: 'review' }).ok).toBe(true);
    sync(drafter, intruder);
    const approval = registerDoc(drafter).entries(attribute, approvers).entries[0]!.approval;
    expect(approval.state).toBe('drafted');
    expect(
      approval.steps.map((s) => [s.step.id, s.author.status === 'server' ? s.author.user : s.author.status, s.problem]),
    ).toEqual([
      ['s1', 'ana', undefined],
      ['s2', 'eve', 'approval.role'],
    ]);
  });
});
