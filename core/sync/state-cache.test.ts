import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { decodeStateCache, encodeStateCache } from './state-cache.ts';

describe('remembered unit states', () => {
  it('round-trip each document’s state vector', () => {
    const a = new Y.Doc();
    a.getMap('m').set('k', 'v');
    const b = new Y.Doc();
    const decoded = decodeStateCache(
      encodeStateCache([
        ['unit:A', a],
        ['unit:B', b],
      ]),
    );
    expect(Y.decodeStateVector(decoded.get('unit:A')!)).toEqual(Y.decodeStateVector(Y.encodeStateVector(a)));
    expect(decoded.get('unit:B')).toEqual(Y.encodeStateVector(b));
  });

  it('read anything damaged as nothing remembered', () => {
    for (const text of [undefined, '', 'nope', '[1]', '{"unit:A":3}', '{"unit:A":"!!"}'])
      expect(decodeStateCache(text).size).toBe(0);
  });
});
