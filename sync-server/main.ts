/**
 * `npm run server -- [--host H] [--port P] [--data DIR] [--sync normal|full] [--idle-unload-ms N]`
 *
 * Each option also reads an environment variable (the flag wins): DOSSIER_LENS_HOST,
 * DOSSIER_LENS_PORT, DOSSIER_LENS_DATA, DOSSIER_LENS_SYNC, DOSSIER_LENS_IDLE_UNLOAD_MS,
 * DOSSIER_LENS_LOG_LEVEL. When ready it logs one JSON line whose msg is `listening ws://HOST:PORT`.
 * SIGINT/SIGTERM: graceful shutdown (connections closed with 1001, documents compacted, storage
 * closed), then exit 0.
 */
import { parseArgs } from 'node:util';
import * as v from 'valibot';
import { serverOptionsSchema, startServer } from './server.ts';

export const defaultDataDir = '.data/sync-server';

const { values } = parseArgs({
  options: {
    host: { type: 'string' },
    port: { type: 'string' },
    data: { type: 'string' },
    sync: { type: 'string' },
    'idle-unload-ms': { type: 'string' },
    'log-level': { type: 'string' },
  },
  strict: true,
});

const env = process.env;
const numberOrUndefined = (text: string | undefined) => (text === undefined ? undefined : Number(text));

const parsed = v.safeParse(serverOptionsSchema, {
  host: values.host ?? env.DOSSIER_LENS_HOST,
  port: numberOrUndefined(values.port ?? env.DOSSIER_LENS_PORT),
  dataDir: values.data ?? env.DOSSIER_LENS_DATA ?? defaultDataDir,
  synchronous: values.sync ?? env.DOSSIER_LENS_SYNC,
  idleUnloadMs: numberOrUndefined(values['idle-unload-ms'] ?? env.DOSSIER_LENS_IDLE_UNLOAD_MS),
  logLevel: values['log-level'] ?? env.DOSSIER_LENS_LOG_LEVEL,
});
if (!parsed.success) {
  for (const issue of parsed.issues) {
    process.stderr.write(`invalid option ${v.getDotPath(issue) ?? ''}: ${issue.message}\n`);
  }
  process.exit(2);
}

const server = await startServer(parsed.output);

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  server.log.info('shutting down', { signal });
  server.close().then(
    () => process.exit(0),
    (error: Error) => {
      server.log.error('shutdown failed', { error: error.message });
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
