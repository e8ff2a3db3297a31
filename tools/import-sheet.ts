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
import { pick, type Locale } from '../core/model/i18n.ts';
import type { Grant } from '../core/sync/scope.ts';
import { SyncRefusedError } from '../core/sync/refusal.ts';
import { grantsFor } from '../core/sync/whoami.ts';
import { openWorkspace, type Workspace } from '../core/sync/workspace.ts';
import { clientArgs, CLIENT_OPTIONS, printLine } from './client-args.ts';
import { IMPORT_TEXT } from './import-text.ts';

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
  const say = IMPORT_TEXT(locale);
  if (error.kind === 'refused') {
    const words = error.httpStatus === 403 ? say.noGrant(error.doc) : say.notAccepted(error.doc);
    return new Error(words + (nothingWritten ? say.nothingChanged : ''), { cause: error });
  }
  const words = error.kind === 'denied' ? say.denied(error.doc, error.reason) : say.closed(error.doc, error.reason);
  return new Error(words, { cause: error });
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
  const say = IMPORT_TEXT(locale);
  // "viewer on workspace, editor on unit:A01" / "workspace 的 viewer、unit:A01 的 editor".
  const has = say.grants(target.grants ?? []);
  if (preview.kind === 'units') return access.canWrite('workspace') ? undefined : new Error(say.noDirectoryAccess(has));
  return access.canWriteSomeUnit() ? undefined : new Error(say.noUnitAccess(has, preview.kind));
}

export function formatReport(preview: ImportPreview, locale: Locale): string[] {
  const say = IMPORT_TEXT(locale);
  const summary = say.summary({
    kind: preview.kind,
    headerLine: preview.headerLine,
    rowsRead: preview.rowsRead,
    importable: preview.entities.length,
    bad: preview.badLines.length,
    outside: outsideAccessLines(preview).length,
  });
  return [
    summary,
    ...preview.problems.map((p) => say.problem(p.line, p.column, pick(p.message, locale))),
    ...preview.notes.map((p) => say.note(p.line, p.column, pick(p.message, locale))),
  ];
}

export async function importSheet(argv: string[], out: (line: string) => void = printLine): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...CLIENT_OPTIONS,
      file: { type: 'string' },
      kind: { type: 'string' },
      mode: { type: 'string' },
      sheet: { type: 'string' },
      by: { type: 'string' },
      'dry-run': { type: 'boolean' },
      list: { type: 'boolean' },
      undo: { type: 'string' },
      reason: { type: 'string' },
      data: { type: 'string' },
    },
    strict: true,
  });
  const { locale, serverUrl, token } = clientArgs(values);
  const say = IMPORT_TEXT(locale);
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
        const undone = i.undone ? `  (undone ${i.undone.at} by ${i.undone.by})` : '';
        return `${i.id}  ${i.at}  ${i.by}  ${i.fileName}  ${counts}${undone}`;
      });
    }
    if (values.undo) {
      wrote = true;
      const r = undoImport(target, values.undo, {
        by,
        at: new Date().toISOString(),
        reason: values.reason ?? say.undoReason,
      });
      const outside = r.errors.filter((e) => e.key === 'import.outsideAccess').map((e) => e.path);
      if (outside.length > 0) throw new Error(say.undoOutside(values.undo, outside));
      if (!r.ok)
        throw new Error(r.units.length === 0 ? `no import ${values.undo}` : r.errors.map((e) => e.message).join('; '));
      return [say.undone(values.undo, r.units.length)];
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
          ? say.badRows(result.lines.length, outside)
          : `${say.notImported}: ${result.reason} ${result.errors.map((e) => e.message).join('; ')}`,
      ];
    }
    const counts = Object.entries(result.counts).map(([k, c]) => say.counts(k, c));
    return [`${say.imported} ${result.id}　${counts.join('；')}`];
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
