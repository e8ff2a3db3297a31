/**
 * Failures of a deployment of several instances (issue 17), on the real PostgreSQL and Redis:
 * - kill -9 of an instance mid-stream: its clients reconnect to another, and every update a peer
 *   saw, and every update the writer made, is in the database;
 * - a dropped Redis subscription (CLIENT KILL of that one connection, not of the shared service):
 *   the instance catches up from the database when it is back;
 * - kill -9 of Redis itself (a Redis of this test's own, on another port): nothing is lost, and
 *   /healthz says Redis is unreachable meanwhile.
 * The storage poll is a minute long: what arrives quickly came through Redis or the catch-up.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { hashUpdate } from './attribution.ts';
import { type Cluster, startCluster } from './scaleout-testing.ts';
import { openPostgresStorage } from './storage/postgres.ts';
import { type TestServer, spawnServer, stockClient, synced, waitFor } from './testing.ts';
import { useCleanups } from './testing-fixture.ts';
import { servicesFor, testRedisUrl } from './testing-services.ts';

const up = await servicesFor('instance and Redis failures (sync-server/scaleout-failure.test.ts)', [
  'postgres',
  'redis',
]);

const { cleanups } = useCleanups();

async function cluster(count: number, options: Record<string, unknown> = {}): Promise<Cluster> {
  const started = await startCluster(count, { pollIntervalMs: 60_000, idleUnloadMs: 60_000, ...options });
  cleanups.push(() => started.close());
  return started;
}

function client(url: string, doc: string, token: string, ydoc?: Y.Doc): WebsocketProvider {
  const provider = stockClient(url, doc, token, 'query', ydoc);
  cleanups.push(() => provider.destroy());
  return provider;
}

const keys = (doc: Y.Doc) => [...doc.getMap('m').keys()].sort();

async function storedKeys(url: string, doc: string): Promise<string[]> {
  const storage = await openPostgresStorage(url);
  try {
    const loaded = await storage.loadDocument(doc);
    const ydoc = new Y.Doc();
    if (loaded.snapshot) Y.applyUpdate(ydoc, loaded.snapshot);
    for (const update of loaded.updates) Y.applyUpdate(ydoc, update.data);
    return keys(ydoc);
  } finally {
    await storage.close();
  }
}

describe.skipIf(!up)('failures with several instances', () => {
  it('kill -9 of an instance mid-stream loses nothing a peer saw or the writer wrote', async () => {
    const { servers, schema, newDataDir } = await cluster(1);
    const survivor = servers[0]!;
    const doomed = await spawnServer(newDataDir(), [
      '--store',
      schema.url,
      '--pubsub',
      testRedisUrl,
      '--poll-interval-ms',
      '60000',
    ]);
    cleanups.push(() => void doomed.child.kill('SIGKILL'));
    const doc = 'unit:K01';
    const writerDoc = new Y.Doc();
    const writer = client(doomed.url, doc, survivor.token('writer', ['editor', doc]), writerDoc);
    const observer = client(survivor.url, doc, survivor.token('observer', ['viewer', doc]));
    await Promise.all([synced(writer), synced(observer)]);
    let written = 0;
    const stream = setInterval(() => writerDoc.getMap('m').set(`k${String(written++).padStart(4, '0')}`, 'x'), 2);
    await waitFor(() => observer.doc.getMap('m').size >= 50, 'the observer on the other instance to see the stream');
    doomed.child.kill('SIGKILL');
    const seenBeforeKill = keys(observer.doc);
    await new Promise((resolve) => doomed.child.once('exit', resolve));
    clearInterval(stream);
    writer.destroy();
    // Every update a peer saw was committed first.
    expect(seenBeforeKill.every((key) => writerDoc.getMap('m').has(key))).toBe(true);
    const stored = await storedKeys(schema.url, doc);
    expect(seenBeforeKill.filter((key) => !stored.includes(key))).toEqual([]);
    // The writer reconnects to the survivor; what the dead instance never stored is sent again.
    const again = client(survivor.url, doc, survivor.token('writer', ['editor', doc]), writerDoc);
    await synced(again);
    await waitFor(
      () => observer.doc.getMap('m').size === writerDoc.getMap('m').size,
      'the observer to hold every write',
    );
    expect(await storedKeys(schema.url, doc)).toEqual(keys(writerDoc));
  });

  it('an instance whose Redis subscription dropped catches up from the database', async () => {
    const { servers, schema } = await cluster(2);
    const [a, b] = servers as [TestServer, TestServer];
    const doc = 'unit:P01';
    const onA = client(a.url, doc, a.token('ann', ['editor', doc]));
    const onB = client(b.url, doc, b.token('ben', ['editor', doc]));
    await Promise.all([synced(onA), synced(onB)]);
    // A write nobody publishes (another process on the database, like `cli import`)…
    const storage = await openPostgresStorage(schema.url);
    cleanups.push(() => storage.close());
    const author = new Y.Doc();
    author.getMap('m').set('unpublished', 'from the database only');
    const update = Y.encodeStateAsUpdate(author);
    await storage.commitUpdates([
      {
        doc,
        data: update,
        user: 'importer',
        name: 'importer',
        time: Date.now(),
        hash: hashUpdate(update),
        clientIds: [author.clientID],
        newBindings: [author.clientID],
      },
    ]);
    // …reaches B's clients once B's subscription comes back, a minute before its next poll.
    const redis = new Redis(testRedisUrl);
    cleanups.push(() => redis.disconnect());
    const name = /"redisConnection":"([^"]+)"/u.exec(
      b.logs.find((line) => line.includes('redisConnection')) ?? '',
    )?.[1];
    expect(name).toBeDefined();
    const list = (await redis.client('LIST')) as string;
    const id = /id=(\d+) [^\n]*name=([^ ]+)/gu;
    const ids = [...list.matchAll(id)].filter((match) => match[2] === name).map((match) => match[1]!);
    expect(ids).toHaveLength(1);
    await redis.client('KILL', 'ID', ids[0]!);
    await waitFor(
      () => onB.doc.getMap('m').get('unpublished') === 'from the database only',
      'B to catch up from the database',
    );
    // And the fast path works again.
    onA.doc.getMap('m').set('after', 'the drop');
    await waitFor(() => onB.doc.getMap('m').get('after') === 'the drop', 'B to hear A again');
  });

  it('kill -9 of Redis loses nothing; /healthz says Redis is down until it is back', async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const startRedis = async (): Promise<ChildProcess> => {
      const child = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        { stdio: 'ignore' },
      );
      cleanups.push(() => void child.kill('SIGKILL'));
      await waitForAsync(async () => {
        const probe = new Redis({
          port,
          host: '127.0.0.1',
          lazyConnect: true,
          retryStrategy: () => null,
          maxRetriesPerRequest: 0,
        });
        probe.on('error', () => undefined);
        try {
          await probe.connect();
          return (await probe.ping()) === 'PONG';
        } finally {
          probe.disconnect();
        }
      }, `a Redis of our own on port ${port}`);
      return child;
    };
    let redisServer = await startRedis();
    const { servers, schema } = await cluster(2, {
      pubsub: `redis://127.0.0.1:${port}`,
      dependencyCheckMs: 50,
      pollIntervalMs: 200,
    });
    const [a, b] = servers as [TestServer, TestServer];
    const doc = 'unit:X01';
    const onA = client(a.url, doc, a.token('ann', ['editor', doc]));
    const onB = client(b.url, doc, b.token('ben', ['editor', doc]));
    await Promise.all([synced(onA), synced(onB)]);
    onA.doc.getMap('m').set('before', 'the crash');
    await waitFor(() => onB.doc.getMap('m').has('before'), 'B to hear A through Redis');

    redisServer.kill('SIGKILL');
    await new Promise((resolve) => redisServer.once('exit', resolve));
    const health = async () =>
      (await fetch(`${a.url.replace('ws:', 'http:')}/healthz`)).json() as Promise<{
        ok: boolean;
        dependencies?: Record<string, string>;
      }>;
    await waitForAsync(
      async () => (await health()).dependencies?.redis === 'unreachable',
      '/healthz to report Redis down',
    );
    const metrics = await (await fetch(`${a.url.replace('ws:', 'http:')}/metrics`)).text();
    expect(metrics).toContain('dossierlens_dependency_up{dependency="redis"} 0');
    expect(metrics).toContain('dossierlens_dependency_up{dependency="database"} 1');
    // Without Redis the instances follow the database: slower, nothing lost.
    onA.doc.getMap('m').set('during', 'the outage');
    onB.doc.getMap('m').set('also', 'during the outage');
    await waitFor(
      () => onB.doc.getMap('m').has('during') && onA.doc.getMap('m').has('also'),
      'both sides to meet through the database',
    );

    redisServer = await startRedis();
    await waitForAsync(async () => (await health()).ok, '/healthz to be ok again');
    onB.doc.getMap('m').set('after', 'the restart');
    await waitFor(() => onA.doc.getMap('m').has('after'), 'A to hear B again');
    expect(await storedKeys(schema.url, doc)).toEqual(['after', 'also', 'before', 'during']);
  });
});

async function waitForAsync(predicate: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
