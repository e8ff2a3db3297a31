/**
 * Several server instances on the real PostgreSQL and Redis (issue 17): stock y-websocket clients
 * spread over them converge, presence included; a revocation made through one instance closes the
 * user's sockets on all; a clientID claimed through one instance cannot be written with through
 * another. The storage poll is set to a minute here, so what arrives quickly came through Redis.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { revoke } from './admin.ts';
import { rawClient, stockClient, synced, waitFor } from './testing.ts';
import { awarenessFrame } from './testing-frames.ts';
import { useCleanups } from './testing-fixture.ts';
import { closeCodes, encodeSyncStep1, encodeUpdate } from './protocol.ts';
import { type Cluster, startCluster } from './scaleout-testing.ts';
import { openPostgresStorage } from './storage/postgres.ts';
import { servicesFor } from './testing-services.ts';

const up = await servicesFor('several instances (sync-server/scaleout.test.ts)', ['postgres', 'redis']);

const { cleanups } = useCleanups();

async function cluster(count: number): Promise<Cluster> {
  const started = await startCluster(count, { pollIntervalMs: 60_000, idleUnloadMs: 60_000 });
  cleanups.push(() => started.close());
  return started;
}

function client(url: string, doc: string, token: string): WebsocketProvider {
  const provider = stockClient(url, doc, token);
  cleanups.push(() => provider.destroy());
  return provider;
}

describe.skipIf(!up)('several instances on PostgreSQL and Redis', () => {
  it('stock clients spread over three instances converge, and see each other\u2019s presence', async () => {
    const { servers, schema } = await cluster(3);
    const doc = 'unit:S01';
    const providers = Array.from({ length: 6 }, (_, i) => {
      const server = servers[i % 3]!;
      return client(server.url, doc, server.token(`user${i}`, ['editor', doc]));
    });
    await Promise.all(providers.map(synced));
    providers.forEach((provider, i) => provider.doc.getMap('m').set(`k${i}`, `from instance ${i % 3}`));
    const expected = Object.fromEntries(providers.map((_, i) => [`k${i}`, `from instance ${i % 3}`]));
    const content = (provider: WebsocketProvider) =>
      JSON.stringify(sorted(provider.doc.getMap('m').toJSON() as Record<string, string>));
    await waitFor(
      () => providers.every((provider) => content(provider) === JSON.stringify(sorted(expected))),
      'every client to hold every write',
    );

    providers[0]!.awareness.setLocalStateField('cursor', 'on A');
    await waitFor(
      () =>
        providers
          .slice(1)
          .every(
            (p) =>
              (p.awareness.getStates().get(providers[0]!.doc.clientID) as { cursor?: string } | undefined)?.cursor ===
              'on A',
          ),
      'presence set on A to reach B and C',
    );
    // Each connected instance holds the writes in its memory as the database does.
    const storage = await openPostgresStorage(schema.url);
    cleanups.push(() => storage.close());
    const stored = new Y.Doc();
    const loaded = await storage.loadDocument(doc);
    if (loaded.snapshot) Y.applyUpdate(stored, loaded.snapshot);
    for (const update of loaded.updates) Y.applyUpdate(stored, update.data);
    expect(stored.getMap('m').toJSON()).toEqual(expected);
  });

  it('a revocation made through one instance closes the user\u2019s sockets on every instance', async () => {
    const { servers } = await cluster(3);
    const sockets = await Promise.all(
      servers.map((server) => rawClient(server.url, 'unit:R01', server.token('rex', ['editor', 'unit:R01']))),
    );
    const bystander = await rawClient(servers[0]!.url, 'unit:R01', servers[0]!.token('ann', ['editor', 'unit:R01']));
    await revoke(servers[1]!.dataDir, { user: 'rex' });
    const closes = await Promise.all(sockets.map((socket) => socket.closed));
    expect(closes.map((close) => close.code)).toEqual([
      closeCodes.unauthorized,
      closeCodes.unauthorized,
      closeCodes.unauthorized,
    ]);
    expect(bystander.ws.readyState).toBe(bystander.ws.OPEN);
    bystander.ws.close();
  });

  it('a clientID claimed through one instance cannot be written with through another', async () => {
    const { servers, schema } = await cluster(2);
    const [a, b] = servers as [(typeof servers)[0], (typeof servers)[0]];
    const doc = 'unit:C01';
    const mallory = await rawClient(b.url, doc, b.token('mallory', ['editor', doc]));
    mallory.ws.send(encodeSyncStep1(new Uint8Array([0])));
    const alice = await rawClient(a.url, doc, a.token('alice', ['editor', doc]));
    alice.ws.send(awarenessFrame([{ id: 5151, clock: 1, state: '{"user":{}}' }]));
    const storage = await openPostgresStorage(schema.url);
    cleanups.push(() => storage.close());
    await waitForAsync(
      async () => (await storage.loadDocument(doc)).bindings.get(5151) === 'alice',
      'alice\u2019s presence to bind clientID 5151',
    );
    // B never heard of that binding in memory: the database refuses the write.
    const forged = new Y.Doc();
    forged.clientID = 5151;
    forged.getMap('m').set('forged', 'by mallory');
    const framesBefore = mallory.frames.length;
    mallory.ws.send(encodeUpdate(Y.encodeStateAsUpdate(forged)));
    await waitFor(
      () => mallory.frames.slice(framesBefore).some((frame) => frame[0] === 2),
      'mallory to be told the write was refused',
    );
    expect((await storage.audit({ doc })).map((entry) => entry.user)).toEqual([]);
    expect(b.metrics.refusalCount('client-id')).toBe(1);
    mallory.ws.close();
    alice.ws.close();
  });
});

const sorted = (record: Record<string, string>) =>
  Object.fromEntries(Object.entries(record).sort(([x], [y]) => x.localeCompare(y)));

/** `waitFor` for a condition that has to ask the database. */
async function waitForAsync(predicate: () => Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
