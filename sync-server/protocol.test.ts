import { describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { MalformedFrame, encodeSyncStep1, encodeUpdate, parseFrame } from './protocol.ts';
import { awarenessClientIds } from './presence.ts';
import { decodeUpdate } from './attribution.ts';

const bytes = (...values: number[]) => new Uint8Array(values);

describe('parseFrame', () => {
  it('reads what the encoders write', () => {
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'hi');
    const update = Y.encodeStateAsUpdate(doc);
    expect(parseFrame(encodeUpdate(update))).toEqual({ kind: 'sync-update', update });
    expect(parseFrame(encodeSyncStep1(Y.encodeStateVector(doc))).kind).toBe('sync-step1');
    expect(parseFrame(bytes(3))).toEqual({ kind: 'query-awareness' });
  });

  it.each([
    ['an empty frame', bytes()],
    ['a truncated varint', bytes(0x80)],
    ['an unknown message type', bytes(9)],
    ['an auth message from a client', bytes(2, 0, 0)],
    ['an unknown sync type', bytes(0, 7, 0)],
    ['a length past the end', bytes(0, 2, 50, 1, 2)],
    ['trailing bytes', bytes(3, 0)],
  ])('refuses %s', (_what, frame) => {
    expect(() => parseFrame(frame)).toThrow(MalformedFrame);
  });
});

describe('update and awareness decoding', () => {
  it('finds the client ids that write, and empty updates', () => {
    const doc = new Y.Doc();
    doc.clientID = 42;
    doc.getMap('m').set('k', 1);
    expect(decodeUpdate(Y.encodeStateAsUpdate(doc))).toEqual({ clientIds: [42], empty: false });
    expect(decodeUpdate(Y.encodeStateAsUpdate(new Y.Doc())).empty).toBe(true);
    expect(() => decodeUpdate(bytes(1, 2, 3, 4, 5, 6, 7, 8))).toThrow();
  });

  it('reads awareness client ids and refuses bad JSON', () => {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarUint(encoder, 77);
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarString(encoder, '{"user":1}');
    expect(awarenessClientIds(encoding.toUint8Array(encoder))).toEqual([77]);
    const bad = encoding.createEncoder();
    encoding.writeVarUint(bad, 1);
    encoding.writeVarUint(bad, 77);
    encoding.writeVarUint(bad, 1);
    encoding.writeVarString(bad, '{not json');
    expect(() => awarenessClientIds(encoding.toUint8Array(bad))).toThrow(MalformedFrame);
  });
});
