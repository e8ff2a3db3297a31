/**
 * PostgreSQL and Redis for the tests (and the benchmark). The suites that need them run against
 * the real services at 127.0.0.1 (DOSSIER_LENS_TEST_POSTGRES / DOSSIER_LENS_TEST_REDIS override).
 * When a service is down: in CI (`CI=true`) the suite fails, because CI starts both (.ci/run);
 * elsewhere it is skipped with one plain line saying which suite did not run and why.
 *
 * Each test gets its own schema in database `test` and its own Redis channel prefix, so parallel
 * runs never see each other's rows or messages; `drop()` removes the schema again.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';

export const testPostgresUrl = process.env.DOSSIER_LENS_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';
export const testRedisUrl = process.env.DOSSIER_LENS_TEST_REDIS ?? 'redis://127.0.0.1:6379';

async function postgresUp(): Promise<string | null> {
  const client = new pg.Client({ connectionString: testPostgresUrl, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return `PostgreSQL at ${testPostgresUrl} is unreachable (${(error as Error).message})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function redisUp(): Promise<string | null> {
  const client = new Redis(testRedisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 2000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return null;
  } catch (error) {
    return `Redis at ${testRedisUrl} is unreachable (${(error as Error).message})`;
  } finally {
    client.disconnect();
  }
}

/**
 * Whether `suite`, which needs `services`, can run. Throws in CI when one is down; otherwise says
 * why the suite is skipped and returns false. Use with `describe.skipIf(!(await servicesFor(...)))`.
 */
export async function servicesFor(suite: string, services: ('postgres' | 'redis')[]): Promise<boolean> {
  const down = (
    await Promise.all(services.map((service) => (service === 'postgres' ? postgresUp() : redisUp())))
  ).filter((reason) => reason !== null);
  if (down.length === 0) return true;
  if (process.env.CI === 'true')
    throw new Error(`${suite} cannot run: ${down.join('; ')} — CI starts both services (.ci/run)`);
  console.warn(`skipped: ${suite} did not run: ${down.join('; ')}`);
  return false;
}

export interface TestSchema {
  /** postgres://…/test?schema=t_… */
  url: string;
  schema: string;
  /** A Redis channel prefix of its own, for the instances that share this schema. */
  prefix: string;
  drop(): Promise<void>;
}

export function tempSchema(): TestSchema {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const url = new URL(testPostgresUrl);
  url.searchParams.set('schema', schema);
  return {
    url: url.toString(),
    schema,
    prefix: `dossierlens-test:${schema}:`,
    async drop() {
      const client = new pg.Client({ connectionString: testPostgresUrl });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}
