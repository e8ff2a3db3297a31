import { messageFor, type Locale } from '../model/messages.ts';

/**
 * Messages the import adds to the model's (core/model/messages.ts): problems that only exist
 * between rows and files, such as an unknown cadre id or a column that is missing.
 */
const IMPORT_MESSAGES: Record<string, { zh: string; en: string }> = {
  'import.missingColumn': { zh: '文件中没有这一列（必填）', en: 'this required column is not in the file' },
  'import.unknownCadre': { zh: '干部编号不在花名册中（请先导入花名册）', en: 'is not on the roster (import the roster first)' },
  'import.unknownUnit': { zh: '不是已知单位（请先导入单位）', en: 'is not a known unit (import the units first)' },
  'import.nameMismatch': { zh: '与花名册中该编号的姓名不一致', en: 'does not match the name on the roster for this ID' },
  'import.noSubject': { zh: '须填写干部编号或单位', en: 'give a cadre ID or a unit' },
  'import.duplicateRow': { zh: '与本文件前面的行重复', en: 'repeats an earlier row of this file' },
  'import.conflictingRow': { zh: '与本文件前面同一编号的行内容不同', en: 'conflicts with an earlier row with the same ID' },
  'import.monthOnly': { zh: '只有年月，按当月 1 日导入', en: 'has no day; imported as the 1st of the month' },
  'import.number': { zh: '应为数字', en: 'must be a number' },
  'import.cardHolderUnit': { zh: '提醒对象不在该单位', en: 'the holder is not in this unit' },
};

export interface Bilingual {
  zh: string;
  en: string;
}

export function importMessage(key: string, locale: Locale): string {
  const m = IMPORT_MESSAGES[key];
  if (m) return locale === 'zh-CN' ? m.zh : m.en;
  return messageFor(key, locale);
}

export function bilingual(key: string, fieldLabel?: Bilingual): Bilingual {
  const zh = importMessage(key, 'zh-CN');
  const en = importMessage(key, 'en');
  return fieldLabel ? { zh: `${fieldLabel.zh}：${zh}`, en: `${fieldLabel.en}: ${en}` } : { zh, en };
}
