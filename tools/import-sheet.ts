/**
 * Spreadsheet imports from the command line, as a client of the running server (so the server
 * attests who wrote what, and every connected officer sees the import arrive live):
 *
 *   npm run cli -- import --file 处分登记.csv --server ws://127.0.0.1:1234 --token T
 *        [--kind units|cadres|records|flags|clues|cards] [--mode all-or-nothing|good-rows]
 *        [--sheet NAME] [--by NAME] [--dry-run] [--locale zh-CN|en] [--json]
 *   npm run cli -- import --list --server … --token …
 *   npm run cli -- import --undo IMPORT_ID --reason 原因 --server … --token …
 *
 * (`npx tsx tools/import-sheet.ts` takes the same arguments.)
 *
 * The token may also come from DOSSIER_LENS_TOKEN and the server from DOSSIER_LENS_SERVER; the
 * token is never printed. The default mode is all-or-nothing: a file with any bad row changes
 * nothing, and the report lists every bad row with its line, column and reason; `--mode good-rows`
 * applies the good rows and skips the bad ones. `--dry-run` prints the report and writes nothing.
 *
 * The token decides which units the import may write: the command asks the server (GET /whoami)
 * for its grants and opens only the unit documents they cover, so a clerk whose token covers some
 * units imports the rows of those; the other rows are reported by line as outside the token's
 * access and skipped like bad rows (`--mode good-rows` imports the rest).
 */
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import {
  applyImport,
  type ApplyMode,
  directoryFromTarget,
  IMPORT_KINDS,
  listImports,
  newImportId,
  prepareImport,
  readTable,
  undoImport,
  type ImportKind,
  type ImportPreview,
  outsideAccessLines,
  unitsTouched,
  withTimeout,
  workspaceTarget,
  type WorkspaceTarget,
} from '../core/import/index.ts';
import { today as todayIn } from '../core/dates.ts';
import type { Locale } from '../core/model/messages.ts';
import type { Grant } from '../core/sync/scope.ts';
import { SyncRefusedError } from '../core/sync/refusal.ts';
import { grantsFor } from '../core/sync/whoami.ts';
import { openWorkspace, type Workspace } from '../core/sync/workspace.ts';

export interface RemoteTarget extends WorkspaceTarget {
  workspaceClient: Workspace;
  /** The token's grants (GET /whoami, else the token's own), which decided the units opened. */
  grants: readonly Grant[] | undefined;
  /**
   * Waits until the server has durably acknowledged everything written, then disconnects; rejects
   * (after disconnecting) when the server refused some of it.
   */
  close(): Promise<void>;
}

/**
 * The workspace and every unit document in its directory that the token's grants cover, synced
 * from the server, as an import target. The grants come from GET /whoami (else the token's own
 * claims); a token the server does not accept is then refused on the workspace connection, whose
 * SyncRefusedError says so (HTTP 401) like every other refusal.
 */
export async function openImportTarget(serverUrl: string, token: string): Promise<RemoteTarget> {
  // One provider per document, and y-websocket adds a process 'exit' listener for each: a city's
  // hundred documents are expected here, not a leak.
  process.setMaxListeners(Math.max(process.getMaxListeners(), 256));
  const grants = await grantsFor(serverUrl, token);
  const ws = await openWorkspace({
    serverUrl,
    token,
    persistence: 'none',
    crossTab: false,
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    ...(grants ? { grants } : {}),
  });
  let target: WorkspaceTarget;
  try {
    target = await workspaceTarget(ws, { readiness: 'synced' });
  } catch (error) {
    // Open sockets would keep the process alive after the error is printed.
    await ws.close();
    throw error;
  }
  return {
    ...target,
    workspaceClient: ws,
    grants,
    async close() {
      try {
        await withTimeout(target.confirmed(), 60_000, 'the server did not confirm every change');
      } finally {
        await ws.close();
      }
    },
  };
}

/**
 * A refusal by the server in the officer's words: which document, the server's reason, what to do.
 * `nothingWritten`: the command had not written anything yet, so it can say nothing changed.
 */
