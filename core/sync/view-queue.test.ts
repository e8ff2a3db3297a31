import 'fake-indexeddb/auto';
/**
 * The device's view queue against a real server (loopback, real SQLite): views made while the server
 * is down stay queued, are delivered once it is back, are recorded under the token's user, and are
 * never sent with another user's token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer, tempDataDir } from '../../sync-server/testing.ts';
import { enqueueView, flushViews, newView, queuedViews, VIEW_QUEUE_DB } from './view-queue.ts';
import { newDataKey, recordCipher } from './at-rest.ts';
import { holds, rawValues } from './test/raw-idb.ts';
import { fetchViews } from './view-log.ts';

const data = tempDataDir();
let server: TestServer;
let url: string;

beforeAll(async () => {
  server = await startTestServer(data.dir);
  url = server.url;
});
afterAll(async () => {
  await server.close();
  data.remove();
});

describe('view queue', () => {
  it('keeps views while the server cannot be reached and delivers them later, once', async () => {
    const token = server.token('zhou', ['viewer', 'unit:*']);
    const owner = { server: url, user: 'zhou' };
    await enqueueView(newView({ subject: { type: 'cadre', id: 'C0007' }, unit: 'A01', view: 'sidepanel' }), owner);
    await enqueueView(newView({ subject: { type: 'unit', id: 'A01' }, unit: 'A01', view: 'print' }), owner);
    // Nobody listens on this port: the entries stay.
    const down = await flushViews({ serverUrl: 'http://127.0.0.1:9', token, ...owner });
    expect(down).toMatchObject({ sent: 0, left: 2 });
    expect(await queuedViews()).toHaveLength(2);

    expect(await flushViews({ serverUrl: url, token, ...owner })).toMatchObject({ sent: 2, left: 0 });
    expect(await queuedViews()).toEqual([]);
    const answer = await fetchViews(url, server.token('root', ['admin', '*']), { user: 'zhou' });
    expect(answer.ok && answer.views.map((e) => [e.user, e.subject.id, e.view])).toEqual([
      ['zhou', 'C0007', 'sidepanel'],
      ['zhou', 'A01', 'print'],
    ]);
  });

  it('sends an entry only with the token of the user it was made under', async () => {
    await enqueueView(newView({ subject: { type: 'cadre', id: 'C0008' }, unit: 'A01', view: 'sidepanel' }), {
      server: url,
      user: 'qian',
    });
    const other = await flushViews({
      serverUrl: url,
      token: server.token('sun', ['viewer', 'unit:*']),
      server: url,
      user: 'sun',
    });
    expect(other).toMatchObject({ sent: 0, left: 0 });
    expect(await queuedViews()).toHaveLength(1);
    expect(
      await flushViews({
        serverUrl: url,
        token: server.token('qian', ['viewer', 'unit:*']),
        server: url,
        user: 'qian',
      }),
    ).toMatchObject({ sent: 1 });
  });

  it('drops what the server refuses for good and delivers the rest', async () => {
    const owner = { server: url, user: 'wu' };
    await enqueueView(newView({ subject: { type: 'cadre', id: 'C0009' }, unit: 'A01', view: 'search' }), owner);
    await enqueueView(newView({ subject: { type: 'cadre', id: 'C0900' }, unit: 'B01', view: 'search' }), owner);
    const result = await flushViews({ serverUrl: url, token: server.token('wu', ['viewer', 'unit:A*']), ...owner });
    expect(result).toMatchObject({ sent: 1, refused: 1, left: 0 });
    expect(await queuedViews()).toEqual([]);
  });

  it('keeps everything when the token is refused (expired, revoked): a renewed token sends it', async () => {
    const owner = { server: url, user: 'zheng' };
    await enqueueView(newView({ subject: { type: 'cadre', id: 'C0010' }, unit: 'A01', view: 'export' }), owner);
    expect(await flushViews({ serverUrl: url, token: 'dl1.not.valid', ...owner })).toMatchObject({
      sent: 0,
      left: 1,
      stopped: { status: 401 },
    });
    expect(
      await flushViews({ serverUrl: url, token: server.token('zheng', ['viewer', 'unit:*']), ...owner }),
    ).toMatchObject({ sent: 1, left: 0 });
  });

  it('keeps entries sealed with the device key, and still reads those kept in the clear before', async () => {
    const cipher = await recordCipher(newDataKey());
    const owner = { server: url, user: 'sealed' };
    await enqueueView(newView({ subject: { type: 'cadre', id: 'C9911' }, unit: 'Z01', view: 'print' }), owner, cipher);
    await enqueueView(newView({ subject: { type: 'cadre', id: 'C9912' }, unit: 'Z01', view: 'print' }), owner);
    expect(holds(await rawValues(VIEW_QUEUE_DB), 'C9911')).toBe(false);
    // Both, whatever their order (views queued in the same millisecond tie on their time).
    expect(
      (await queuedViews(cipher))
        .filter((q) => q.user === 'sealed')
        .map((q) => q.subject.id)
        .sort(),
    ).toEqual(['C9911', 'C9912']);
    // Without the key the sealed one stays unread (and queued), never sent as something else.
    expect((await queuedViews()).filter((q) => q.user === 'sealed').map((q) => q.subject.id)).toEqual(['C9912']);
    const token = server.token('sealed', ['viewer', 'unit:*']);
    expect(await flushViews({ serverUrl: url, token, ...owner }, undefined, cipher)).toMatchObject({
      sent: 2,
      left: 0,
    });
  });
});
