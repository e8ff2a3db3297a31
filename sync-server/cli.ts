/**
 * `npm run cli -- <command> [options]`, the administrative CLI. Every command takes
 * `--data DIR` (default: $DOSSIER_LENS_DATA, else .data/sync-server).
 *
 *   token   --user U [--name N] (--role R --doc D [--doc D2 ...] | --grant R:D ...) [--ttl 8h] [--json]
 *           prints the token alone on its last line
 *   revoke  --user U | --jti J
 *   audit   --doc D | --user U [--limit N] [--json]
 *   views   --subject ID | --user U [--since DATE] [--limit N] [--json]   who viewed a dossier (view-log-cli.ts)
 *   export  --doc D --out FILE.ydoc
 *   import  --doc D --file FILE.ydoc [--user U]
 *   import  --file FILE.csv|.xlsx | --list | --undo ID [--reason R]  --server URL --token T
 *           spreadsheet imports, as a client of the running server: delegated to tools/import-sheet.ts
 *   review  --purpose P [--year Y] --as-of DATE --file NAMES.csv|.xlsx --out REPLY.docx [--json] --server URL --token T
 *           an integrity review and its reply letter, as a client of the running server: tools/review.ts
 *   backup  --out DIR2
 *   check   [--full] [--clear] [--json]   verify the store; exit 1 when something is wrong
 *   migrate --from DIR --to postgres://…   copy a SQLite store to PostgreSQL, verified, resumable (migrate.ts)
 *
 * Writing commands (revoke, import of a .ydoc, check --clear) go through the running server when
 * one holds the data directory, and take its lock otherwise (datadir-lock.ts).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as v from 'valibot';
import { type Grant, docNameSchema, grantSchema, parseGrant, roleSchema } from './access.ts';
import {
  ImportRefused,
  backup,
  checkStore,
  formatAuditTable,
  importDocument,
  issueToken,
  quarantined,
  readAudit,
  readUpdateFile,
  recoverDocument,
  revoke,
  writeUpdateFile,
} from './admin.ts';
import { parseTtl } from './token.ts';
import { ViewsUsageError, viewsCommand } from './view-log-cli.ts';

const defaultDataDir = '.data/sync-server';
const usage = `usage: npm run cli -- <token|revoke|audit|views|export|import|review|backup|check> [--data DIR] [options]
  token   --user U [--name N] --role R --doc D [--doc D2] [--grant R:D] [--ttl 8h] [--json]
  revoke  --user U | --jti J
  audit   --doc D | --user U [--limit N] [--json]
  views   --subject ID | --user U [--since DATE] [--limit N] [--json]   (who viewed which dossier)
  export  --doc D --out FILE.ydoc
  import  --doc D --file FILE.ydoc [--user U]          (a Yjs update, written to storage)
  import  --file FILE.csv|.xlsx [--mode good-rows] [--dry-run] --server URL --token T
  import  --list --server URL --token T               (spreadsheet imports, newest first)
  import  --undo ID [--reason R] --server URL --token T
  review  --purpose appraisal|promotion|commendation|reserve [--year Y] --as-of DATE
          --file NAMES.csv|.xlsx --out REPLY.docx [--json] --server URL --token T
  backup  --out DIR
  check   [--full] [--clear] [--json]                  (integrity; --clear acknowledges what was reported)
  migrate --from DIR --to postgres://…[?schema=S]      (copy a SQLite store to PostgreSQL, verified, resumable)`;

export class UsageError extends Error {}

/** `check` found problems (exit 1, after printing them). */
export class StoreDamaged extends Error {}

export interface CliIo {
  out(line: string): void;
}

const nonEmpty = v.pipe(v.string(), v.minLength(1));

function options(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      user: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      doc: { type: 'string', multiple: true },
      grant: { type: 'string', multiple: true },
      ttl: { type: 'string' },
      jti: { type: 'string' },
      json: { type: 'boolean' },
      limit: { type: 'string' },
      out: { type: 'string' },
      file: { type: 'string' },
      full: { type: 'boolean' },
      clear: { type: 'boolean' },
      subject: { type: 'string' },
      since: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  }).values;
}

function check<T extends v.GenericSchema>(schema: T, value: unknown, what: string): v.InferOutput<T> {
  const result = v.safeParse(schema, value);
  if (!result.success) throw new UsageError(`${what}: ${result.issues.map((issue) => issue.message).join('; ')}`);
  return result.output;
}

