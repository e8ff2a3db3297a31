import {
  DEFAULT_COMMISSION,
  DEFAULT_REMINDER_CARDS,
  type Commission,
  type ReminderCardsConfig,
} from '../model/workflow-config.ts';

/**
 * The demo city's commission, as its letters and cards name it (澜江市 is fictional): the issuing
 * organ, the 发文字号 pattern, the addressee and the contact a reply carries, the offices and
 * stationed groups its demo clues are assigned to, and the committee whose name the cards bear.
 */
export const DEMO_COMMISSION: Commission = {
  ...DEFAULT_COMMISSION,
  name: '中共澜江市纪律检查委员会',
  replyNumber: '澜纪函〔{year}〕{n}号',
  addressee: '中共澜江市委组织部',
  contact: { person: '王明', phone: '0744-8221234' },
  handlers: [
    ...DEFAULT_COMMISSION.handlers,
    { id: 'group-1', kind: 'stationed-group', name: '派驻第一纪检监察组' },
    { id: 'group-2', kind: 'stationed-group', name: '派驻第二纪检监察组' },
    { id: 'group-zfw', kind: 'stationed-group', name: '驻市委政法委纪检监察组' },
  ],
};

export const DEMO_REMINDER_CARDS: ReminderCardsConfig = { ...DEFAULT_REMINDER_CARDS, issuer: '中共澜江市委' };
