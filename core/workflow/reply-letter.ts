import { formatDate } from '../model/i18n.ts';
import type { Commission } from '../model/workflow-config.ts';
import { opinionText } from '../rules/explain.ts';
import { OPINION_LABELS, purposeScope } from '../rules/labels.ts';
import type { Opinion } from '../rules/review.ts';
import { replyNumber } from './approval.ts';
import type { Draft, DraftPerson, ReviewBatch } from './register-schemas.ts';

/**
 * The reply letter (党风廉政意见回复) as an official document (GB/T 9704-2012, 党政机关公文格式;
 * docs/workflows.md): issuing organ and 发文字号, title "关于××等×名同志党风廉政情况的意见回复",
 * addressee, a body citing the request's number as it stands (not in 《》), headings numbered
 * 一、（一）1., each person's opinion with its reasons, the unresolved names apart, 附件 noted,
 * issuing organ and date in Arabic numerals, and a 附注 with the contact. One model for the page,
 * the printed copy, the Word file and the command line. The count counts the people the letter
 * answers for, never names it could not place.
 */

export interface LetterPersonBlock {
  heading: string;
  lines: string[];
}

export interface LetterSection {
  heading: string;
  /** Objections, postponements, notes: one block per person, with reasons. */
  people: LetterPersonBlock[];
  /** No objection: the names in one paragraph. */
  paragraph?: string;
}

export interface ReplyLetter {
  organ: string;
  replyNo: string;
  title: string;
  addressee: string;
  opening: string;
  sections: LetterSection[];
  unknown?: string;
  closing: string;
  attachmentNote: string;
  signature: string;
  date: string;
  /** 附注: contact person and phone. */
  note: string;
  attachment: { title: string; header: string[]; rows: string[][] };
}

const CN_DIGITS = '零一二三四五六七八九';

/** 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (headings never run past 99). */
export function chineseNumber(n: number): string {
  if (n < 10) return CN_DIGITS[n]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : CN_DIGITS[tens]}十${ones ? CN_DIGITS[ones] : ''}`;
}

// The review page and the CLI name a request's purpose as the letter does.
export { purposeScope };

const GROUPS: { opinion: Opinion; zh: string }[] = [
  { opinion: 'objection', zh: '有不同意见的' },
  { opinion: 'postpone', zh: '建议暂缓的' },
  { opinion: 'note', zh: '无不同意见、有关情况予以提示的' },
  { opinion: 'no-objection', zh: '暂未发现问题的' },
];

const unitPost = (p: DraftPerson) => `${p.unitName}${p.post}`;

export interface LetterInput {
  batch: ReviewBatch;
  draft: Draft;
  commission: Pick<Commission, 'name' | 'replyNumber' | 'contact'>;
  /** Given at signing; a draft leaves the sequence number blank. */
  replyNo?: string;
  /** The date the letter bears (the signing date, or today for a draft). */
  date: string;
}

/** The letter is an official document in Chinese, whatever the language of the interface showing it. */
export function replyLetter(input: LetterInput): ReplyLetter {
  const { batch, draft, commission } = input;
  const zh = 'zh-CN' as const;
  const n = draft.people.length;
  const first = draft.people[0]!.name;
  const counted = n > 1 ? `等${n}名` : '';
  const scope = purposeScope(batch.purpose, batch.year, zh);
  const sections: LetterSection[] = [];
  for (const group of GROUPS) {
    const members = draft.people.filter((p) => p.opinion === group.opinion);
    if (!members.length) continue;
    const heading = `${chineseNumber(sections.length + 1)}、${group.zh}（${members.length}人）`;
    const opinion = opinionText(group.opinion, batch.purpose, zh, batch.year);
    if (group.opinion === 'no-objection') {
      sections.push({
        heading,
        people: [],
        paragraph: `${members.map((p) => `${p.name}（${unitPost(p)}）`).join('、')}：${opinion}`,
      });
      continue;
    }
    sections.push({
      heading,
      people: members.map((p, i) => ({
        heading: `（${chineseNumber(i + 1)}）${p.name}（${unitPost(p)}）：${opinion}`,
        lines: p.reasons.map((r, j) => `${j + 1}．${r.zh}`),
      })),
    });
  }
  const attachmentTitle = '党风廉政意见汇总表';
  return {
    organ: commission.name,
    replyNo: input.replyNo ?? replyNumber(commission.replyNumber, Number(input.date.slice(0, 4)), undefined),
    title: `关于${first}${counted}同志党风廉政情况的意见回复`,
    addressee: `${batch.requester}：`,
    opening:
      `你单位${batch.requestNo}收悉。根据${scope}工作需要，经查阅我委政治生态档案（截至${formatDate(batch.asOf, zh)}），` +
      `现将${first}${counted}同志党风廉政情况回复如下：`,
    sections,
    ...(draft.unknown.length
      ? { unknown: `另，来函所列${draft.unknown.join('、')}，我委政治生态档案中未查到，请核对后另行函询。` }
      : {}),
    closing: '特此函复。',
    attachmentNote: `附件：${attachmentTitle}`,
    signature: commission.name,
    date: formatDate(input.date, zh),
    note: `（联系人：${commission.contact.person}；联系电话：${commission.contact.phone}）`,
    attachment: {
      title: attachmentTitle,
      header: ['序号', '姓名', '单位及职务', '意见', '主要依据'],
      rows: draft.people.map((p, i) => [
        String(i + 1),
        p.name,
        unitPost(p),
        OPINION_LABELS[p.opinion].zh,
        p.reasons.map((r) => r.zh).join('') || '—',
      ]),
    },
  };
}

/** A file name for the Word letter: file systems refuse / \ : * ? " < > |, which 文号 sometimes hold. */
export function wordFileName(base: string): string {
  return `${base.replace(/[\\/:*?"<>|]/g, '_').trim()}.docx`;
}
