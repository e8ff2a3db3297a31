import type * as v from 'valibot';
import { labelled, pick, type Label, type Locale } from './i18n.ts';

/**
 * Validation messages in both locales. Schemas carry keys; this turns a valibot issue into a
 * sentence that names the field the way the user knows it, e.g.
 * "决定日期：日期不能晚于今天" / "Decision date: the date is in the future".
 */

export type { Locale } from './i18n.ts';

export const FIELD_LABELS: Record<string, Label> = {
  id: { zh: '编号', en: 'ID' },
  code: { zh: '单位代码', en: 'Unit code' },
  name: { zh: '姓名/名称', en: 'Name' },
  aliases: { zh: '曾用名/别名', en: 'Aliases' },
  parentCode: { zh: '上级单位', en: 'Parent unit' },
  region: { zh: '地区', en: 'Region' },
  kind: { zh: '类别', en: 'Kind' },
  gender: { zh: '性别', en: 'Gender' },
  birth: { zh: '出生年月', en: 'Date of birth' },
  unitCode: { zh: '所在单位', en: 'Unit' },
  post: { zh: '职务', en: 'Post' },
  rank: { zh: '职级', en: 'Rank' },
  subject: { zh: '对象', en: 'Subject' },
  type: { zh: '对象类型', en: 'Subject type' },
  colour: { zh: '颜色', en: 'Colour' },
  decisionDate: { zh: '决定日期', en: 'Decision date' },
  effectiveDate: { zh: '生效日期', en: 'Effective date' },
  sourceDept: { zh: '来源部门', en: 'Source department' },
  docNumber: { zh: '文号', en: 'Document number' },
  summary: { zh: '摘要', en: 'Summary' },
  status: { zh: '状态', en: 'Status' },
  probationMonths: { zh: '察看期限', en: 'Probation period' },
  rectificationDue: { zh: '整改期限', en: 'Rectification due' },
  rectifiedOn: { zh: '整改完成日期', en: 'Rectified on' },
  revoked: { zh: '撤销信息', en: 'Revocation' },
  reason: { zh: '理由', en: 'Reason' },
  by: { zh: '操作人', en: 'By' },
  at: { zh: '时间', en: 'Time' },
  cadreId: { zh: '干部编号', en: 'Cadre ID' },
  item: { zh: '负面清单事项', en: 'Negative-list item' },
  channel: { zh: '监督渠道', en: 'Channel' },
  date: { zh: '日期', en: 'Date' },
  received: { zh: '受理日期', en: 'Received' },
  source: { zh: '线索来源', en: 'Source' },
  stage: { zh: '处置阶段', en: 'Stage' },
  assignee: { zh: '承办人', en: 'Assignee' },
  due: { zh: '办结期限', en: 'Due date' },
  outcome: { zh: '处置结果', en: 'Outcome' },
  text: { zh: '内容', en: 'Text' },
  author: { zh: '作者', en: 'Author' },
  anchor: { zh: '批注位置', en: 'Anchor' },
  quarter: { zh: '季度', en: 'Quarter' },
  holderId: { zh: '提醒对象', en: 'Holder' },
  issuedOn: { zh: '发放日期', en: 'Issued on' },
  items: { zh: '清单事项', en: 'Items' },
  state: { zh: '落实状态', en: 'State' },
  purpose: { zh: '审查用途', en: 'Purpose' },
  year: { zh: '考核年度', en: 'Year' },
  asOf: { zh: '截止日期', en: 'As of' },
  people: { zh: '审查对象', en: 'People' },
  replyTo: { zh: '回复对象', en: 'Reply to' },
  resolved: { zh: '已解决', en: 'Resolved' },
  schemaVersion: { zh: '文档版本', en: 'Document version' },
  // Workflow steps (core/model/workflow-schemas.ts, core/workflow/register-schemas.ts).
  on: { zh: '日期', en: 'Date' },
  seq: { zh: '序号', en: 'Sequence' },
  clueId: { zh: '问题线索', en: 'Clue' },
  cardId: { zh: '提醒卡', en: 'Reminder card' },
  itemId: { zh: '责任事项', en: 'Duty' },
  docTitle: { zh: '文书名称', en: 'Document title' },
  assigneeKind: { zh: '承办部门类别', en: 'Assignee kind' },
  recordId: { zh: '档案记录', en: 'Dossier record' },
  level: { zh: '处理方式', en: 'Follow-up' },
  area: { zh: '工作领域', en: 'Field of work' },
  holderType: { zh: '提醒对象类别', en: 'Holder type' },
  templateId: { zh: '清单模板', en: 'Template' },
  origin: { zh: '来源', en: 'Origin' },
  requestNo: { zh: '来函文号', en: 'Request number' },
  requester: { zh: '来函单位', en: 'Requesting organ' },
  batchId: { zh: '审查批次', en: 'Batch' },
  action: { zh: '审批环节', en: 'Approval step' },
  comment: { zh: '意见', en: 'Comment' },
  draft: { zh: '回复稿', en: 'Draft' },
  replyNo: { zh: '发文字号', en: 'Reply number' },
  replyNumber: { zh: '发文字号格式', en: 'Reply-number pattern' },
};

