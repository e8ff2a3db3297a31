import { localised } from '../core/model/i18n.ts';
import type { Grant } from '../core/sync/scope.ts';

/** What the import command (import-sheet.ts) says, in the officer's language (--locale). */

interface Counts {
  created: number;
  updated: number;
  unchanged: number;
}

interface Summary {
  kind: string;
  headerLine: number;
  rowsRead: number;
  importable: number;
  bad: number;
  outside: number;
}

export const IMPORT_TEXT = localised({
  'zh-CN': {
    nothingChanged: '服务器上的数据未作任何更改。',
    noGrant: (doc: string) =>
      `该令牌无权访问 ${doc}（HTTP 403）。导入需要能读取 workspace 文档并写入单位文档的令牌` +
      '（例如 unit:* 的 editor 与 workspace 的 viewer），请向管理员申请。',
    notAccepted: (doc: string) =>
      `服务器不接受该令牌（${doc}：HTTP 401）。令牌可能已过期、已被吊销，或不是本服务器签发的，请向管理员申请新令牌。`,
    denied: (doc: string, reason: string) =>
      `服务器拒绝保存导入（${doc}：${reason}）。导入需要对单位文档有 editor 或 admin 权限的令牌；被拒绝的更改未保存到服务器。`,
    closed: (doc: string, reason: string) =>
      `服务器断开了连接（${doc}：${reason}）。令牌可能已过期、被吊销或无权访问该文档。`,
    grants: (grants: readonly Grant[]) =>
      grants.length === 0 ? '无' : grants.map((g) => `${g.doc} 的 ${g.role}`).join('、'),
    noDirectoryAccess: (has: string) =>
      `该令牌无权修改单位名录（其授权：${has}）。导入单位需要 workspace 的 admin 权限，请向管理员申请。服务器上的数据未作任何更改。`,
    noUnitAccess: (has: string, kind: string) =>
      `该令牌无权写入任何单位的档案（其授权：${has}），无法导入 ${kind}。导入需要对相关单位有 editor 权限的令牌` +
      '（例如 unit:A01 的 editor 与 workspace 的 viewer），请向管理员申请。服务器上的数据未作任何更改。',
    summary: (s: Summary) =>
      `类型：${s.kind}　表头在第 ${s.headerLine} 行　读取 ${s.rowsRead} 行　可导入 ${s.importable} 条　有问题 ${s.bad} 行` +
      (s.outside > 0 ? `（其中 ${s.outside} 行超出本令牌的权限范围）` : ''),
    problem: (line: number, column: string, message: string) => `  第 ${line} 行［${column}］${message}`,
    note: (line: number, column: string, message: string) => `  提示：第 ${line} 行［${column}］${message}`,
    undoReason: '撤销导入',
    undoOutside: (id: string, units: readonly string[]) =>
      `未撤销：导入 ${id} 涉及本令牌无权写入的单位（${units.join('、')}），须由对这些单位有 editor 权限的令牌撤销。` +
      '服务器上的数据未作任何更改。',
    undone: (id: string, units: number) => `已撤销导入 ${id}（涉及 ${units} 个单位）`,
    badRows: (lines: number, outside: number) =>
      `未导入：有 ${lines} 行存在问题（整批导入模式）。修正后重试，或使用 --mode good-rows 只导入无问题的行。` +
      (outside > 0
        ? `其中 ${outside} 行超出本令牌的权限范围，无法用本令牌导入；--mode good-rows 会导入权限范围内无问题的行。`
        : ''),
    notImported: '未导入',
    counts: (kind: string, c: Counts) => `${kind}：新增 ${c.created}，更新 ${c.updated}，未变 ${c.unchanged}`,
    imported: '导入完成',
  },
  en: {
    nothingChanged: ' Nothing was changed on the server.',
    noGrant: (doc) =>
      `The token has no grant on ${doc} (HTTP 403). Importing needs a token that can read the workspace document ` +
      'and write the unit documents (e.g. editor on unit:* and viewer on workspace); ask the administrator for one.',
    notAccepted: (doc) =>
      `The server does not accept the token (${doc}: HTTP 401). It may have expired, been revoked, ` +
      'or not have been issued by this server; ask the administrator for a new one.',
    denied: (doc, reason) =>
      `The server refused to store the import (${doc}: ${reason}). Importing needs a token with the editor or admin ` +
      'role on the unit documents; the refused changes were not saved on the server.',
    closed: (doc, reason) =>
      `The server closed the connection (${doc}: ${reason}). ` +
      'The token may have expired, been revoked, or not grant this document.',
    grants: (grants) => (grants.length === 0 ? 'none' : grants.map((g) => `${g.role} on ${g.doc}`).join(', ')),
    noDirectoryAccess: (has) =>
      `This token may not change the unit directory (its grants: ${has}). Importing units needs admin on workspace; ` +
      'ask the administrator. Nothing was changed on the server.',
    noUnitAccess: (has, kind) =>
      `This token may not write any unit's dossiers (its grants: ${has}), so it cannot import ${kind}. ` +
      'Importing needs a token with the editor role on the units concerned (e.g. editor on unit:A01 and viewer on ' +
      'workspace); ask the administrator for one. Nothing was changed on the server.',
    summary: (s) =>
      `kind: ${s.kind}  header on line ${s.headerLine}  rows read ${s.rowsRead}  importable ${s.importable}  ` +
      `bad rows ${s.bad}${s.outside > 0 ? ` (${s.outside} outside this token's access)` : ''}`,
    problem: (line, column, message) => `  line ${line} [${column}] ${message}`,
    note: (line, column, message) => `  note: line ${line} [${column}] ${message}`,
    undoReason: 'import undone',
    undoOutside: (id, units) =>
      `Not undone: import ${id} touched units this token may not write (${units.join(', ')}); ` +
      'undo it with a token that has the editor role on them. Nothing was changed on the server.',
    undone: (id, units) => `undid import ${id} in ${units} unit(s)`,
    badRows: (lines, outside) =>
      `Nothing imported: ${lines} row(s) have problems (all-or-nothing). Fix them, or use --mode good-rows.` +
      (outside > 0
        ? ` ${outside} of them are outside this token's access and cannot be imported with it; ` +
          '--mode good-rows imports the rows within its access that have no problems.'
        : ''),
    notImported: 'Nothing imported',
    counts: (kind, c) => `${kind}: ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged`,
    imported: 'Imported',
  },
});