function grantsFrom(values: ReturnType<typeof options>): Grant[] {
  const grants: Grant[] = [];
  if (values.role !== undefined || values.doc !== undefined) {
    const role = check(roleSchema, values.role, '--role (viewer, annotator, editor or admin)');
    const docs = values.doc ?? [];
    if (docs.length === 0) throw new UsageError('--role needs at least one --doc');
    for (const doc of docs) grants.push(check(grantSchema, { role, doc }, `--doc ${doc}`));
  }
  for (const text of values.grant ?? []) {
    try {
      grants.push(parseGrant(text));
    } catch {
      throw new UsageError(`--grant ${text}: expected role:document, e.g. viewer:workspace or editor:unit:*`);
    }
  }
  if (grants.length === 0) throw new UsageError('give --role with --doc, or --grant role:doc');
  return grants;
}

/** Where `import` sends spreadsheets (someone else's module; replaceable in tests). */
export const sheetImporterModule = '../tools/import-sheet.ts';

export async function runCli(
  argv: string[],
  io: CliIo = { out: (line) => process.stdout.write(line + '\n') },
  sheetImporter: string = sheetImporterModule,
): Promise<void> {
  const [command, ...rest] = argv;
  if (command === 'import' && isSheetImport(rest)) return importSheetDelegate(sheetImporter, rest);
  if (command === 'review') return reviewDelegate(rest);
  if (command === 'migrate') return migrateDelegate(rest, io);
  const values = options(rest);
  const dataDir = values.data ?? process.env.DOSSIER_LENS_DATA ?? defaultDataDir;
  switch (command) {
    case 'token': {
      const user = check(nonEmpty, values.user, '--user');
      let ttlSeconds: number;
      try {
        ttlSeconds = parseTtl(values.ttl ?? '8h');
      } catch (error) {
        throw new UsageError(`--ttl: ${(error as Error).message}`);
      }
      const minted = issueToken(dataDir, { user, name: values.name ?? user, grants: grantsFrom(values), ttlSeconds });
      const { payload } = minted;
      if (values.json)
        io.out(
          JSON.stringify({
            user: payload.sub,
            name: payload.name,
            grants: payload.grants,
            exp: payload.exp,
            jti: payload.jti,
          }),
        );
      else {
        const grants = payload.grants.map((grant) => `${grant.role}:${grant.doc}`).join(' ');
        const expires = new Date(payload.exp * 1000).toISOString();
        io.out(`# ${payload.sub} (${payload.name}) ${grants}; jti ${payload.jti}; expires ${expires}`);
      }
      io.out(minted.token);
      return;
    }
    case 'revoke': {
      if ((values.user === undefined) === (values.jti === undefined))
        throw new UsageError('revoke needs exactly one of --user or --jti');
      const revocation = await revoke(
        dataDir,
        values.user !== undefined ? { user: values.user } : { jti: check(nonEmpty, values.jti, '--jti') },
      );
      const what =
        revocation.user !== null ? `every token of user ${revocation.user} issued so far` : `token ${revocation.jti}`;
      io.out(`revoked ${what}; open connections close within a second`);
      return;
    }
    case 'audit': {
      if (values.doc === undefined && values.user === undefined) throw new UsageError('audit needs --doc or --user');
      const doc = values.doc?.[0];
      const entries = await readAudit(dataDir, {
        ...(doc !== undefined ? { doc: check(docNameSchema, doc, '--doc') } : {}),
        ...(values.user !== undefined ? { user: values.user } : {}),
        limit:
          values.limit !== undefined
            ? check(v.pipe(v.number(), v.integer(), v.minValue(1)), Number(values.limit), '--limit')
            : 1000,
      });
      if (values.json)
        io.out(JSON.stringify(entries.map((entry) => ({ ...entry, time: new Date(entry.time).toISOString() }))));
      else io.out(formatAuditTable(entries));
      return;
    }
    case 'views': {
      try {
        return await viewsCommand(
          dataDir,
          { subject: values.subject, user: values.user, since: values.since, limit: values.limit, json: values.json },
          (line) => io.out(line),
        );
      } catch (error) {
        if (error instanceof ViewsUsageError) throw new UsageError(error.message);
        throw error;
      }
    }
    case 'export': {
      const doc = check(docNameSchema, values.doc?.[0], '--doc');
      const out = check(nonEmpty, values.out, '--out');
      const { state, skipped } = await recoverDocument(dataDir, doc);
      writeUpdateFile(out, state);
      io.out(`wrote ${state.byteLength} bytes of ${doc} to ${out}`);
      for (const bad of skipped) io.out(`left out stored update seq ${bad.seq}, which does not apply: ${bad.error}`);
      return;
    }
    case 'import': {
      const doc = check(docNameSchema, values.doc?.[0], '--doc');
      const file = check(nonEmpty, values.file, '--file');
      let result;
      try {
        result = await importDocument(dataDir, doc, readUpdateFile(file), values.user ?? 'cli:import');
      } catch (error) {
        if (error instanceof ImportRefused && error.message.startsWith('malformed'))
          throw new UsageError(`${file} is not a Yjs update file: ${error.message}`);
        if (error instanceof ImportRefused)
          throw new UsageError(`${file} was refused, nothing stored: ${error.message}`);
        throw error;
      }
      io.out(`imported ${result.size} bytes into ${doc} (seq ${result.seq})`);
      return;
    }
    case 'check': {
      const report = await checkStore(dataDir, { full: values.full === true, clear: values.clear === true });
      const kept = await quarantined(dataDir);
      if (values.json)
        io.out(
          JSON.stringify({ ...report, quarantined: kept.map((q) => ({ ...q, time: new Date(q.time).toISOString() })) }),
        );
      else {
        if (report.cleared) io.out('cleared the alarm: the problems reported before are acknowledged');
        for (const problem of report.problems) {
          const seq = problem.seq !== undefined ? `, seq ${problem.seq}` : '';
          io.out(`${problem.kind}: ${problem.detail}${problem.doc !== undefined ? ` (doc ${problem.doc}${seq})` : ''}`);
        }
        for (const q of kept)
          io.out(`quarantined: ${q.doc} seq ${q.seq} (${new Date(q.time).toISOString()}): ${q.error}`);
        io.out(report.ok ? 'store ok' : `store damaged: ${report.problems.length} problem(s)`);
      }
      if (!report.ok) throw new StoreDamaged(`store damaged: ${report.problems.length} problem(s)`);
      return;
    }
    case 'backup': {
      const out = check(nonEmpty, values.out, '--out');
      for (const file of await backup(dataDir, out)) io.out(`wrote ${file}`);
      return;
    }
    default:
      throw new UsageError(usage);
  }
}