const MESSAGES: Record<string, Label> = {
  required: { zh: '不能为空', en: 'is required' },
  'type.string': { zh: '应为文本', en: 'must be text' },
  'id.format': { zh: '只能包含字母、数字和 - _ . :', en: 'may contain only letters, digits and - _ . :' },
  'id.length': { zh: '过长', en: 'is too long' },
  'unitCode.format': {
    zh: '只能包含大写字母、数字和 . _ -，以字母或数字开头，最长 64 个字符',
    en: 'may contain only capital letters, digits and . _ -, starting with a letter or digit, at most 64 characters',
  },
  'id.duplicate': { zh: '编号重复', en: 'is a duplicate ID' },
  'name.length': { zh: '过长（最多 32 个字）', en: 'is too long (at most 32 characters)' },
  'text.length': { zh: '过长', en: 'is too long' },
  'date.format': { zh: '日期格式不正确（应为 2019-06-12）', en: 'is not a valid date (expected 2019-06-12)' },
  'date.future': { zh: '日期不能晚于今天', en: 'is in the future' },
  'record.effectiveBeforeDecision': { zh: '生效日期不能早于决定日期', en: 'is before the decision date' },
  'record.revocation': {
    zh: '已撤销的记录必须注明撤销人、时间和理由',
    en: 'a revoked record must say who revoked it, when and why',
  },
  'record.status': { zh: '应为 有效/已撤销/已过期', en: 'must be active, revoked or expired' },
  'record.probation': { zh: '察看期限应为 12 或 24 个月', en: 'must be 12 or 24 months' },
  'record.probationRequired': {
    zh: '留党察看须注明察看期限（12 或 24 个月）',
    en: 'party probation needs a probation period (12 or 24 months)',
  },
  'colour.unknown': { zh: '应为 红/蓝/黄/黑', en: 'must be red, blue, yellow or black' },
  'kind.unknown': { zh: '不是本工作区的已知类别', en: 'is not a kind this workspace knows' },
  'kind.colourMismatch': { zh: '与点的颜色不符', en: 'does not belong to this dot colour' },
  'kind.subjectMismatch': { zh: '不适用于此类对象', en: 'does not apply to this kind of subject' },
  'subject.type': { zh: '应为 干部 或 单位', en: 'must be cadre or unit' },
  'unit.kind': { zh: '不是已知的单位类别', en: 'is not a known unit kind' },
  'cadre.gender': { zh: '应为 男 或 女', en: 'must be male or female' },
  'cadre.rank': { zh: '不是已知的职级', en: 'is not a known rank' },
  'flag.status': {
    zh: '应为 已报告/核查中/属实/不属实',
    en: 'must be reported, verifying, substantiated or unfounded',
  },
  'flag.unknownItem': { zh: '不在本工作区的负面清单中', en: 'is not on this workspace’s negative list' },
  'flag.unknownChannel': { zh: '不是已知的监督渠道', en: 'is not a known channel' },
  'clue.stage': { zh: '不是已知的处置阶段', en: 'is not a known stage' },
  'quarter.format': { zh: '格式应为 2019Q3', en: 'must look like 2019Q3' },
  'card.state': { zh: '应为 待落实/已落实/逾期', en: 'must be pending, done or overdue' },
  'grades.four': { zh: '须恰好四个等次', en: 'must list exactly four grades' },
  'review.purpose': {
    zh: '应为 年度考核/提拔使用/评先评优/后备干部',
    en: 'must be annual appraisal, promotion, commendation or reserve cadre',
  },
  'review.year': { zh: '应为不晚于截止日期所在年份的年度', en: 'must be a year no later than the as-of date' },
  // Document-level answers from the accessors in core/doc.
  'entity.notFound': { zh: '不存在', en: 'does not exist' },
  'id.mismatch': { zh: '与存放位置的编号不一致', en: 'does not match the ID it is stored under' },
  'field.notEditable': { zh: '不能更正此字段', en: 'cannot be corrected' },
  'flag.transition': { zh: '不能从当前状态改为此状态', en: 'cannot move from the current status to this one' },
  'doc.newerSchema': {
    zh: '此文档由更新版本的程序写入，当前只能查看',
    en: 'was written by a newer version of the program and is read-only here',
  },
  // The workflows (core/workflow).
  'clue.transition': { zh: '不能从当前阶段进入此阶段', en: 'cannot follow the current stage' },
  'clue.stepBeforePrevious': { zh: '不能早于上一环节的日期', en: 'is before the previous step' },
  'clue.assigneeRequired': { zh: '交办须写明承办部门', en: 'an assignment needs an assignee' },
  'clue.dueRequired': {
    zh: '监察建议书须写明整改期限',
    en: 'a supervision recommendation needs a rectification deadline',
  },
  'clue.dueBeforeStep': { zh: '期限不能早于本环节日期', en: 'is before the step itself' },
  'clue.assigneeKind': {
    zh: '应为 监督检查室/派驻纪检监察组/其他',
    en: 'must be a supervision office, a stationed group or other',
  },
  'card.eventType': { zh: '不是已知的提醒卡环节', en: 'is not a known card step' },
  'card.level': {
    zh: '应为 提醒谈话/诫勉谈话/问责处理',
    en: 'must be a reminder talk, an admonishment talk or accountability',
  },
  'card.beforeIssue': { zh: '不能早于发卡日期', en: 'is before the card was issued' },
  'record.origin': { zh: '应为 提醒卡 或 问题线索', en: 'must be a reminder card or a clue' },
  'review.opinion': { zh: '应为 无意见/提示/建议暂缓/有意见', en: 'must be no objection, note, postpone or objection' },
  'approval.action': { zh: '应为 拟稿/退回/审核/签发/登记', en: 'must be draft, return, review, sign or register' },
  'approval.order': { zh: '当前环节不能进行此操作', en: 'cannot be taken at this point' },
  'approval.role': { zh: '不具备此环节的审批权限', en: 'is not someone who may take this step' },
  'approval.samePerson': {
    zh: '审核、签发须由拟稿人以外的人员进行',
    en: 'must be taken by someone other than the drafter',
  },
  'commission.replyNumber': {
    zh: '须包含 {year} 和 {n}，如 澜纪函〔{year}〕{n}号',
    en: 'must contain {year} and {n}, e.g. 澜纪函〔{year}〕{n}号',
  },
};

