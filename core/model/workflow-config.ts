import * as v from 'valibot';
import { HANDLER_KINDS, UNIT_KINDS } from './vocabulary.ts';

/**
 * The workflows' part of the workspace configuration (docs/workflows.md): who the commission is on
 * its letters, who may approve them, to whom clues are assigned, and who receives reminder cards.
 * Two sections of the `workspace` document, so admins editing one do not overwrite the other.
 */

const label = v.object({ zh: v.pipe(v.string(), v.minLength(1, 'required')), en: v.string() });
const userList = v.array(v.pipe(v.string(), v.trim(), v.minLength(1, 'required')));
const slug = v.pipe(v.string(), v.regex(/^[a-z0-9-]+$/, 'id.format'));

/** {year} and {n} in the reply-number pattern: 澜纪函〔{year}〕{n}号 → 澜纪函〔2019〕12号. */
export const REPLY_NUMBER_PLACEHOLDERS = ['{year}', '{n}'] as const;

export const commissionSchema = v.object({
  /** 发文机关: the issuing organ's full name, as on the letter head and above the date. */
  name: v.pipe(v.string(), v.trim(), v.minLength(1, 'required')),
  /** 发文字号 pattern (GB/T 9704-2012 7.2.4: 机关代字〔年份〕序号), with {year} and {n}. */
  replyNumber: v.pipe(
    v.string(),
    v.trim(),
    v.check((s) => REPLY_NUMBER_PLACEHOLDERS.every((p) => s.includes(p)), 'commission.replyNumber'),
  ),
  /** 主送机关 when a request does not say (usually the organisation department). */
  addressee: v.pipe(v.string(), v.trim()),
  /** 附注: who answers questions about a reply. Letters are not drafted while these are empty. */
  contact: v.object({ person: v.pipe(v.string(), v.trim()), phone: v.pipe(v.string(), v.trim()) }),
  /**
   * Who may take each approval step (token user ids). An empty list lets anyone who may write the
   * register take that step; the reviewer and the signer must still differ from the drafter.
   */
  approvers: v.object({ draft: userList, review: userList, sign: userList }),
  /** Where clues are assigned (交办/分办): supervision offices and stationed groups. */
  handlers: v.array(
    v.object({
      id: slug,
      kind: v.picklist(HANDLER_KINDS),
      name: v.pipe(v.string(), v.trim(), v.minLength(1, 'required')),
    }),
  ),
});
export type Commission = v.InferOutput<typeof commissionSchema>;

/**
 * A kind of card holder and how the directory finds them: a post containing one of `posts` and
 * none of `excludePosts`, in a unit of one of `unitKinds` (empty: any kind).
 */
export const holderTypeSchema = v.object({
  id: slug,
  label,
  posts: v.pipe(v.array(v.pipe(v.string(), v.trim(), v.minLength(1, 'required'))), v.minLength(1, 'required')),
  excludePosts: v.array(v.pipe(v.string(), v.trim(), v.minLength(1, 'required'))),
  unitKinds: v.array(v.picklist(UNIT_KINDS, 'unit.kind')),
});
export type HolderType = v.InferOutput<typeof holderTypeSchema>;

export const reminderCardsSchema = v.object({
  /** In whose name the cards go out (同级党委, seed 看点1). */
  issuer: v.pipe(v.string(), v.trim(), v.minLength(1, 'required')),
  /** Days after issue by which the holder acknowledges receipt. */
  receiptDays: v.pipe(v.number(), v.integer(), v.minValue(1)),
  /** Days after the quarter's end by which the quarter's summary is due (一季一总结). */
  summaryDays: v.pipe(v.number(), v.integer(), v.minValue(1)),
  holderTypes: v.pipe(v.array(holderTypeSchema), v.minLength(1, 'required')),
});
export type ReminderCardsConfig = v.InferOutput<typeof reminderCardsSchema>;

export const DEFAULT_COMMISSION: Commission = {
  name: '市纪委监委',
  replyNumber: '纪函〔{year}〕{n}号',
  addressee: '市委组织部',
  contact: { person: '', phone: '' },
  approvers: { draft: [], review: [], sign: [] },
  handlers: [
    { id: 'office-1', kind: 'office', name: '第一监督检查室' },
    { id: 'office-2', kind: 'office', name: '第二监督检查室' },
    { id: 'office-3', kind: 'office', name: '第三监督检查室' },
    { id: 'office-4', kind: 'office', name: '第四监督检查室' },
  ],
};

/**
 * The seed's three kinds of holder: 同级党委常委, 政府党组副职 and 下级党委（党组）一把手 (看点1:
 * "以同级党委名义发给同级党委常委、政府党组副职以及下级党委（党组）一把手"). The post words are a
 * default to edit: directories spell posts their own way.
 */
export const DEFAULT_REMINDER_CARDS: ReminderCardsConfig = {
  issuer: '中共市委',
  receiptDays: 10,
  summaryDays: 15,
  holderTypes: [
    {
      id: 'committee-member',
      label: { zh: '同级党委常委', en: 'Party standing committee member' },
      posts: ['常委'],
      excludePosts: ['人大常委会'],
      unitKinds: [],
    },
    {
      id: 'government-deputy',
      label: { zh: '政府党组副职', en: 'Deputy head of the government party group' },
      posts: ['副市长', '副县长', '副区长', '副县（区）长'],
      excludePosts: [],
      unitKinds: ['government'],
    },
    {
      id: 'subordinate-head',
      label: { zh: '下级党委（党组）一把手', en: 'Head of a subordinate party committee or group' },
      posts: ['党委书记', '党组书记', '党工委书记', '县委书记', '区委书记', '县（区）委书记', '局长', '部长', '董事长'],
      excludePosts: ['副', '组织部长', '宣传部长', '统战部长'],
      unitKinds: [],
    },
  ],
};