export function explainRefusal(error: unknown, locale: Locale, nothingWritten = false): unknown {
  if (!(error instanceof SyncRefusedError)) return error;
  const zh = locale === 'zh-CN';
  if (error.kind === 'refused') {
    const unchanged = nothingWritten
      ? zh
        ? '服务器上的数据未作任何更改。'
        : ' Nothing was changed on the server.'
      : '';
    const words =
      error.httpStatus === 403
        ? zh
          ? `该令牌无权访问 ${error.doc}（HTTP 403）。导入需要能读取 workspace 文档并写入单位文档的令牌（例如 unit:* 的 editor 与 workspace 的 viewer），请向管理员申请。`
          : `The token has no grant on ${error.doc} (HTTP 403). Importing needs a token that can read the workspace document and write the unit documents (e.g. editor on unit:* and viewer on workspace); ask the administrator for one.`
        : zh
          ? `服务器不接受该令牌（${error.doc}：HTTP 401）。令牌可能已过期、已被吊销，或不是本服务器签发的，请向管理员申请新令牌。`
          : `The server does not accept the token (${error.doc}: HTTP 401). It may have expired, been revoked, or not have been issued by this server; ask the administrator for a new one.`;
    return new Error(words + unchanged, { cause: error });
  }
  if (error.kind === 'denied') {
    return new Error(
      zh
        ? `服务器拒绝保存导入（${error.doc}：${error.reason}）。导入需要对单位文档有 editor 或 admin 权限的令牌；被拒绝的更改未保存到服务器。`
        : `The server refused to store the import (${error.doc}: ${error.reason}). Importing needs a token with the editor or admin role on the unit documents; the refused changes were not saved on the server.`,
      { cause: error },
    );
  }
  return new Error(
    zh
      ? `服务器断开了连接（${error.doc}：${error.reason}）。令牌可能已过期、被吊销或无权访问该文档。`
      : `The server closed the connection (${error.doc}: ${error.reason}). The token may have expired, been revoked, or not grant this document.`,
    { cause: error },
  );
}

/** "viewer on workspace, editor on unit:A01" / "workspace 的 viewer、unit:A01 的 editor". */
function grantsText(grants: readonly Grant[] | undefined, locale: Locale): string {
  if (!grants || grants.length === 0) return locale === 'zh-CN' ? '无' : 'none';
  return locale === 'zh-CN'
    ? grants.map((g) => `${g.doc} 的 ${g.role}`).join('、')
    : grants.map((g) => `${g.role} on ${g.doc}`).join(', ');
}

/**
 * When the token may write no document of the kind being imported (a viewer's token, or a clerk's
 * without a unit grant): one message saying so and what to ask for, instead of every row refused.
 */
export function noImportAccess(
  preview: Pick<ImportPreview, 'kind'>,
  target: Pick<RemoteTarget, 'access' | 'grants'>,
  locale: Locale,
): Error | undefined {
  const access = target.access;
  if (!access) return undefined;
  const zh = locale === 'zh-CN';
  const has = grantsText(target.grants, locale);
  if (preview.kind === 'units') {
    if (access.canWrite('workspace')) return undefined;
    return new Error(
      zh
        ? `该令牌无权修改单位名录（其授权：${has}）。导入单位需要 workspace 的 admin 权限，请向管理员申请。服务器上的数据未作任何更改。`
        : `This token may not change the unit directory (its grants: ${has}). Importing units needs admin on workspace; ask the administrator. Nothing was changed on the server.`,
    );
  }
  if (access.canWriteSomeUnit()) return undefined;
  return new Error(
    zh
      ? `该令牌无权写入任何单位的档案（其授权：${has}），无法导入 ${preview.kind}。导入需要对相关单位有 editor 权限的令牌（例如 unit:A01 的 editor 与 workspace 的 viewer），请向管理员申请。服务器上的数据未作任何更改。`
      : `This token may not write any unit's dossiers (its grants: ${has}), so it cannot import ${preview.kind}. Importing needs a token with the editor role on the units concerned (e.g. editor on unit:A01 and viewer on workspace); ask the administrator for one. Nothing was changed on the server.`,
  );
}

