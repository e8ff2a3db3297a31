import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import { messageSync } from 'y-websocket';
import * as Y from 'yjs';
import { offeringSocket } from './offer.ts';

class Recording {
  sent: unknown[] = [];
  constructor(
    readonly url: string,
    readonly protocols?: string[],
  ) {}
  send(data: unknown) {
    this.sent.push(data);
  }
}

const step1Of = (doc: Y.Doc) => {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, messageSync);
  syncProtocol.writeSyncStep1(encoder, doc);
  return encoding.toUint8Array(encoder);
};
const offeredVector = (bytes: Uint8Array) => {
  const decoder = decoding.createDecoder(bytes);
  decoding.readVarUint(decoder);
  decoding.readVarUint(decoder);
  return Y.decodeStateVector(decoding.readVarUint8Array(decoder));
};

describe('offering a remembered state', () => {
  it('replaces the empty step 1 while the document is unread, and nothing else', () => {
    const held = new Y.Doc();
    held.getMap('m').set('k', 'v');
    let offering = true;
    const Socket = offeringSocket(Recording as unknown as typeof WebSocket, Y.encodeStateVector(held), () => offering);
    const ws = new Socket('ws://x/unit:A', ['dossierlens']) as unknown as Recording;
    const empty = new Y.Doc();
    ws.send(step1Of(empty));
    const awareness = new Uint8Array([1, 2, 3]);
    ws.send(awareness);
    offering = false;
    ws.send(step1Of(empty));
    expect(offeredVector(ws.sent[0] as Uint8Array)).toEqual(Y.decodeStateVector(Y.encodeStateVector(held)));
    expect(ws.sent[1]).toBe(awareness);
    expect(offeredVector(ws.sent[2] as Uint8Array).size).toBe(0);
  });
});
