import 'fake-indexeddb/auto';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { newDataKey, recordCipher } from './at-rest.ts';
import { COMPACT_AT, SealedIndexeddbPersistence } from './sealed-persistence.ts';
import { holds as contains, rawValues } from './test/raw-idb.ts';

let n = 0;
const dbName = () => `dossierlens:ws://test:unit:S${n++}`;
const NAME = '欧阳建国';

async function open(name: string, key: Uint8Array<ArrayBuffer>) {
  const doc = new Y.Doc();
  const p = new SealedIndexeddbPersistence(name, doc, await recordCipher(key));
  await p.whenSynced;
  return { doc, p };
}

describe('SealedIndexeddbPersistence', () => {
  it('keeps a document across restarts with nothing readable on disk', async () => {
    const key = newDataKey();
    const name = dbName();
    const first = await open(name, key);
    first.doc.getMap('cadres').set('C1', NAME);
    first.doc.getMap('cadres').set('C2', '违纪记录摘要');
    await first.p.set('indexCache', JSON.stringify({ name: NAME }));
    await first.p.set('serverStateVector', new Uint8Array([1, 2, 3]).buffer);
    await first.p.destroy();
    const stored = await rawValues(name);
    expect(stored.length).toBeGreaterThan(2);
    expect(contains(stored, NAME)).toBe(false);
    expect(contains(stored, '违纪记录摘要')).toBe(false);

    const again = await open(name, key);
    expect(again.doc.getMap('cadres').toJSON()).toEqual({ C1: NAME, C2: '违纪记录摘要' });
    expect(await again.p.get('indexCache')).toBe(JSON.stringify({ name: NAME }));
    expect(new Uint8Array((await again.p.get('serverStateVector')) as ArrayBuffer)).toEqual(new Uint8Array([1, 2, 3]));
    expect(await again.p.getMany(['indexCache', 'missing'])).toEqual([JSON.stringify({ name: NAME }), undefined]);
    await again.p.destroy();
  });

  it('opens nothing with another key, and keeps what the document had before loading', async () => {
    const name = dbName();
    const first = await open(name, newDataKey());
    first.doc.getMap('m').set('a', NAME);
    await first.p.destroy();
    const doc = new Y.Doc();
    doc.getMap('m').set('fromServer', 1);
    const other = new SealedIndexeddbPersistence(name, doc, await recordCipher(newDataKey()));
    await other.whenSynced;
    expect(doc.getMap('m').toJSON()).toEqual({ fromServer: 1 });
    expect(other.unreadable).toBe(1);
    expect(await other.get('anything')).toBeUndefined();
    await other.destroy();
  });

  it('merges many records into one, and a start then opens that one', async () => {
    const key = newDataKey();
    const name = dbName();
    const first = await open(name, key);
    for (let i = 0; i < COMPACT_AT + 5; i++) first.doc.getMap('m').set(`k${i}`, i);
    await first.p.destroy();
    expect((await rawValues(name)).length).toBe(COMPACT_AT + 5);
    const second = await open(name, key);
    expect(second.doc.getMap('m').size).toBe(COMPACT_AT + 5);
    // The compaction runs after the load, through the write queue that destroy waits for.
    await new Promise((resolve) => setTimeout(resolve, 0));
    await second.p.destroy();
    expect((await rawValues(name)).length).toBe(1);
    const third = await open(name, key);
    expect(third.doc.getMap('m').get(`k${COMPACT_AT}`)).toBe(COMPACT_AT);
    await third.p.destroy();
  });
});
