import { inBoth, labelled, localised, pick, type Label, type Locale } from '../model/i18n.ts';
import { messageFor } from '../model/messages.ts';

/**
 * Messages the import adds to the model's (core/model/messages.ts): problems that only exist
 * between rows and files, such as an unknown cadre id or a column that is missing.
 */
const IMPORT_MESSAGES: Record<string, Label> = {
  'import.missingColumn': { zh: '文件中没有这一列（必填）', en: 'this required column is not in the file' },
  'import.unknownCadre': {
    zh: '干部编号不在花名册中（请先导入花名册）',
    en: 'is not on the roster (import the roster first)',
  },
  'import.unknownUnit': { zh: '不是已知单位（请先导入单位）', en: 'is not a known unit (import the units first)' },
  'import.nameMismatch': {
    zh: '与花名册中该编号的姓名不一致',
    en: 'does not match the name on the roster for this ID',
  },
  'import.noSubject': { zh: '须填写干部编号或单位', en: 'give a cadre ID or a unit' },
  'import.duplicateRow': { zh: '与本文件前面的行重复', en: 'repeats an earlier row of this file' },
  'import.conflictingRow': {
    zh: '与本文件前面同一编号的行内容不同',
    en: 'conflicts with an earlier row with the same ID',
  },
  'import.monthOnly': { zh: '只有年月，按当月 1 日导入', en: 'has no day; imported as the 1st of the month' },
  'import.number': { zh: '应为数字', en: 'must be a number' },
  'import.cardHolderUnit': { zh: '提醒对象不在该单位', en: 'the holder is not in this unit' },
  // Rows the token may not import (its grants, as the server reports them: see ImportAccess).
  'import.outsideAccess': {
    zh: '所属单位不在本令牌的权限范围内（无权写入该单位的档案）',
    en: "belongs to a unit outside this token's access (it may not write that unit's dossiers)",
  },
  'import.cadreOutsideAccess': {
    zh: '不在本令牌可访问单位的花名册中（可能属于权限范围外的单位，或尚未导入花名册）',
    en:
      'is not on the roster of any unit this token can access ' +
      '(the cadre may be in a unit outside its access, or not on the roster yet)',
  },
  'import.directoryReadOnly': {
    zh: '本令牌无权修改单位名录（需要 workspace 的 admin 权限）',
    en: 'this token may not change the unit directory (that needs admin on workspace)',
  },
  // A backup file (export.ts) that is not JSON at all.
  json: { zh: '不是有效的 JSON 文件', en: 'not a valid JSON file' },
};

/** Problems that say the row is outside the token's access, not that it is wrong: see `outsideAccessLines`. */
export const ACCESS_KEYS: ReadonlySet<string> = new Set([
  'import.outsideAccess',
  'import.cadreOutsideAccess',
  'import.directoryReadOnly',
]);

/** A report's text in both locales, as an import preview keeps it. */
export type Bilingual = Label;

export function importMessage(key: string, locale: Locale): string {
  const m = IMPORT_MESSAGES[key];
  return m ? pick(m, locale) : messageFor(key, locale);
}

const READ_AS = localised({
  'zh-CN': { readAs: (raw: string, as: string) => `“${raw}”读作“${as}”` },
  en: { readAs: (raw, as) => `“${raw}” read as “${as}”` },
});

/** A note that a cell was understood through one of the accepted spellings: "“赌博”读作“组织或参与赌博”". */
export function readAsMessage(fieldLabel: Bilingual, raw: string, readAs: Bilingual): Bilingual {
  return inBoth((l) => labelled(pick(fieldLabel, l), READ_AS(l).readAs(raw, pick(readAs, l)), l));
}

export function bilingual(key: string, fieldLabel?: Bilingual): Bilingual {
  return inBoth((l) => (fieldLabel ? labelled(pick(fieldLabel, l), importMessage(key, l), l) : importMessage(key, l)));
}
