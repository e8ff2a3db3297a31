import { describe, expect, it } from 'vitest';
import { tempDataDir } from '../testing.ts';
import { openSqliteStorage } from './sqlite.ts';

/**
 * ClientID bindings in storage: presence claims a clientID (so nobody else can write under it) but
 * only writing makes its user an author; presence-only claims are forgotten after a month (every
 * page load makes one per document it opens).
 */
describe('clientID bindings', () => {
  it('presence binds, writing makes an author, nobody takes a binding over, old presence-only ones go', async () => {
    const data = tempDataDir();
    const storage = openSqliteStorage(data.dir);
    try {
      const day = 24 * 3600 * 1000;
      const now = Date.now();
      await storage.bindClientIds('unit:B01', 'alice', '张三', [11, 12], now);
      await storage.bindClientIds('unit:B01', 'bob', '李四', [21], now - 40 * day);
      expect(await storage.authors('unit:B01')).toEqual([]);
      expect((await storage.loadDocument('unit:B01')).bindings).toEqual(
        new Map([
          [11, 'alice'],
          [12, 'alice'],
          [21, 'bob'],
        ]),
      );

      const write = (user: string, ids: number[]) =>
        storage.commitUpdates([
          {
            doc: 'unit:B01',
            data: new Uint8Array([0, 0]),
            user,
            name: user === 'alice' ? '张三' : '王五',
            time: now,
            hash: '',
            clientIds: ids,
            newBindings: ids,
          },
        ]);
      await write('alice', [11]);
      await write('mallory', [12, 31]);
      expect(await storage.authors('unit:B01')).toEqual([
        { clientId: 11, user: 'alice', name: '张三' },
        { clientId: 31, user: 'mallory', name: '王五' },
      ]);

      expect(await storage.pruneReservations(now - 30 * day)).toBe(1);
      expect((await storage.loadDocument('unit:B01')).bindings).toEqual(
        new Map([
          [11, 'alice'],
          [12, 'alice'],
          [31, 'mallory'],
        ]),
      );
    } finally {
      await storage.close();
      data.remove();
    }
  });
});
