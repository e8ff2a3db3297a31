/**
 * Several server instances on one PostgreSQL store (`store`), fanning out through Redis
 * (`pubsub`): opens both, announces revocations made through this instance to the others, and
 * checks both every `dependencyCheckMs` for /healthz and /metrics (health.ts). See README.md,
 * "Deployment: several instances".
 *
 * Each instance keeps its own data directory (lock, commit mark, integrity alarm) holding the same
 * `secret.key`, so a token issued for one is valid on all.
 */
import type { Health } from './health.ts';
import type { Logger } from './log.ts';
import { type PubSub, openPubSub } from './pubsub.ts';
import { openPostgresStorage } from './storage/postgres.ts';
import { rememberStore } from './storage/open.ts';
import { describeStoreUrl, parseStoreUrl } from './storage/postgres-schema.ts';
import type { Storage } from './storage/types.ts';

export interface SharedStores {
  storage: Storage;
  pubsub: PubSub | null;
  stopChecks(): void;
}

interface Options {
  dataDir: string;
  store?: string | undefined;
  pubsub?: string | undefined;
  dependencyCheckMs: number;
}

/** Channels of one deployment: its database and schema name it, so deployments sharing a Redis stay apart. */
export function channelPrefix(store: string): string {
  const { connectionString, schema } = parseStoreUrl(store);
  const url = new URL(connectionString);
  return `dossierlens:${url.host}${url.pathname}:${schema}:`;
}

export async function openSharedStores(options: Options, log: Logger, health: Health): Promise<SharedStores | null> {
  if (options.store === undefined) {
    if (options.pubsub !== undefined) throw new Error('pubsub needs a shared store: give --store postgres://… as well');
    return null;
  }
  const postgres = await openPostgresStorage(options.store, { dataDir: options.dataDir });
  // So the CLI's `--data DIR` commands reach this database too (storage/open.ts).
  rememberStore(options.dataDir, options.store);
  let pubsub: PubSub | null = null;
  try {
    if (options.pubsub !== undefined)
      pubsub = await openPubSub({ url: options.pubsub, prefix: channelPrefix(options.store), log });
  } catch (error) {
    await postgres.close();
    throw new Error(`Redis at ${options.pubsub} is unreachable: ${(error as Error).message}`, { cause: error });
  }
  log.info('shared store', {
    store: describeStoreUrl(options.store),
    schema: postgres.schema,
    redisConnection: pubsub?.connectionName ?? null,
  });
  const storage: Storage =
    pubsub === null
      ? postgres
      : {
          ...postgres,
          async revoke(target, time) {
            const revocation = await postgres.revoke(target, time);
            pubsub.announceRevocation();
            return revocation;
          },
        };
  const check = async () => {
    health.dependency('database', await postgres.ping());
    if (pubsub !== null) health.dependency('redis', pubsub.up);
  };
  await check();
  const timer = setInterval(() => void check(), options.dependencyCheckMs);
  timer.unref();
  return { storage, pubsub, stopChecks: () => clearInterval(timer) };
}
