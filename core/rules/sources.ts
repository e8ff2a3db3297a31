import { pick, type Label, type Locale } from '../model/i18n.ts';

/**
 * Every rule the engine applies names where it comes from, so an officer reading an opinion can
 * check it against the text. Reasons carry a source id; explain() turns it into the citation.
 * Article numbers follow docs/domain-rules.md; where that file names a regulation without an
 * article we cite the regulation alone rather than guess one.
 */
export const SOURCES = {
  'party-10-warning': {
    zh: '《中国共产党纪律处分条例》第十条',
    en: 'CPC Regulations on Disciplinary Sanctions, art. 10',
  },
  'party-11-post-removal': {
    zh: '《中国共产党纪律处分条例》第十一条',
    en: 'CPC Regulations on Disciplinary Sanctions, art. 11',
  },
  'party-12-probation': {
    zh: '《中国共产党纪律处分条例》第十二条',
    en: 'CPC Regulations on Disciplinary Sanctions, art. 12',
  },
  'party-13-expulsion': {
    zh: '《中国共产党纪律处分条例》第十三条',
    en: 'CPC Regulations on Disciplinary Sanctions, art. 13',
  },
  'gov-8-19-periods': {
    zh: '《公职人员政务处分法》第八条、第十九条',
    en: 'Law on Governmental Sanctions for Public Employees, arts. 8 and 19',
  },
  'gov-15-combination': {
    zh: '《公职人员政务处分法》第十五条',
    en: 'Law on Governmental Sanctions for Public Employees, art. 15',
  },
  'gov-24-expulsion': {
    zh: '《公职人员政务处分法》第八条、第二十四条',
    en: 'Law on Governmental Sanctions for Public Employees, arts. 8 and 24',
  },
  'appraisal-28-29': {
    zh: '《公务员考核规定》第二十八条、第二十九条',
    en: 'Provisions on the Appraisal of Civil Servants, arts. 28–29',
  },
  'appraisal-28-investigation': {
    zh: '《公务员考核规定》第二十八条',
    en: 'Provisions on the Appraisal of Civil Servants, art. 28',
  },
  'selection-24': {
    zh: '《党政领导干部选拔任用工作条例》第二十四条',
    en: 'Regulations on the Selection and Appointment of Party and Government Leaders, art. 24',
  },
  'org-handling': {
    zh: '《中国共产党组织处理规定（试行）》',
    en: 'CPC Provisions on Organisational Handling (trial)',
  },
  'no-national-rule': {
    zh: '无全国性影响期规定，按本工作区规则在审查中提示',
    en: 'no national influence period; flagged in reviews by this workspace’s rules',
  },
  'review-postpone': {
    zh: '党风廉政意见回复：有问题线索正在核查的，建议暂缓，待查清后再作答复',
    en: 'integrity-review practice: while a clue is being verified, postpone until it is cleared up',
  },
  'integrity-review': {
    zh: '党风廉政意见回复',
    en: 'integrity-review reply',
  },
  'warning-rules': {
    zh: '本工作区预警规则',
    en: 'this workspace’s warning rules',
  },
  'grade-scheme': {
    zh: '本工作区等次评定办法',
    en: 'this workspace’s grading scheme',
  },
  'workspace-vocabulary': {
    zh: '本工作区自定义类别，规则表未收录，请人工核查',
    en: 'a kind this workspace added; not in the rule tables, check by hand',
  },
} as const satisfies Record<string, Label>;

export type SourceId = keyof typeof SOURCES;

export function citation(id: SourceId, locale: Locale): string {
  return pick(SOURCES[id], locale);
}
