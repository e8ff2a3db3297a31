/**
 * What each kind of departmental spreadsheet carries, and how to recognise its columns from the
 * headers clerks actually write (Chinese and English, with or without "*" required markers,
 * full-width brackets, units in parentheses). A column mapping is field key → column index; the
 * guesses are only a starting point: the import page and the CLI let the user correct them.
 */

export const IMPORT_KINDS = ['units', 'cadres', 'records', 'flags', 'clues', 'cards'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export interface FieldDef {
  key: string;
  label: { zh: string; en: string };
  /** A row cannot be imported without it (the column must be mapped and the cell non-empty). */
  required: boolean;
  /** Header spellings, compared after `normaliseHeader`. The first is what exports write. */
  headers: string[];
}

const f = (key: string, zh: string, en: string, required: boolean, headers: string[]): FieldDef => ({
  key,
  label: { zh, en },
  required,
  headers: [zh, en, ...headers],
});

/** Subject columns shared by records and clues: a cadre by id, or a unit by code or name. */
const subjectFields = [
  f('cadreId', '干部编号', 'Cadre ID', false, [
    '人员编号',
    '干部代码',
    '编号',
    'cadre',
    'cadreid',
    'personid',
    'staffid',
    'id',
  ]),
  f('name', '姓名', 'Name', false, ['干部姓名', '人员姓名', 'fullname']),
  f('unit', '单位', 'Unit', false, ['单位代码', '单位名称', '所在单位', '工作单位', 'unitcode', 'unitname', 'org']),
];

export const FIELDS: Record<ImportKind, FieldDef[]> = {
  units: [
    f('code', '单位代码', 'Unit code', true, ['单位编码', '代码', '编码', 'code', 'orgcode']),
    f('name', '单位名称', 'Unit name', true, ['名称', '单位', 'name', 'unit', 'orgname']),
    f('parent', '上级单位', 'Parent unit', false, [
      '上级单位代码',
      '上级单位名称',
      '主管单位',
      '隶属',
      'parent',
      'parentcode',
    ]),
    f('kind', '单位类别', 'Unit kind', true, ['单位性质', '类别', '类型', 'kind', 'type', 'category']),
    f('region', '地区', 'Region', false, ['所属地区', '区域', '区县', 'area']),
    f('aliases', '简称', 'Aliases', false, ['别名', '曾用名', '单位简称', 'alias', 'shortname']),
  ],
  cadres: [
    f('id', '干部编号', 'Cadre ID', true, ['人员编号', '干部代码', '编号', 'id', 'cadreid', 'personid', 'staffid']),
    f('name', '姓名', 'Name', true, ['干部姓名', '人员姓名', 'fullname']),
    f('gender', '性别', 'Gender', true, ['sex']),
    f('birth', '出生年月', 'Date of birth', true, ['出生日期', '出生时间', '生日', 'birth', 'birthdate', 'dob']),
    f('unit', '单位', 'Unit', true, [
      '单位代码',
      '单位名称',
      '所在单位',
      '工作单位',
      '现任职单位',
      'unitcode',
      'unitname',
      'org',
    ]),
    f('post', '职务', 'Post', true, ['现任职务', '职位', '岗位', 'position', 'title']),
    f('rank', '职级', 'Rank', true, ['职务层次', '级别', 'level', 'grade']),
    f('aliases', '曾用名', 'Aliases', false, ['别名', 'alias', 'formername']),
  ],
  records: [
    ...subjectFields,
    f('colour', '颜色', 'Colour', false, ['点位', '点的颜色', '类型', 'color', 'dot']),
    f('kind', '类别', 'Kind', true, [
      '信息类别',
      '处理类别',
      '处分种类',
      '处理方式',
      '事项类别',
      'category',
      'measure',
    ]),
    f('decisionDate', '决定日期', 'Decision date', true, [
      '批准日期',
      '处理日期',
      '处分日期',
      '表彰日期',
      '日期',
      'date',
      'decided',
      'decisiondate',
    ]),
    f('effectiveDate', '生效日期', 'Effective date', false, ['起算日期', 'effective', 'effectivedate']),
    f('sourceDept', '来源部门', 'Source department', true, [
      '来源',
      '报送部门',
      '提供部门',
      '信息来源',
      'source',
      'department',
      'dept',
    ]),
    f('docNumber', '文号', 'Document number', false, [
      '发文字号',
      '决定文号',
      '文件号',
      'docno',
      'docnumber',
      'reference',
    ]),
    f('summary', '摘要', 'Summary', true, [
      '事由',
      '主要内容',
      '情况摘要',
      '内容',
      '简要情况',
      'description',
      'details',
    ]),
    f('status', '状态', 'Status', false, ['记录状态', 'state']),
    f('probationMonths', '察看期限', 'Probation period', false, [
      '察看期',
      '留党察看期限',
      'probation',
      'probationmonths',
    ]),
    f('rectificationDue', '整改期限', 'Rectification due', false, ['整改截止日期', 'rectificationdue']),
    f('rectifiedOn', '整改完成日期', 'Rectified on', false, ['整改完成时间', 'rectifiedon']),
  ],
  flags: [
    subjectFields[0]!,
    subjectFields[1]!,
    f('item', '负面清单事项', 'Negative-list item', true, ['事项', '清单事项', '负面行为', 'item', 'negativelistitem']),
    f('channel', '监督渠道', 'Channel', true, ['渠道', '信息来源', '来源', 'source']),
    f('date', '日期', 'Date', true, ['发现日期', '报告日期', '反映日期', '登记日期', 'reportedon']),
    f('status', '核查状态', 'Status', false, ['状态', '核实情况', 'state']),
    f('summary', '情况摘要', 'Summary', true, ['摘要', '反映情况', '内容', 'description', 'details']),
  ],
  clues: [
    f('id', '线索编号', 'Clue ID', false, ['编号', 'clueid']),
    ...subjectFields.map((s) =>
      s.key === 'cadreId' ? { ...s, headers: s.headers.filter((h) => h !== '编号' && h !== 'id') } : s,
    ),
    f('summary', '问题摘要', 'Summary', true, ['摘要', '线索摘要', '反映问题', '主要问题', '内容', 'description']),
    f('received', '受理日期', 'Received', true, ['收到日期', '登记日期', '日期', 'date', 'receivedon']),
    f('source', '线索来源', 'Source', true, ['来源', '来源部门', 'origin']),
    f('stage', '处置阶段', 'Stage', true, ['处置方式', '办理阶段', '阶段', '状态', 'status']),
    f('assignee', '承办人', 'Assignee', false, ['承办部门', '承办', 'handler', 'owner']),
    f('due', '办结期限', 'Due date', false, ['期限', '截止日期', 'deadline', 'duedate']),
    f('outcome', '处置结果', 'Outcome', false, ['办理结果', '结果', 'result']),
  ],
  cards: [
    f('quarter', '季度', 'Quarter', true, ['提醒季度', 'period']),
    f('holderId', '提醒对象编号', 'Holder ID', true, ['干部编号', '责任人编号', 'holder', 'holderid', 'cadreid']),
    f('name', '提醒对象', 'Holder', false, ['姓名', '责任人', 'holdername']),
    f('unit', '单位', 'Unit', true, ['单位代码', '单位名称', '所在单位', 'unitcode']),
    f('issuedOn', '发放日期', 'Issued on', true, ['发卡日期', '日期', 'issued', 'date']),
    f('itemText', '责任事项', 'Duty', true, ['提醒事项', '清单事项', '事项', '主体责任事项', 'item', 'duty']),
    f('state', '落实状态', 'State', false, ['状态', '完成情况', 'status']),
    f('note', '备注', 'Note', false, ['说明', 'remarks']),
  ],
};

/** 单位名称（全称）*, "Unit Name " and "单位 名称" all become the same key. */
export function normaliseHeader(h: string): string {
  return h
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[(（[【].*?[)）\]】]/g, '')
    .replace(/[\s*_\-:：·.]/g, '')
    .replace(/必填|选填$/g, '');
}

