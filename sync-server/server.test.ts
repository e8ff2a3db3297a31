/**
 * The server over real sockets on loopback with a real SQLite file: stock y-websocket 3 clients
 * converge, viewers cannot write, and refused, expired and revoked tokens are refused or cut off.
 * Crafted frames and limits are in server-frames.test.ts, what is stored and how in
 * server-persistence.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as decoding from 'lib0/decoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readAudit, revoke } from './admin.ts';
import { encodeSyncStep1, encodeUpdate, messageAuth } from './protocol.ts';
import { rawClient, storedDoc, synced, upgradeStatus, waitFor } from './testing.ts';
import { updateOf } from './testing-frames.ts';
import { expectNoTokenInLogs, useFileServer } from './testing-fixture.ts';
import { mintToken } from './token.ts';

const { server, stock: client, token } = useFileServer({ idleUnloadMs: 100 });

describe('stock clients', () => {
  it('converge, with the token in the query or as a subprotocol (echoed as dossierlens only)', async () => {
    const a = client('unit:A01', token('alice', 'editor'));
    const b = client('unit:A01', token('bob', 'editor'), 'subprotocol');
    await Promise.all([synced(a), synced(b)]);
    expect((b.ws as unknown as { protocol: string }).protocol).toBe('dossierlens');
    a.doc.getMap('cadres').set('c1', { name: '王五' });
    b.doc.getMap('cadres').set('c2', { name: '赵六' });
    await waitFor(() => a.doc.getMap('cadres').size === 2 && b.doc.getMap('cadres').size === 2, 'convergence');
    expect(a.doc.getMap('cadres').toJSON()).toEqual(b.doc.getMap('cadres').toJSON());
    expect((await storedDoc(server.dataDir, 'unit:A01')).getMap('cadres').toJSON()).toEqual(
      a.doc.getMap('cadres').toJSON(),
    );
  });
});

describe('viewers', () => {
  it("never get a write into the store or to a peer, and still receive everyone's edits", async () => {
    const editor = client('unit:V01', token('erin', 'editor'));
    const viewer = client('unit:V01', token('victor', 'viewer'), 'subprotocol');
    await Promise.all([synced(editor), synced(viewer)]);
    const refusedBefore = server.metrics.refusalCount('read-only');
    viewer.doc.getMap('records').set('forged', { kind: 'red' });
    await waitFor(() => server.metrics.refusalCount('read-only') > refusedBefore, 'the viewer write to be refused');
    editor.doc.getMap('records').set('r1', { kind: 'blue' });
    await waitFor(() => viewer.doc.getMap('records').has('r1'), 'the viewer to receive the edit');
    expect(editor.doc.getMap('records').has('forged')).toBe(false);
    expect((await storedDoc(server.dataDir, 'unit:V01')).getMap('records').has('forged')).toBe(false);
    expect((await readAudit(server.dataDir, { user: 'victor' })).length).toBe(0);
  });

  it('answers a viewer write with a permission-denied auth message', async () => {
    const raw = await rawClient(server.url, 'unit:V02', token('vera', 'viewer'));
    raw.ws.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
    raw.ws.send(encodeUpdate(updateOf((doc) => doc.getMap('m').set('k', 1))));
    await waitFor(() => raw.frames.some((frame) => frame[0] === messageAuth), 'permission denied');
    const denied = decoding.createDecoder(raw.frames.find((frame) => frame[0] === messageAuth)!);
    decoding.readVarUint(denied);
    expect(decoding.readVarUint(denied)).toBe(0);
    expect(decoding.readVarString(denied)).toMatch(/read-only/u);
    raw.ws.close();
  });
});

describe('refused tokens', () => {
  it('refuses missing, forged, expired and revoked tokens with 401, and other documents with 403', async () => {
    expect(await upgradeStatus(server.url, 'unit:R01', token('rita', 'editor'))).toBe(101);
    expect(
      await upgradeStatus(server.url, 'unit:R01', token('rita', 'editor'), [
        'dossierlens',
        `auth.${token('rita', 'editor')}`,
      ]),
    ).toBe(101);
    expect(await upgradeStatus(server.url, 'unit:R01', null)).toBe(401);
    const forged = mintToken(randomBytes(32), {
      user: 'mallory',
      grants: [{ role: 'admin', doc: '*' }],
      ttlSeconds: 60,
    }).token;
    server.minted.push(forged);
    expect(await upgradeStatus(server.url, 'unit:R01', forged)).toBe(401);
    expect(await upgradeStatus(server.url, 'unit:R01', null, ['dossierlens', `auth.${forged}`])).toBe(401);
    const expired = mintToken(Buffer.from(readFileSync(join(server.dataDir, 'secret.key'), 'utf8').trim(), 'hex'), {
      user: 'rita',
      grants: [{ role: 'editor', doc: 'unit:*' }],
      ttlSeconds: 60,
      now: Date.now() - 3_600_000,
    }).token;
    server.minted.push(expired);
    expect(await upgradeStatus(server.url, 'unit:R01', expired)).toBe(401);
    const revoked = token('rex', 'editor');
    await revoke(server.dataDir, { user: 'rex' });
    expect(await upgradeStatus(server.url, 'unit:R01', revoked)).toBe(401);
    expect(await upgradeStatus(server.url, 'notes:R01', token('rita', 'editor', 'unit:*'))).toBe(403);
    expect(await upgradeStatus(server.url, 'workspace', token('rita', 'editor', 'unit:R01'))).toBe(403);
    expect(await upgradeStatus(server.url, 'not-a-document', token('rita', 'admin', '*'))).toBe(400);
  });

  it('closes open sockets of a revoked user with 4401, and a stock client stops reconnecting', async () => {
    const provider = client('unit:R02', token('ruth', 'editor'));
    const other = client('unit:R02', token('sam', 'editor'));
    await Promise.all([synced(provider), synced(other)]);
    const closed = new Promise<{ code: number }>((resolve) => provider.once('closed', resolve));
    await revoke(server.dataDir, { user: 'ruth' });
    expect((await closed).code).toBe(4401);
    expect(provider.shouldConnect).toBe(false);
    expect(other.wsconnected).toBe(true);
  });

  it('closes a socket whose token expires while connected, with 4401', async () => {
    const provider = client('unit:R04', token('eve', 'editor', 'unit:*', 1));
    const closed = new Promise<{ code: number }>((resolve) => provider.once('closed', resolve));
    expect((await closed).code).toBe(4401);
    expect(provider.shouldConnect).toBe(false);
  });

  it('closes a socket whose token is revoked by id (jti)', async () => {
    const value = token('jules', 'editor');
    const jti = JSON.parse(Buffer.from(value.split('.')[1]!, 'base64url').toString()).jti as string;
    const raw = await rawClient(server.url, 'unit:R03', value);
    await revoke(server.dataDir, { jti });
    expect((await raw.closed).code).toBe(4401);
  });
});

describe('logs', () => {
  it('never contain a token', () => {
    expect(server.minted.length).toBeGreaterThan(10);
    expect(server.logs.join('\n')).toMatch(/upgrade refused/u);
    expectNoTokenInLogs(server);
  });
});
