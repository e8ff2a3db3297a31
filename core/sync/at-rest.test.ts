import { describe, expect, it } from 'vitest';
import {
  newDataKey,
  recordCipher,
  unwrapFromServer,
  unwrapWithPin,
  UnreadableRecordError,
  wrapForServer,
  wrapWithPin,
} from './at-rest.ts';

const text = (s: string) => new TextEncoder().encode(s);
const includes = (hay: Uint8Array, needle: Uint8Array) => Buffer.from(hay).includes(Buffer.from(needle));

describe('records sealed with the data key', () => {
  it('round-trip, and the sealed bytes hold nothing of the plain text', async () => {
    const cipher = await recordCipher(newDataKey());
    const plain = text('张伟 纪律处分 中纪发〔2023〕12号');
    const sealed = await cipher.seal(plain, 'db#a');
    expect(includes(sealed, text('张伟'))).toBe(false);
    expect(await cipher.open(sealed, 'db#a')).toEqual(plain);
    // Same plain text, fresh IV: two seals never match (nothing to compare across records).
    expect(await cipher.seal(plain, 'db#a')).not.toEqual(sealed);
  });

  it('refuses another key, another place, and a tampered record', async () => {
    const cipher = await recordCipher(newDataKey());
    const sealed = await cipher.seal(text('record'), 'dossierlens:ws://h:unit:A01');
    await expect((await recordCipher(newDataKey())).open(sealed, 'dossierlens:ws://h:unit:A01')).rejects.toBeInstanceOf(
      UnreadableRecordError,
    );
    await expect(cipher.open(sealed, 'dossierlens:ws://h:unit:B02')).rejects.toBeInstanceOf(UnreadableRecordError);
    const tampered = sealed.slice();
    tampered[tampered.length - 1]! ^= 1;
    await expect(cipher.open(tampered, 'dossierlens:ws://h:unit:A01')).rejects.toBeInstanceOf(UnreadableRecordError);
    await expect(cipher.open(new Uint8Array([1, 2, 3]), 'x')).rejects.toBeInstanceOf(UnreadableRecordError);
  });
});

describe('wrapping the data key', () => {
  it('opens with the key the server released, not with another', async () => {
    const dataKey = newDataKey();
    const serverKey = crypto.getRandomValues(new Uint8Array(32));
    const wrapped = await wrapForServer(dataKey, serverKey);
    expect(wrapped).not.toContain(Buffer.from(dataKey).toString('base64'));
    expect(await unwrapFromServer(wrapped, serverKey)).toEqual(dataKey);
    await expect(unwrapFromServer(wrapped, crypto.getRandomValues(new Uint8Array(32)))).rejects.toBeInstanceOf(
      UnreadableRecordError,
    );
  });

  it('opens with the PIN it was stretched from, not with another', async () => {
    const dataKey = newDataKey();
    // Few iterations keep the test quick; the count travels with the wrap.
    const wrap = await wrapWithPin(dataKey, '246810', 1000);
    expect(wrap.iterations).toBe(1000);
    expect(await unwrapWithPin(wrap, '246810')).toEqual(dataKey);
    await expect(unwrapWithPin(wrap, '246811')).rejects.toBeInstanceOf(UnreadableRecordError);
    // A server-wrapped key is not a PIN-wrapped one: the associated data differs.
    const serverKey = crypto.getRandomValues(new Uint8Array(32));
    await expect(unwrapFromServer(wrap.wrapped, serverKey)).rejects.toBeInstanceOf(UnreadableRecordError);
  });
});
