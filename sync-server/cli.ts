/**
 * `npm run cli -- <command> [options]`, the administrative CLI. Every command takes
 * `--data DIR` (default: $DOSSIER_LENS_DATA, else .data/sync-server).
 *
 *   token   --user U [--name N] (--role R --doc D [--doc D2 ...] | --grant R:D ...) [--ttl 8h] [--json]
 *           prints the token alone on its last line
 *   revoke  --user U | --jti J
 *   audit   --doc D | --user U [--limit N] [--json]
 *   export  --doc D --out FILE.ydoc
 *   import  --doc D --file FILE.ydoc [--user U]
 *   import  --file FILE.csv|.xlsx | --list | --undo ID [--reason R]  --server URL --token T
 *           spreadsheet imports, as a client of the running server: delegated to cli/import-sheet.ts
 *   review  --purpose P [--year Y] --as-of DATE --file NAMES.csv|.xlsx --out REPLY.docx [--json] --server URL --token T
 *           an integrity review and its reply letter, as a client of the running server: cli/review.ts
 *   backup  --out DIR2
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as v from 'valibot';
import { type Grant, docNameSchema, grantSchema, parseGrant, roleSchema } from './access.ts';
import {
  backup,
  exportDocument,
  formatAuditTable,
  importDocument,
  issueToken,
  readAudit,
  readUpdateFile,
  revoke,
  writeUpdateFile,
} from './admin.ts';
import { parseTtl } from './token.ts';

const defaultDataDir = '.data/sync-server';
const usage = `usage: npm run cli -- <token|revoke|audit|export|import|review|backup> [--data DIR] [options]
  token   --user U [--name N] --role R --doc D [--doc D2] [--grant R:D] [--ttl 8h] [--json]
  revoke  --user U | --jti J
  audit   --doc D | --user U [--limit N] [--json]
  export  --doc D --out FILE.ydoc
  import  --doc D --file FILE.ydoc [--user U]          (a Yjs update, written to storage)
  import  --file FILE.csv|.xlsx [--mode good-rows] [--dry-run] --server URL --token T
  import  --list --server URL --token T               (spreadsheet imports, newest first)
  import  --undo ID [--reason R] --server URL --token T
  review  --purpose appraisal|promotion|commendation|reserve [--year Y] --as-of DATE
          --file NAMES.csv|.xlsx --out REPLY.docx [--json] --server URL --token T
  backup  --out DIR`;

export class UsageError extends Error {}

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
export const sheetImporterModule = './cli/import-sheet.ts';

export async function runCli(
  argv: string[],
  io: CliIo = { out: (line) => process.stdout.write(line + '\n') },
  sheetImporter: string = sheetImporterModule,
): Promise<void> {
  const [command, ...rest] = argv;
  if (command === 'import' && isSheetImport(rest)) return importSheetDelegate(sheetImporter, rest);
  if (command === 'review') return reviewDelegate(rest);
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
      if (values.json) io.out(JSON.stringify({ user: payload.sub, name: payload.name, grants: payload.grants, exp: payload.exp, jti: payload.jti }));
      else {
        const grants = payload.grants.map((grant) => `${grant.role}:${grant.doc}`).join(' ');
        io.out(`# ${payload.sub} (${payload.name}) ${grants}; jti ${payload.jti}; expires ${new Date(payload.exp * 1000).toISOString()}`);
      }
      io.out(minted.token);
      return;
    }
    case 'revoke': {
      if ((values.user === undefined) === (values.jti === undefined)) throw new UsageError('revoke needs exactly one of --user or --jti');
      const revocation = await revoke(dataDir, values.user !== undefined ? { user: values.user } : { jti: check(nonEmpty, values.jti, '--jti') });
      io.out(`revoked ${revocation.user !== null ? `every token of user ${revocation.user} issued so far` : `token ${revocation.jti}`}; open connections close within a second`);
      return;
    }
    case 'audit': {
      if (values.doc === undefined && values.user === undefined) throw new UsageError('audit needs --doc or --user');
      const doc = values.doc?.[0];
      const entries = await readAudit(dataDir, {
        ...(doc !== undefined ? { doc: check(docNameSchema, doc, '--doc') } : {}),
        ...(values.user !== undefined ? { user: values.user } : {}),
        limit: values.limit !== undefined ? check(v.pipe(v.number(), v.integer(), v.minValue(1)), Number(values.limit), '--limit') : 1000,
      });
      if (values.json) io.out(JSON.stringify(entries.map((entry) => ({ ...entry, time: new Date(entry.time).toISOString() }))));
      else io.out(formatAuditTable(entries));
      return;
    }
    case 'export': {
      const doc = check(docNameSchema, values.doc?.[0], '--doc');
      const out = check(nonEmpty, values.out, '--out');
      const update = await exportDocument(dataDir, doc);
      writeUpdateFile(out, update);
      io.out(`wrote ${update.byteLength} bytes of ${doc} to ${out}`);
      return;
    }
    case 'import': {
      const doc = check(docNameSchema, values.doc?.[0], '--doc');
      const file = check(nonEmpty, values.file, '--file');
      let result;
      try {
        result = await importDocument(dataDir, doc, readUpdateFile(file), values.user ?? 'cli:import');
      } catch (error) {
        throw new UsageError(`${file} is not a Yjs update file: ${(error as Error).message}`);
      }
      io.out(`imported ${result.size} bytes into ${doc} (seq ${result.seq})`);
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

/** Reviews are a client of the server (cli/review.ts), loaded only when asked: it brings the Word writer. */
async function reviewDelegate(argv: string[]): Promise<void> {
  const { reviewCommand, ReviewUsageError } = await import('./cli/review.ts');
  try {
    await reviewCommand(argv);
  } catch (error) {
    if (error instanceof ReviewUsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) throw new UsageError((error as Error).message);
    throw error;
  }
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (invokedDirectly) {
  runCli(process.argv.slice(2)).catch((error: Error) => {
    // Messages are for officers; the stack only when asked for.
    process.stderr.write(`${process.env.DOSSIER_LENS_DEBUG ? (error.stack ?? error.message) : error.message}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  });
}
