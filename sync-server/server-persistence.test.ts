/**
 * What the server stores and how, over real sockets with a real SQLite file: a write is
 * acknowledged only once durable, the audit trail and history, admin operations against a running
 * server, idle unloading, compaction, and one merged broadcast per peer per turn.
 */
import { join } from 'node:path';
import * as decoding from 'lib0/decoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { backup, exportDocument, importDocument, readAudit } from './admin.ts';
import { encodeSyncStep1, encodeUpdate, messageSync, syncStep1, syncStep2 } from './protocol.ts';
import { openSqliteStorage } from './storage/sqlite.ts';
import { rawClient, startTestServer, stockClient, storedDoc, synced, tempDataDir, waitFor } from './testing.ts';
import { updateOf } from './testing-frames.ts';
import { expectNoTokenInLogs, useFileServer } from './testing-fixture.ts';

const { server, stock: client, token } = useFileServer({ idleUnloadMs: 100 });

describe('durable acknowledgement', () => {
  it('answers step 1 with step 2 then the server’s own state vector, which covers what was sent', async () => {
    const raw = await rawClient(server.url, 'unit:D01', token('dora', 'editor'));
    const local = new Y.Doc();
    let update: Uint8Array | null = null;
    local.on('update', (u: Uint8Array) => {
      update = u;
    });
    local.getMap('m').set('k', 'v');
    raw.ws.send(encodeUpdate(update!));
    raw.ws.send(encodeSyncStep1(Y.encodeStateVector(local)));
    await waitFor(() => raw.frames.length >= 2, 'step 2 and step 1');
    const kinds = raw.frames.slice(0, 2).map((frame) => [frame[0], frame[1]]);
    expect(kinds).toEqual([
      [messageSync, syncStep2],
      [messageSync, syncStep1],
    ]);
    const decoder = decoding.createDecoder(raw.frames[1]!);
    decoding.readVarUint(decoder);
    decoding.readVarUint(decoder);
    const serverVector = Y.decodeStateVector(decoding.readVarUint8Array(decoder));
    expect(serverVector.get(local.clientID)).toBe(1);
    // ...and what the state vector acknowledges is in storage, read by another connection.
    const storage = openSqliteStorage(server.dataDir);
    const stored = await storage.loadDocument('unit:D01');
    await storage.close();
    expect(stored.updates.length).toBe(1);
    raw.ws.close();
  });
});