export type ColumnMapping = Record<string, number | undefined>;

/**
 * Guesses a mapping: first exact header matches for every field (so "单位代码" goes to the unit code
 * even when another field lists "代码" as a spelling), then, for fields still unmapped, a header
 * that contains the field's main label. A column serves at most one field.
 */
export function guessMapping(kind: ImportKind, headers: readonly string[]): ColumnMapping {
  const norm = headers.map(normaliseHeader);
  const fields = FIELDS[kind];
  const used = new Set<number>();
  const mapping: ColumnMapping = {};
  // Pass 1: exact spellings, in the order each field lists them (earlier spellings win).
  const maxSpellings = Math.max(...fields.map((fd) => fd.headers.length));
  for (let s = 0; s < maxSpellings; s++) {
    for (const fd of fields) {
      if (mapping[fd.key] !== undefined) continue;
      const spelling = fd.headers[s];
      if (spelling === undefined) continue;
      const col = norm.findIndex((h, i) => !used.has(i) && h === normaliseHeader(spelling));
      if (col >= 0) {
        mapping[fd.key] = col;
        used.add(col);
      }
    }
  }
  // Pass 2: a header containing the Chinese label, e.g. "处分决定日期" for 决定日期.
  for (const fd of fields) {
    if (mapping[fd.key] !== undefined) continue;
    const label = normaliseHeader(fd.label.zh);
    const col = norm.findIndex((h, i) => !used.has(i) && h.length > 0 && h.includes(label));
    if (col >= 0) {
      mapping[fd.key] = col;
      used.add(col);
    }
  }
  return mapping;
}

/** How many of a kind's fields a header row matches; used to pick the kind and the header row. */
export function headerScore(kind: ImportKind, headers: readonly string[]): number {
  const mapping = guessMapping(kind, headers);
  let score = 0;
  for (const fd of FIELDS[kind]) if (mapping[fd.key] !== undefined) score += fd.required ? 2 : 1;
  return score;
}

/**
 * Finds the header row (department exports often put a title such as "2019年度干部花名册" and a
 * date line above it) and the most likely kind. Looks at the first ten rows.
 */
export function detectLayout(
  rows: readonly { cells: string[] }[],
  kinds: readonly ImportKind[] = IMPORT_KINDS,
): { headerIndex: number; kind: ImportKind; score: number } | undefined {
  let best: { headerIndex: number; kind: ImportKind; score: number } | undefined;
  rows.slice(0, 10).forEach((row, headerIndex) => {
    for (const kind of kinds) {
      const score = headerScore(kind, row.cells);
      // Required fields weigh double, so a kind wins by what it needs, not by how many optional
      // columns happen to share a spelling; ties go to the earlier kind in the list.
      if (score >= 4 && (!best || score > best.score)) best = { headerIndex, kind, score };
    }
  });
  return best;
}

export function missingRequired(kind: ImportKind, mapping: ColumnMapping): FieldDef[] {
  return FIELDS[kind].filter((fd) => fd.required && mapping[fd.key] === undefined);
}
