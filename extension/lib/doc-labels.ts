import { t } from './i18n.ts';

/** A document name (or grant pattern) as people read it: "单位 A01 的档案", not "unit:A01". */
export function docLabel(pattern: string): string {
  if (pattern === 'workspace') return t('docWorkspace');
  const m = /^(unit|notes):(.*)$/.exec(pattern);
  if (!m) return pattern === '*' ? t('docAll') : pattern;
  const which = m[2] === '*' ? t('docAll') : m[2]!;
  return m[1] === 'unit' ? t('docUnit', which) : t('docNotes', which);
}