describe('audit and history', () => {
  it('answers who wrote what, from the CLI store and over HTTP', async () => {
    const alice = client('notes:H01', token('alice', 'annotator', 'notes:*'));
    const carol = client('notes:H01', token('carol', 'editor', 'notes:*'));
    await Promise.all([synced(alice), synced(carol)]);
    alice.doc.getArray('threads').push(['alice says']);
    await waitFor(() => carol.doc.getArray('threads').length === 1, 'alice’s note');
    carol.doc.getArray('threads').push(['carol says']);
    await waitFor(() => alice.doc.getArray('threads').length === 2, 'carol’s note');
    const entries = await readAudit(server.dataDir, { doc: 'notes:H01' });
    expect(entries.map((entry) => entry.user)).toEqual(['alice', 'carol']);
    expect(entries[0]!.clientIds).toEqual([alice.doc.clientID]);
    expect(entries[1]!.clientIds).toEqual([carol.doc.clientID]);
    expect(entries[0]!.hash).toMatch(/^[0-9a-f]{64}$/u);

    const http = server.url.replace('ws:', 'http:');
    const origin = 'chrome-extension://abcdefghijklmnop';
    const history = await fetch(`${http}/history?doc=notes:H01`, {
      headers: { Authorization: `Bearer ${token('vic', 'viewer', 'notes:*')}`, Origin: origin },
    });
    expect(history.status).toBe(200);
    expect(history.headers.get('access-control-allow-origin')).toBe(origin);
    const body = (await history.json()) as { entries: { user: string; clientIds: number[] }[] };
    expect(body.entries.map((entry) => entry.user)).toEqual(['alice', 'carol']);
    expect(
      (
        await fetch(`${http}/history?doc=notes:H01`, {
          headers: { Authorization: `Bearer ${token('vic', 'viewer', 'unit:*')}` },
        })
      ).status,
    ).toBe(403);
    expect((await fetch(`${http}/history?doc=notes:H01`)).status).toBe(401);
    const preflight = await fetch(`${http}/history?doc=notes:H01`, {
      method: 'OPTIONS',
      headers: { Origin: 'moz-extension://0f0e-aa11', 'Access-Control-Request-Headers': 'authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('moz-extension://0f0e-aa11');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/authorization/iu);
    // Who each clientID is, for views to name authors by (core/sync/authors.ts).
    const authors = await fetch(`${http}/authors?doc=notes:H01`, {
      headers: { Authorization: `Bearer ${token('vic', 'viewer', 'notes:*')}`, Origin: origin },
    });
    expect(authors.headers.get('access-control-allow-origin')).toBe(origin);
    // In the order bound: alice's and carol's presence may arrive in the same millisecond, either first.
    const bound = ((await authors.json()) as { authors: { user: string }[] }).authors;
    expect(bound.sort((a, b) => a.user.localeCompare(b.user))).toEqual([
      { clientId: alice.doc.clientID, user: 'alice', name: 'alice' },
      { clientId: carol.doc.clientID, user: 'carol', name: 'carol' },
    ]);
    expect(
      (
        await fetch(`${http}/authors?doc=notes:H01`, {
          headers: { Authorization: `Bearer ${token('vic', 'viewer', 'unit:*')}` },
        })
      ).status,
    ).toBe(403);
    const limited = await fetch(`${http}/history?doc=notes:H01&limit=1`, {
      headers: { Authorization: `Bearer ${token('vic', 'viewer', 'notes:*')}` },
    });
    expect(((await limited.json()) as { entries: { user: string }[] }).entries.map((entry) => entry.user)).toEqual([
      'carol',
    ]);
    const evil = await fetch(`${http}/whoami`, {
      headers: { Authorization: `Bearer ${token('vic', 'viewer')}`, Origin: 'https://evil.example' },
    });
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const mine = await fetch(`${http}/whoami`, { headers: { Authorization: `Bearer ${token('vic', 'viewer')}` } });
    const whoami = (await mine.json()) as { user: string; grants: unknown };
    expect(whoami).toMatchObject({ user: 'vic', grants: [{ role: 'viewer', doc: 'unit:*' }] });
    expect((await fetch(`${http}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${http}/metrics`)).text()).toMatch(/dossierlens_updates_total \d+/u);
  });
});

describe('admin operations against a running server', () => {
  it('import reaches connected clients; export and backup hold the content', async () => {
    const watcher = client('unit:I01', token('walt', 'viewer'));
    await synced(watcher);
    const source = new Y.Doc();
    source.getMap('cadres').set('imported', { name: '李四' });
    await importDocument(server.dataDir, 'unit:I01', Y.encodeStateAsUpdate(source), 'cli:import');
    await waitFor(() => watcher.doc.getMap('cadres').has('imported'), 'the imported content to reach the client');
    expect((await storedDoc(server.dataDir, 'unit:I01')).getMap('cadres').get('imported')).toEqual({ name: '李四' });
    const copy = tempDataDir();
    try {
      await backup(server.dataDir, join(copy.dir, 'backup'));
      const restored = new Y.Doc();
      Y.applyUpdate(restored, await exportDocument(join(copy.dir, 'backup'), 'unit:I01'));
      expect(restored.getMap('cadres').get('imported')).toEqual({ name: '李四' });
    } finally {
      copy.remove();
    }
  });

  it('unloads idle documents and reloads them from storage', async () => {
    const first = client('unit:U01', token('uma', 'editor'));
    await synced(first);
    const updatesBefore = server.metrics.updatesTotal;
    first.doc.getText('t').insert(0, 'persisted');
    await waitFor(() => server.metrics.updatesTotal > updatesBefore, 'the update to be stored');
    const loadsBefore = server.metrics.documentLoadsTotal;
    first.destroy();
    await waitFor(() => server.metrics.documentUnloadsTotal > 0 && server.metrics.documentsLoaded === 0, 'the unload');
    const second = client('unit:U01', token('uma', 'editor'));
    await waitFor(() => second.doc.getText('t').toString() === 'persisted', 'the reloaded content');
    expect(server.metrics.documentLoadsTotal).toBe(loadsBefore + 1);
  });
});

describe('compaction and batching', () => {
  it('folds the log into a snapshot, keeps the audit, and reloads the same content', async () => {
    const dir = tempDataDir();
    let small = await startTestServer(dir.dir, { compactEvery: 5, idleUnloadMs: 10 });
    try {
      const writer = stockClient(small.url, 'unit:P01', small.token('pat', ['editor', 'unit:*']));
      await synced(writer);
      for (let i = 0; i < 23; i++) writer.doc.getMap('m').set(`k${i}`, i);
      await waitFor(() => small.metrics.updatesTotal >= 23, 'all updates stored');
      writer.destroy();
      await waitFor(() => small.metrics.documentsLoaded === 0, 'the unload');
      await small.close();
      const storage = openSqliteStorage(dir.dir);
      const stored = await storage.loadDocument('unit:P01');
      const audit = await storage.audit({ doc: 'unit:P01' });
      await storage.close();
      expect(stored.snapshot).not.toBeNull();
      expect(stored.updates.length).toBe(0);
      expect(audit.length).toBe(23);
      small = await startTestServer(dir.dir);
      const reader = stockClient(small.url, 'unit:P01', small.token('pat', ['viewer', 'unit:*']));
      await synced(reader);
      expect(reader.doc.getMap('m').size).toBe(23);
      reader.destroy();
    } finally {
      await small.close();
      dir.remove();
    }
  });

  it('merges one turn’s updates per peer, never echoing a writer’s own update back', async () => {
    const a = await rawClient(server.url, 'unit:B01', token('ann', 'editor'));
    const b = await rawClient(server.url, 'unit:B01', token('bo', 'editor'));
    const c = await rawClient(server.url, 'unit:B01', token('cy', 'viewer'));
    for (const raw of [a, b, c]) raw.ws.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
    await waitFor(() => [a, b, c].every((raw) => raw.frames.length >= 2), 'the handshakes');
    for (const raw of [a, b, c]) raw.frames.length = 0;
    // Sent back to back: they arrive in the same turn of the server's event loop (most likely;
    // the assertions hold either way).
    a.ws.send(encodeUpdate(updateOf((doc) => doc.getMap('m').set('from', 'ann'))));
    b.ws.send(encodeUpdate(updateOf((doc) => doc.getArray('l').push(['from bo']))));
    const contents = (raw: typeof a) => {
      const doc = new Y.Doc();
      for (const frame of raw.frames) {
        const decoder = decoding.createDecoder(frame);
        if (decoding.readVarUint(decoder) !== messageSync) continue;
        decoding.readVarUint(decoder);
        Y.applyUpdate(doc, decoding.readVarUint8Array(decoder));
      }
      return { map: doc.getMap('m').toJSON(), list: doc.getArray('l').toJSON() };
    };
    await waitFor(() => contents(c).list.length === 1 && contents(c).map.from === 'ann', 'the viewer to get both');
    await waitFor(
      () => contents(a).list.length === 1 && contents(b).map.from === 'ann',
      'each writer to get the other’s',
    );
    expect(contents(a).map).toEqual({});
    expect(contents(b).list).toEqual([]);
    for (const raw of [a, b, c]) raw.ws.close();
  });
});

describe('logs', () => {
  it('never contain a token', () => expectNoTokenInLogs(server));
});