/**
 * Spreadsheet imports (a .csv/.xlsx file, or listing and undoing them) go to the server as a client;
 * `--doc D --file F.ydoc` stays here, writing a Yjs update straight to storage.
 */
function isSheetImport(args: string[]): boolean {
  if (/\.(csv|xlsx)$/iu.test(fileArgument(args) ?? '')) return true;
  return args.some((arg) => arg === '--list' || arg === '--undo' || arg.startsWith('--undo='));
}

function fileArgument(args: string[]): string | undefined {
  const index = args.indexOf('--file');
  return index >= 0 ? args[index + 1] : args.find((arg) => arg.startsWith('--file='))?.slice('--file='.length);
}

/** Spreadsheets are someone else's module; load it only when asked, and say so if it is missing. */
async function importSheetDelegate(modulePath: string, argv: string[]): Promise<void> {
  let module: { importSheet?: (argv: string[]) => unknown };
  try {
    module = (await import(modulePath)) as typeof module;
  } catch (error) {
    throw new UsageError(`spreadsheet import is not available (${modulePath}: ${(error as Error).message})`);
  }
  if (typeof module.importSheet !== 'function') throw new UsageError(`${modulePath} does not export importSheet(argv)`);
  await module.importSheet(argv);
}

/** Reviews are a client of the server (tools/review.ts), loaded only when asked: it brings the Word writer. */
async function reviewDelegate(argv: string[]): Promise<void> {
  const { reviewCommand, ReviewUsageError } = await import('../tools/review.ts');
  try {
    await reviewCommand(argv);
  } catch (error) {
    if (error instanceof ReviewUsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))
      throw new UsageError((error as Error).message);
    throw error;
  }
}

/** SQLite → PostgreSQL (migrate.ts), loaded only when asked: it brings the PostgreSQL driver. */
async function migrateDelegate(argv: string[], io: CliIo): Promise<void> {
  const { MigrationRefused, migrateArguments, migrateStore } = await import('./migrate.ts');
  try {
    const { from, to } = migrateArguments(argv);
    await migrateStore(from, to, io.out);
  } catch (error) {
    if (error instanceof MigrationRefused || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))
      throw new UsageError((error as Error).message);
    throw error;
  }
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (invokedDirectly) {
  runCli(process.argv.slice(2)).catch((error: Error) => {
    // Messages are for officers; the stack only when asked for.
    process.stderr.write(`${process.env.DOSSIER_LENS_DEBUG ? (error.stack ?? error.message) : error.message}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  });
}
