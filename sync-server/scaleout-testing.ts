/**
 * Several instances on one PostgreSQL schema and one Redis, for the tests and the benchmark: each
 * instance has its own data directory holding the same `secret.key` (scaleout.ts).
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerOptions } from './server.ts';
import { type TestServer, startTestServer, tempDataDir } from './testing.ts';
import { type TestSchema, tempSchema, testRedisUrl } from './testing-services.ts';
import { loadOrCreateSecret, secretFileName } from './token.ts';

export interface Cluster {
  schema: TestSchema;
  servers: TestServer[];
  /** Data directories for further instances (same secret). */
  newDataDir(): string;
  close(): Promise<void>;
}

export async function startCluster(
  count: number,
  options: Partial<ServerOptions> = {},
  pubsub = true,
): Promise<Cluster> {
  const schema = tempSchema();
  const dirs: { dir: string; remove(): void }[] = [];
  const newDataDir = () => {
    const data = tempDataDir();
    if (dirs.length === 0) loadOrCreateSecret(data.dir);
    else copyFileSync(join(dirs[0]!.dir, secretFileName), join(data.dir, secretFileName));
    dirs.push(data);
    return data.dir;
  };
  const servers: TestServer[] = [];
  const shared = { store: schema.url, ...(pubsub ? { pubsub: testRedisUrl } : {}), ...options };
  for (let i = 0; i < count; i++) servers.push(await startTestServer(newDataDir(), shared));
  return {
    schema,
    servers,
    newDataDir,
    async close() {
      await Promise.allSettled(servers.map((server) => server.close()));
      await schema.drop();
      for (const data of dirs) data.remove();
    },
  };
}