export interface FieldError {
  /** Dotted path, e.g. "subject.id" or "items.2.text". */
  path: string;
  /** The innermost named field, e.g. "decisionDate". */
  field: string;
  key: string;
  message: string;
}

function pathOf(issue: v.BaseIssue<unknown>): (string | number)[] {
  return (issue.path ?? []).map((p) => p.key as string | number);
}

export function fieldLabel(field: string, locale: Locale): string {
  const l = FIELD_LABELS[field];
  return l ? pick(l, locale) : field;
}

export function messageFor(key: string, locale: Locale): string {
  const m = MESSAGES[key];
  return m ? pick(m, locale) : key;
}

/** A keyed message about a field, the way every error names it: "承办部门：交办须写明承办部门". */
export function fieldMessage(field: string, key: string, locale: Locale): string {
  return labelled(fieldLabel(field, locale), messageFor(key, locale), locale);
}

/** Turns issues into one error per field, in the user's language. */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[], locale: Locale): FieldError[] {
  return issues.map((issue) => {
    const path = pathOf(issue);
    const field = [...path].reverse().find((p): p is string => typeof p === 'string') ?? '';
    // valibot's own messages (e.g. "Invalid type: Expected string") are English; anything we did
    // not key is reported as a type error so the user never reads a library's wording.
    const key = MESSAGES[issue.message] ? issue.message : issue.kind === 'schema' ? 'type.string' : issue.message;
    return {
      path: path.join('.'),
      field,
      key,
      message: field ? fieldMessage(field, key, locale) : messageFor(key, locale),
    };
  });
}
