/**
 * `npm run server -- [--host H] [--port P] [--data DIR] [--sync normal|full] [--<limit> N ...]`
 *
 * Every option of `startServer` (server-options.ts, `serverOptionsSchema`) is a kebab-case flag and an
 * environment variable DOSSIER_LENS_<UPPER_SNAKE> (the flag wins): --host/DOSSIER_LENS_HOST
 * (default 127.0.0.1), --port/DOSSIER_LENS_PORT (1234; 0 = any free port),
 * --data/DOSSIER_LENS_DATA (.data/sync-server), --sync, --idle-unload-ms, --compact-every,
 * --poll-interval-ms, --ping-interval-ms, --max-frame-bytes, --messages-per-second,
 * --message-burst, --bytes-per-second, --byte-burst, --handshake-timeout-ms,
 * --max-queued-messages, --max-buffered-bytes, --max-documents-per-connection, --multiplex
 * (true|false), --close-timeout-ms, --max-connections, --max-connections-per-user,
 * --max-document-bytes, --max-daily-bytes-per-user, --max-client-ids-per-update,
 * --max-presence-bytes, --allowed-origins, --allowed-hosts (both comma-separated), --log-level,
 * --extension-dir (serve the packaged extension at GET /extension/<file>), --sso-config FILE (single
 * sign-on: sso/config.ts), --store postgres://… and --pubsub redis://… (several instances,
 * scaleout.ts), --dependency-check-ms. See README.md.
 *
 * When ready it logs one JSON line whose msg is `listening ws://HOST:PORT`. SIGINT/SIGTERM:
 * graceful shutdown (connections closed with 1001, documents compacted, storage closed), exit 0.
 * A data directory another server holds: a message naming it on stderr, exit 3.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as v from 'valibot';
import { DataDirLocked } from './datadir-lock.ts';
import { serverOptionsSchema } from './server-options.ts';
import { startServer } from './server.ts';

export const defaultDataDir = '.data/sync-server';

/** Option name → flag name; `dataDir` is `--data` and `synchronous` is `--sync` for brevity. */
const flagNames: Record<string, string> = { dataDir: 'data', synchronous: 'sync' };
const kebab = (key: string) => flagNames[key] ?? key.replace(/[A-Z]/gu, (letter) => `-${letter.toLowerCase()}`);
const envName = (key: string) => `DOSSIER_LENS_${kebab(key).replace(/-/gu, '_').toUpperCase()}`;
const textOptions = new Set([
  'host',
  'dataDir',
  'synchronous',
  'logLevel',
  'extensionDir',
  'allowedOrigins',
  'allowedHosts',
  'ssoConfig',
  'store',
  'pubsub',
]);
const booleanOptions = new Set(['multiplex']);
/** `true` / `false`; anything else is left as text for the schema to refuse by name. */
const booleanFrom = (text: string): boolean | string => (text === 'true' ? true : text === 'false' ? false : text);

export function optionsFrom(argv: string[], env: NodeJS.ProcessEnv): v.SafeParseResult<typeof serverOptionsSchema> {
  const keys = Object.keys(serverOptionsSchema.entries);
  const { values } = parseArgs({
    args: argv,
    options: Object.fromEntries(keys.map((key) => [kebab(key), { type: 'string' as const }])),
    strict: true,
  });
  const input: Record<string, unknown> = { dataDir: defaultDataDir };
  for (const key of keys) {
    const text = (values[kebab(key)] as string | undefined) ?? env[envName(key)];
    if (text !== undefined)
      input[key] = textOptions.has(key) ? text : booleanOptions.has(key) ? booleanFrom(text) : Number(text);
  }
  return v.safeParse(serverOptionsSchema, input);
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (invokedDirectly) await main();

async function main(): Promise<void> {
  // A log reader that goes away (a closed pipe) must not take the server down with it.
  process.stdout.on('error', () => undefined);
  let parsed: ReturnType<typeof optionsFrom>;
  try {
    parsed = optionsFrom(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  if (!parsed.success) {
    for (const issue of parsed.issues)
      process.stderr.write(`invalid option ${v.getDotPath(issue) ?? ''}: ${issue.message}\n`);
    process.exit(2);
  }

  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer(parsed.output);
  } catch (error) {
    // E.g. the data directory is held by another server (datadir-lock.ts): say who, and stop.
    process.stderr.write(`cannot start: ${(error as Error).message}\n`);
    process.exit(error instanceof DataDirLocked ? 3 : 1);
  }
  let stopping = false;
  function stop(signal: string, code = 0): void {
    if (stopping) return;
    stopping = true;
    server.log.info('shutting down', { signal });
    server.close().then(
      () => process.exit(code),
      (error: Error) => {
        server.log.error('shutdown failed', { error: error.message });
        process.exit(1);
      },
    );
  }
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // One bad code path must not take every client down with it. A rejected promise nobody awaited
  // leaves no half-done state behind (its continuation simply never runs): log it and carry on.
  // An uncaught exception may have stopped a synchronous update midway: log it, then exit after a
  // graceful close, so a supervisor restarts on a store that holds every acknowledged write.
  process.on('unhandledRejection', (reason) => {
    server.log.error('unhandled rejection', { error: reason instanceof Error ? reason.message : String(reason) });
  });
  process.on('uncaughtException', (error) => {
    server.log.error('uncaught exception', { error: error.message });
    stop('uncaughtException', 1);
    // A close that hangs on the broken state must not keep a half-working server up.
    setTimeout(() => process.exit(1), 10_000).unref();
  });
}