export function formatReport(preview: ImportPreview, locale: Locale): string[] {
  const zh = locale === 'zh-CN';
  const outside = outsideAccessLines(preview).length;
  const lines = [
    zh
      ? `类型：${preview.kind}　表头在第 ${preview.headerLine} 行　读取 ${preview.rowsRead} 行　可导入 ${preview.entities.length} 条　有问题 ${preview.badLines.length} 行${outside > 0 ? `（其中 ${outside} 行超出本令牌的权限范围）` : ''}`
      : `kind: ${preview.kind}  header on line ${preview.headerLine}  rows read ${preview.rowsRead}  importable ${preview.entities.length}  bad rows ${preview.badLines.length}${outside > 0 ? ` (${outside} outside this token's access)` : ''}`,
  ];
  for (const p of preview.problems)
    lines.push(
      zh ? `  第 ${p.line} 行［${p.column}］${p.message.zh}` : `  line ${p.line} [${p.column}] ${p.message.en}`,
    );
  for (const p of preview.notes)
    lines.push(
      zh
        ? `  提示：第 ${p.line} 行［${p.column}］${p.message.zh}`
        : `  note: line ${p.line} [${p.column}] ${p.message.en}`,
    );
  return lines;
}

export async function importSheet(
  argv: string[],
  out: (line: string) => void = (l) => process.stdout.write(l + '\n'),
): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      file: { type: 'string' },
      server: { type: 'string' },
      token: { type: 'string' },
      kind: { type: 'string' },
      mode: { type: 'string' },
      sheet: { type: 'string' },
      by: { type: 'string' },
      'dry-run': { type: 'boolean' },
      locale: { type: 'string' },
      json: { type: 'boolean' },
      list: { type: 'boolean' },
      undo: { type: 'string' },
      reason: { type: 'string' },
      data: { type: 'string' },
    },
    strict: true,
  });
  const locale: Locale = values.locale === 'en' ? 'en' : 'zh-CN';
  const serverUrl = values.server ?? process.env.DOSSIER_LENS_SERVER ?? 'ws://127.0.0.1:1234';
  const token = values.token ?? process.env.DOSSIER_LENS_TOKEN;
  if (!token)
    throw new Error('give --token (or set DOSSIER_LENS_TOKEN): imports write as a client of the running server');
  const by = values.by ?? process.env.USER ?? 'cli';
  const kind = values.kind;
  if (kind !== undefined && !(IMPORT_KINDS as readonly string[]).includes(kind))
    throw new Error(`--kind must be one of ${IMPORT_KINDS.join(', ')}`);
  const modeArg = values.mode ?? 'all-or-nothing';
  if (modeArg !== 'all-or-nothing' && modeArg !== 'good-rows')
    throw new Error('--mode must be all-or-nothing or good-rows');
  const mode: ApplyMode = modeArg;

  let target: RemoteTarget;
  try {
    target = await openImportTarget(serverUrl, token);
  } catch (error) {
    // A token the server refuses (401) or that has no grant on a document (403) ends up here at
    // once, not after the sync timeout (Node clients see the refused upgrade's status).
    throw explainRefusal(error, locale, true);
  }
  /** Whether the command has written to the documents yet (until then a refusal changed nothing). */
  let wrote = false;
  let done: string[];
  try {
    done = await run(target);
    // Success is reported only once the server has stored the writes: a viewer's token gets the
    // refusal here, not "imported" followed by an error.
    await target.close();
  } catch (error) {
    await target.workspaceClient.close();
    throw explainRefusal(error, locale, !wrote);
  }
  for (const l of done) out(l);

  /** Does the command; returns the lines to print once the server has confirmed what it wrote. */
  async function run(target: RemoteTarget): Promise<string[]> {
    if (values.list) {
      return listImports(target).map((i) => {
        const counts = Object.entries(i.counts)
          .map(([k, c]) => `${k} +${c.created} ~${c.updated} =${c.unchanged}`)
          .join(' ');
        return `${i.id}  ${i.at}  ${i.by}  ${i.fileName}  ${counts}${i.undone ? `  (undone ${i.undone.at} by ${i.undone.by})` : ''}`;
      });
    }
    if (values.undo) {
      wrote = true;
      const r = undoImport(target, values.undo, {
        by,
        at: new Date().toISOString(),
        reason: values.reason ?? (locale === 'zh-CN' ? '撤销导入' : 'import undone'),
      });
      const outside = r.errors.filter((e) => e.key === 'import.outsideAccess').map((e) => e.path);
      if (outside.length > 0) {
        throw new Error(
          locale === 'zh-CN'
            ? `未撤销：导入 ${values.undo} 涉及本令牌无权写入的单位（${outside.join('、')}），须由对这些单位有 editor 权限的令牌撤销。服务器上的数据未作任何更改。`
            : `Not undone: import ${values.undo} touched units this token may not write (${outside.join(', ')}); undo it with a token that has the editor role on them. Nothing was changed on the server.`,
        );
      }
      if (!r.ok)
        throw new Error(r.units.length === 0 ? `no import ${values.undo}` : r.errors.map((e) => e.message).join('; '));
      return [
        locale === 'zh-CN'
          ? `已撤销导入 ${values.undo}（涉及 ${r.units.length} 个单位）`
          : `undid import ${values.undo} in ${r.units.length} unit(s)`,
      ];
    }
    if (!values.file) throw new Error('give --file FILE.csv|FILE.xlsx');
    const bytes = new Uint8Array(readFileSync(values.file));
    const table = await readTable(bytes, values.file, values.sheet);
    const config = target.workspace.config.get().value;
    const preview = prepareImport(table, {
      today: todayIn(),
      config,
      directory: directoryFromTarget(target),
      ...(kind ? { kind: kind as ImportKind } : {}),
      ...(target.access ? { access: target.access } : {}),
    });
    const refused = noImportAccess(preview, target, locale);
    if (refused) throw refused;
    if (values.json)
      out(
        JSON.stringify({
          kind: preview.kind,
          mapping: preview.mapping,
          rowsRead: preview.rowsRead,
          importable: preview.entities.length,
          problems: preview.problems,
          notes: preview.notes,
          outsideAccess: outsideAccessLines(preview),
        }),
      );
    else for (const l of formatReport(preview, locale)) out(l);
    if (values['dry-run']) return [];
    await target.ensureUnits(unitsTouched(preview));
    const now = new Date();
    wrote = true;
    const result = applyImport(
      target,
      preview,
      { id: newImportId(now), by, at: now.toISOString(), fileName: basename(values.file) },
      mode,
    );
    if (!result.ok) {
      process.exitCode = 1;
      const outside = outsideAccessLines(preview).length;
      return [
        result.reason === 'bad-rows'
          ? locale === 'zh-CN'
            ? `未导入：有 ${result.lines.length} 行存在问题（整批导入模式）。修正后重试，或使用 --mode good-rows 只导入无问题的行。` +
              (outside > 0
                ? `其中 ${outside} 行超出本令牌的权限范围，无法用本令牌导入；--mode good-rows 会导入权限范围内无问题的行。`
                : '')
            : `Nothing imported: ${result.lines.length} row(s) have problems (all-or-nothing). Fix them, or use --mode good-rows.` +
              (outside > 0
                ? ` ${outside} of them are outside this token's access and cannot be imported with it; --mode good-rows imports the rows within its access that have no problems.`
                : '')
          : `${locale === 'zh-CN' ? '未导入' : 'Nothing imported'}: ${result.reason} ${result.errors.map((e) => e.message).join('; ')}`,
      ];
    }
    const counts = Object.entries(result.counts).map(([k, c]) =>
      locale === 'zh-CN'
        ? `${k}：新增 ${c.created}，更新 ${c.updated}，未变 ${c.unchanged}`
        : `${k}: ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged`,
    );
    return [`${locale === 'zh-CN' ? '导入完成' : 'Imported'} ${result.id}　${counts.join('；')}`];
  }
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (invokedDirectly) {
  importSheet(process.argv.slice(2)).catch((error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  });
}
