import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
// The real server, on loopback. Only this test reaches into sync-server/; the library does not.
import { startTestServer, tempDataDir, waitFor, type TestServer } from '../../sync-server/testing.ts';
import { mintToken } from '../../sync-server/token.ts';
import { loadOrCreateSecret } from '../../sync-server/token.ts';
import { unitDossiers } from '../doc/unit-doc.ts';
import { notes } from '../doc/notes-doc.ts';
import { writerOf } from '../doc/writers.ts';
import { annotation, cadre, record } from '../doc/test/fixtures.ts';
import { openSyncedDoc, type SyncedDoc } from './synced-doc.ts';

/**
 * An editor who writes a colleague's name into `by` or `author` is shown under their own name:
 * every author a view shows comes from the server's clientID bindings (authors.ts).
 */

const data = tempDataDir();
let server: TestServer;
const opened: SyncedDoc[] = [];

beforeAll(async () => {
  server = await startTestServer(data.dir);
});
afterAll(async () => {
  for (const doc of opened) await doc.destroy();
  await server.close();
  data.remove();
});

function open(
  name: string,
  user: string,
  displayName: string,
  role: 'viewer' | 'editor',
  persistence: 'none' | 'indexeddb' = 'none',
  connect = true,
): SyncedDoc {
  const { token } = mintToken(loadOrCreateSecret(data.dir), {
    user,
    name: displayName,
    grants: [{ role, doc: '*' }],
    ttlSeconds: 3600,
  });
  const doc = openSyncedDoc({
    name,
    kind: name === 'register' ? 'register' : name.startsWith('notes:') ? 'notes' : 'unit',
    serverUrl: server.url,
    token,
    persistence,
    dbName: `authors-test:${user}:${name}`,
    crossTab: false,
    connect,
    confirmDebounceMs: 50,
    maxBackoffTime: 1000,
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
  });
  opened.push(doc);
  return doc;
}

describe('authors', () => {
  it('name the user the server bound the clientID to, not the name written into the record', async () => {
    const mallory = open('unit:AU1', 'mallory', '王五', 'editor');
    await mallory.whenSynced();
    const u = unitDossiers(mallory.doc);
    u.cadres.put(cadre('c1'));
    u.records.put(record('r1', 'c1'));
    // The forgery: a revocation "by" a colleague.
    expect(u.records.revoke('r1', { by: 'alice', at: new Date().toISOString(), reason: '撤销' }).ok).toBe(true);
    // Mallory's own device knows at once, offline or not: it is the token's user.
    expect(mallory.authors.get(u.records.writerOf('r1', 'revoked'))).toEqual({ user: 'mallory', name: '王五' });
    await mallory.whenConfirmed();

    const vera = open('unit:AU1', 'vera', '赵六', 'viewer', 'indexeddb');
    await vera.whenSynced();
    const seen = unitDossiers(vera.doc);
    await waitFor(
      () => vera.authors.get(seen.records.writerOf('r1', 'revoked')) !== undefined,
      'the authors from the server',
    );
    expect(seen.records.get('r1')).toMatchObject({ ok: true, value: { revoked: { by: 'alice' } } });
    expect(vera.authors.get(seen.records.writerOf('r1', 'revoked'))).toEqual({ user: 'mallory', name: '王五' });
    expect(seen.records.history('r1').map((e) => vera.authors.get(e.writer)?.name)).toEqual(['王五', '王五']);
    await vera.destroy();

    // Reopened offline: the authors were kept beside the document.
    const offline = open('unit:AU1', 'vera', '赵六', 'viewer', 'indexeddb', false);
    await offline.whenLoaded;
    const again = unitDossiers(offline.doc);
    await waitFor(() => offline.authors.get(again.records.writerOf('r1', 'revoked')) !== undefined, 'the kept authors');
    expect(offline.authors.get(again.records.writerOf('r1', 'revoked'))?.name).toBe('王五');
  });

  it('learn a colleague who starts writing while the view is open', async () => {
    const alice = open('notes:AU2', 'alice', '张三', 'editor');
    const bob = open('notes:AU2', 'bob', '李四', 'editor');
    await Promise.all([alice.whenSynced(), bob.whenSynced()]);
    notes(bob.doc).add(annotation('n1', 'c1', { at: new Date().toISOString() }));
    const at = notes(alice.doc);
    await waitFor(() => at.annotations.get('n1') !== undefined, 'bob’s note at alice');
    await waitFor(
      () => alice.authors.get(at.annotations.writerOf('n1')) !== undefined,
      'bob’s binding at alice',
      10_000,
    );
    expect(alice.authors.get(at.annotations.writerOf('n1'))).toEqual({ user: 'bob', name: '李四' });
  });

  it('say this device’s own write is pending until the server lists it, then the server’s word, with no new sync', async () => {
    const ana = open('register', 'ana', '拟稿人', 'editor');
    await ana.whenSynced();
    await waitFor(() => ana.status().connection === 'online', 'online');
    // Whatever the sync asked is answered before the write: nothing in flight could bring the binding.
    await ana.authors.refresh();
    ana.doc.getMap('steps').set('s1', '{"id":"s1"}');
    const writer = writerOf(ana.doc, 'steps', 's1');
    // Named at once (the token's user), but not yet the server's word: an approval counts it provisionally.
    expect(ana.authors.author(writer)).toEqual({ status: 'pending', user: 'ana', name: '拟稿人' });
    await ana.whenConfirmed();
    // The confirmation alone makes the tracker ask again (the document does not sync again).
    await waitFor(
      () => ana.authors.author(writer).status === 'server',
      'the server’s binding of ana’s clientID',
      10_000,
    );
    expect(ana.authors.author(writer)).toEqual({ status: 'server', user: 'ana', name: '拟稿人' });
    expect(ana.authors.author(123_456_789)).toEqual({ status: 'unknown' });
  });
});
