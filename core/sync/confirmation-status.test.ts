import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import { advanced, peekSyncStep1, stateVectorOf, unconfirmedChanges } from './confirmation.ts';
import { aggregate, connectionOf, type DocStatus } from './status.ts';
import { createLocalIndex } from './local-index.ts';
import { subjectSummary } from '../match/test/fixtures.ts';

describe('confirmation', () => {
  it('counts what the server’s state vector does not cover of this device’s own writes', () => {
    const server = new Y.Doc();
    server.getMap('records').set('a', 1);
    const client = new Y.Doc();
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
    client.getMap('records').set('b', 2);
    client.getMap('records').set('c', 3);
    const own = new Set([client.clientID]);
    expect(unconfirmedChanges(stateVectorOf(client), stateVectorOf(server), own)).toBe(2);
    Y.applyUpdate(server, Y.encodeStateAsUpdate(client));
    expect(unconfirmedChanges(stateVectorOf(client), stateVectorOf(server), own)).toBe(0);
    // Before any answer from the server everything written here is unconfirmed.
    expect(unconfirmedChanges(stateVectorOf(client), new Map(), own)).toBe(2);
  });

  it('never counts a colleague’s edit that reached us after the server’s last state vector', () => {
    const server = new Y.Doc();
    const client = new Y.Doc();
    const serverSvBefore = stateVectorOf(server);
    const colleague = new Y.Doc();
    colleague.getMap('records').set('x', 1);
    Y.applyUpdate(server, Y.encodeStateAsUpdate(colleague));
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
    expect(unconfirmedChanges(stateVectorOf(client), serverSvBefore, new Set([client.clientID]))).toBe(0);
  });

  it('reads the state vector of a step 1 without consuming the message', () => {
    const doc = new Y.Doc();
    doc.getMap('m').set('k', 'v');
    const encoder = encoding.createEncoder();
    syncProtocol.writeSyncStep1(encoder, doc);
    const decoder = decoding.createDecoder(encoding.toUint8Array(encoder));
    expect(peekSyncStep1(decoder)).toEqual(stateVectorOf(doc));
    expect(decoding.readVarUint(decoder)).toBe(syncProtocol.messageYjsSyncStep1);

    const step2 = encoding.createEncoder();
    syncProtocol.writeSyncStep2(step2, doc);
    expect(peekSyncStep1(decoding.createDecoder(encoding.toUint8Array(step2)))).toBeUndefined();
    expect(peekSyncStep1(decoding.createDecoder(new Uint8Array([0, 200])))).toBeUndefined();
  });

  it('knows when the server made progress', () => {
    expect(advanced(undefined, new Map())).toBe(true);
    expect(advanced(new Map([[1, 5]]), new Map([[1, 5]]))).toBe(false);
    expect(advanced(new Map([[1, 5]]), new Map([[1, 6]]))).toBe(true);
    expect(
      advanced(
        new Map([[1, 5]]),
        new Map([
          [1, 5],
          [2, 1],
        ]),
      ),
    ).toBe(true);
  });
});

describe('status', () => {
  const doc = (name: string, connection: DocStatus['connection'], extra: Partial<DocStatus> = {}): DocStatus => ({
    name,
    connection,
    unconfirmed: 0,
    loaded: true,
    ...extra,
  });

  it('is syncing while connected but not yet synced or not yet confirmed', () => {
    expect(connectionOf({ connected: false, synced: false, unconfirmed: 0 })).toBe('offline');
    expect(connectionOf({ connected: true, synced: false, unconfirmed: 0 })).toBe('syncing');
    expect(connectionOf({ connected: true, synced: true, unconfirmed: 2 })).toBe('syncing');
    expect(connectionOf({ connected: true, synced: true, unconfirmed: 0 })).toBe('online');
  });

  it('is connecting, not offline, while the first attempt is under way', () => {
    expect(connectionOf({ connected: false, connecting: true, synced: false, unconfirmed: 0 })).toBe('connecting');
    expect(connectionOf({ connected: true, connecting: true, synced: false, unconfirmed: 0 })).toBe('syncing');
    expect(aggregate([doc('a', 'connecting'), doc('b', 'connecting')]).connection).toBe('connecting');
    expect(aggregate([doc('a', 'connecting'), doc('b', 'offline')]).connection).toBe('connecting');
    expect(aggregate([doc('a', 'connecting'), doc('b', 'online')]).connection).toBe('syncing');
  });

  it('aggregates documents: totals, denied answers and terminal closes by document', () => {
    const s = aggregate([
      doc('workspace', 'online'),
      doc('unit:A01', 'syncing', { unconfirmed: 3, denied: 'read-only: your role on unit:A01 is viewer' }),
      doc('notes:A01', 'offline', { closed: { code: 4401, reason: 'token expired' } }),
    ]);
    expect(s).toMatchObject({
      connection: 'syncing',
      unconfirmed: 3,
      denied: [{ doc: 'unit:A01', reason: 'read-only: your role on unit:A01 is viewer' }],
      closed: [{ doc: 'notes:A01', code: 4401, reason: 'token expired' }],
    });
    expect(aggregate([doc('a', 'offline'), doc('b', 'offline')]).connection).toBe('offline');
    expect(aggregate([doc('a', 'online'), doc('b', 'online')]).connection).toBe('online');
    expect(aggregate([]).connection).toBe('offline');
  });
});

describe('local index', () => {
  const entry = (type: 'cadre' | 'unit', id: string, name: string, aliases: string[] = []) =>
    subjectSummary(id, name, { type, aliases, unitCode: 'A01', unitName: '市财政局' });

  it('replaces one unit’s entries without touching another’s, and tells listeners which unit changed', () => {
    const index = createLocalIndex();
    const seen: string[][] = [];
    index.onChange((units) => seen.push(units));
    index.setUnit('A01', [entry('cadre', 'c1', '张伟'), entry('unit', 'A01', '市财政局')]);
    index.setUnit('A02', [entry('cadre', 'c9', '李娜', ['李娜娜'])]);
    index.setUnit('A01', [entry('cadre', 'c2', '王芳')]);
    expect(
      index
        .all()
        .map((e) => e.id)
        .sort(),
    ).toEqual(['c2', 'c9']);
    expect(index.get('cadre', 'c1')).toBeUndefined();
    expect(seen).toEqual([['A01'], ['A02'], ['A01']]);
    expect(index.search('娜娜').map((e) => e.id)).toEqual(['c9']);
    expect(index.search('c2').map((e) => e.id)).toEqual(['c2']);
    expect(index.search('  ')).toEqual([]);
    index.removeUnit('A02');
    expect(index.all().map((e) => e.id)).toEqual(['c2']);
  });
});
