import { formatDate } from '../../../core/rules/explain.ts';
import type { WorkspaceConfig } from '../../../core/model/config.ts';
import { chineseNumber } from '../../../core/workflow/reply-letter.ts';
import type { CardRow } from './rows.ts';

/**
 * A reminder card as printed, for paper and for Word: an official document in Chinese whatever
 * the interface's language (the seed: a card "以同级党委名义" with the duty list and a QR code).
 */

export type PaperSize = 'A5' | 'A4';

export interface PrintedCard {
  issuer: string;
  title: string;
  /** 2019年第三季度 */
  quarterText: string;
  holder: string;
  holderLine: string;
  items: string[];
  deadlines: string;
  scan: string;
}

export function quarterText(quarter: string): string {
  const [year, n] = quarter.split('Q');
  return `${year}年第${chineseNumber(Number(n))}季度`;
}

export function printedCard(row: CardRow, config: Pick<WorkspaceConfig, 'reminderCards'>): PrintedCard {
  const holder = row.holder?.name ?? row.card.holderId;
  const d = row.progress.deadlines;
  return {
    issuer: config.reminderCards.issuer,
    title: '党风廉政建设主体责任提醒卡',
    quarterText: quarterText(row.card.quarter),
    holder,
    holderLine: `${holder}同志（${row.unitName}${row.holder?.post ?? ''}）：`,
    items: row.card.items.map((i) => (i.area ? `${i.area}：${i.text}` : i.text)),
    deadlines:
      `请于${formatDate(d.receipt, 'zh-CN')}前签收，` +
      `${formatDate(d.reports, 'zh-CN')}前逐项报告落实情况，` +
      `${formatDate(d.summary, 'zh-CN')}前报送本季度主体责任落实情况总结。`,
    scan: '扫描二维码进入电子版，签收并报告落实情况。',
  };
}
