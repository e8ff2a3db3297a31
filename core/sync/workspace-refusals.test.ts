import 'fake-indexeddb/auto';
import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { waitFor } from '../../sync-server/testing.ts';
import { mintToken } from '../../sync-server/token.ts';
import { definitiveRefusal } from './refusal.ts';
import { workspacesForThisFile } from './test/workspaces.ts';

/** What the server refuses, and how a workspace stops and says why (SyncRefusedError, status `closed`). */

const { server, open, adminToken, workspace, seed } = workspacesForThisFile();

describe('sync client against the real server: refusals', () => {
  it('surfaces the server’s permission-denied answer to a viewer’s write', async () => {
    const a = await workspace(adminToken('hal'));
    await seed(a, 'S05');
    const viewer = await workspace(server().token('ivy', [{ role: 'viewer', doc: '*' }]));
    const vu = await viewer.unit('S05');
    await vu.synced.whenSynced();
    vu.dossiers.records.edit('S05-r1', 'summary', '越权修改', 'ivy');
    const confirmed = viewer.whenConfirmed();
    await expect(confirmed).rejects.toMatchObject({ name: 'SyncRefusedError', kind: 'denied', doc: 'unit:S05' });
    expect(viewer.status().denied[0]).toMatchObject({ doc: 'unit:S05', reason: expect.stringContaining('read-only') });
    expect(viewer.status().unconfirmed).toBeGreaterThan(0);
    const au = await a.unit('S05');
    expect(au.dossiers.records.get('S05-r1')).toMatchObject({ value: { summary: '违反廉洁纪律' } });
  });

  it('stops and says why when the server closes for good (token expired)', async () => {
    const w = await workspace(server().token('oda', [{ role: 'admin', doc: '*' }], 2));
    await w.workspaceSynced.whenSynced();
    await waitFor(() => w.status().closed.length > 0, 'the server to close the expired session', 10_000);
    expect(w.status()).toMatchObject({ connection: 'offline', closed: [{ doc: 'workspace', code: 4401 }] });
    w.workspace.units.put({ code: 'S09', name: '市审计局', kind: 'government' });
    await expect(w.whenConfirmed()).rejects.toMatchObject({ kind: 'closed', doc: 'workspace' });
  });

  it('stops and says which when the server refuses the upgrade (no grant: 403), and connects again with a new token', async () => {
    // The clock is fake: that the client does not keep knocking is shown by running every timer it
    // left, not by waiting and hoping. A retry would open a socket (per-document transport) or a
    // channel on the shared one (the provider's `ws`), both synchronously in its timer.
    let sockets = 0;
    class CountedSocket extends WebSocket {
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        super(...args);
        sockets += 1;
      }
    }
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    try {
      const w = await workspace(server().token('quin', [{ role: 'editor', doc: 'unit:*' }]), {
        maxBackoffTime: 20,
        WebSocketPolyfill: CountedSocket as unknown as typeof globalThis.WebSocket,
      });
      // No timeout here: without the refusal, this waits until the test times out.
      await expect(w.workspaceSynced.whenSynced()).rejects.toMatchObject({
        name: 'SyncRefusedError',
        kind: 'refused',
        httpStatus: 403,
        doc: 'workspace',
      });
      expect(w.status()).toMatchObject({
        connection: 'offline',
        closed: [{ doc: 'workspace', httpStatus: 403, reason: 'HTTP 403: the token has no grant on this document' }],
      });
      // Waiting later rejects at once too, and the client does not keep knocking (backoff would be 20 ms).
      await expect(w.workspaceSynced.whenSynced()).rejects.toMatchObject({ kind: 'refused', httpStatus: 403 });
      const opened = sockets;
      await vi.advanceTimersByTimeAsync(60_000); // the backoff would be 20 ms: thousands of retries
      expect(sockets).toBe(opened);
      expect(w.workspaceSynced.provider.ws).toBeNull();
      expect(w.workspaceSynced.provider.shouldConnect).toBe(false);
      expect(server().logs.filter((l) => l.includes('quin has no grant on workspace'))).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
    const w = open.at(-1)!;
    // A token with the grant: connecting again clears the refusal.
    w.setToken(adminToken('quin'));
    w.connect();
    await w.workspaceSynced.whenSynced();
    expect(w.status()).toMatchObject({ connection: 'online', closed: [] });
  });

  it('stops and says so when the server does not accept the token (forged: 401)', async () => {
    const forged = mintToken(randomBytes(32), {
      user: 'mallory',
      grants: [{ role: 'admin', doc: '*' }],
      ttlSeconds: 3600,
    }).token;
    const w = await workspace(forged);
    await expect(w.workspaceSynced.whenSynced()).rejects.toMatchObject({
      name: 'SyncRefusedError',
      kind: 'refused',
      httpStatus: 401,
      doc: 'workspace',
    });
    await expect(w.whenConfirmed()).rejects.toThrow(
      'workspace: refused by the server (HTTP 401: the server does not accept the token (invalid, expired or revoked))',
    );
    expect(w.status().closed).toEqual([
      {
        doc: 'workspace',
        code: 1006,
        httpStatus: 401,
        reason: 'HTTP 401: the server does not accept the token (invalid, expired or revoked)',
      },
    ]);
  });

  it('reads the refusal only from what Node clients see; a browser error event says nothing', () => {
    const wsError = (message: string) => ({ type: 'error', message, error: new Error(message) });
    expect(definitiveRefusal(wsError('Unexpected server response: 401'))).toBe(401);
    expect(definitiveRefusal(wsError('Unexpected server response: 403'))).toBe(403);
    expect(definitiveRefusal({ type: 'error', message: '', error: new Error('Unexpected server response: 403') })).toBe(
      403,
    );
    for (const transient of [
      'Unexpected server response: 400',
      'Unexpected server response: 503',
      'connect ECONNREFUSED 127.0.0.1:1',
      'Opening handshake has timed out',
    ]) {
      expect(definitiveRefusal(wsError(transient))).toBeUndefined();
    }
    expect(definitiveRefusal(new Event('error'))).toBeUndefined();
    expect(definitiveRefusal(null)).toBeUndefined();
  });

  it('opens only the units the token’s grants cover', async () => {
    const admin = await workspace(adminToken('rex'));
    await seed(admin, 'S12');
    await seed(admin, 'S13');
    const grants = [
      { role: 'editor', doc: 'unit:S12' },
      { role: 'viewer', doc: 'workspace' },
    ] as const;
    const w = await workspace(server().token('sue', [...grants]), { grants: [...grants] });
    await w.workspaceSynced.whenSynced();
    const opened = await w.openUnits({ notes: true });
    expect(opened).toEqual(['S12']);
    expect(
      w
        .docs()
        .map((d) => d.name)
        .sort(),
    ).toEqual(['unit:S12', 'workspace']);
    await w.whenConfirmed();
    expect(w.status().connection).toBe('online');
  });

  it('sends the token as a subprotocol, never in the URL', async () => {
    const token = adminToken('jay');
    const w = await workspace(token);
    await w.workspaceSynced.whenSynced();
    expect(w.workspaceSynced.provider.url).not.toContain(token);
    expect(w.workspaceSynced.provider.protocols).toEqual(['dossierlens', `auth.${token}`]);
    expect(server().logs.join('\n')).not.toContain(token);
  });
});
