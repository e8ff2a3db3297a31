/**
 * Crafted input for the server's tests, and reading what it sends back: raw HTTP requests and
 * hand-made WebSockets, updates built byte by byte (deep nesting, thousands of clientIDs),
 * awareness frames, and the sync and presence messages among received frames.
 */
import { randomBytes } from 'node:crypto';
import { type Socket, connect } from 'node:net';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { awarenessClientIds, encodeAwarenessEntries } from './presence.ts';
import { encodeAwareness, messageAwareness, messageSync } from './protocol.ts';

/** The headers that make a request a WebSocket upgrade (a fixed key: these tests read the status only). */
export const upgradeHeaders =
  'Upgrade: websocket\r\nConnection: Upgrade\r\n' +
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n';

/**
 * Sends `request` as raw bytes on a new TCP connection and resolves with the status code of the
 * answer (0 when the server closed without one). For requests `fetch` and `ws` refuse to make.
 */
export function rawHttpStatus(port: number, request: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      answer += chunk;
      const match = /^HTTP\/1\.1 (\d{3})/u.exec(answer);
      if (match) {
        resolve(Number(match[1]));
        socket.destroy();
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(0));
    socket.write(request);
  });
}

/** A WebSocket opened by hand on a TCP socket: the test decides what (not) to answer. */
export interface HandMadeSocket {
  socket: Socket;
  /** Sends one masked binary frame. */
  send(payload: Uint8Array): boolean;
  /** Resolves when the server has closed or destroyed the TCP connection. */
  ended: Promise<void>;
}

export function handMadeSocket(port: number, path: string, protocols: string[] = []): Promise<HandMadeSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const ended = new Promise<void>((done) => socket.once('close', () => done()));
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      if (!head.startsWith('HTTP/1.1 101')) return reject(new Error(head.split('\r\n')[0]));
      // Whatever the server sends from now on (its close frame included) is read and ignored.
      socket.on('data', () => undefined);
      resolve({ socket, ended, send: (payload) => socket.write(maskedFrame(payload)) });
    };
    socket.on('data', onData);
    socket.on('error', () => undefined);
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n` +
        (protocols.length > 0 ? `Sec-WebSocket-Protocol: ${protocols.join(', ')}\r\n` : '') +
        '\r\n',
    );
  });
}

function maskedFrame(payload: Uint8Array): Buffer {
  const length = payload.byteLength;
  const header =
    length < 126
      ? Buffer.from([0x82, 0x80 | length])
      : length < 65536
        ? Buffer.from([0x82, 0x80 | 126, length >> 8, length & 255])
        : null;
  if (header === null) throw new Error('frame too large for this helper');
  const mask = randomBytes(4);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i]! ^= mask[i % 4]!;
  return Buffer.concat([header, mask, body]);
}

/** What `change` makes `doc` emit, as one update. */
export function updatesOf(doc: Y.Doc, change: () => void): Uint8Array {
  const captured: Uint8Array[] = [];
  const listen = (update: Uint8Array) => captured.push(update);
  doc.on('update', listen);
  change();
  doc.off('update', listen);
  return Y.mergeUpdates(captured);
}

/** The update `change` makes on a fresh document (of `clientID`, when given). */
export function updateOf(change: (doc: Y.Doc) => void, clientID?: number): Uint8Array {
  const doc = new Y.Doc();
  if (clientID !== undefined) doc.clientID = clientID;
  let captured: Uint8Array | null = null;
  doc.on('update', (update: Uint8Array) => {
    captured = update;
  });
  change(doc);
  if (captured === null) throw new Error('no update');
  return captured;
}

/** A chain of `depth` nested Y.Maps under root.deep, and the update deleting it (11 bytes). */
export function nestedChain(depth: number, clientID = 777): { nested: Uint8Array; deleteRoot: Uint8Array } {
  const doc = new Y.Doc({ gc: false });
  doc.clientID = clientID;
  const nested = updatesOf(doc, () =>
    doc.transact(() => {
      let current = new Y.Map<unknown>();
      doc.getMap('root').set('deep', current);
      for (let i = 1; i < depth; i++) {
        const next = new Y.Map<unknown>();
        current.set('x', next);
        current = next;
      }
    }),
  );
  const encoder = encoding.createEncoder();
  for (const n of [0, 1, clientID, 1, 0, 1]) encoding.writeVarUint(encoder, n);
  return { nested, deleteRoot: encoding.toUint8Array(encoder) };
}

/** An awareness frame of these entries, each state as given (JSON text, valid or not). */
export function awarenessFrame(entries: { id: number; clock: number; state: string }[]): Uint8Array {
  return encodeAwareness(encodeAwarenessEntries(entries));
}

/** An update of `count` clientIDs, one garbage-collected struct each: small bytes, many authors. */
export function manyClientIdsUpdate(count: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, count);
  for (let client = 1; client <= count; client++) {
    for (const n of [1, client, 0]) encoding.writeVarUint(encoder, n); // one struct, its client, clock 0
    encoding.writeUint8(encoder, 0); // a GC struct
    encoding.writeVarUint(encoder, 1); // of length 1
  }
  encoding.writeVarUint(encoder, 0); // no deletions
  return encoding.toUint8Array(encoder);
}

/** The payloads of the sync messages of type `sub` (step 1, step 2, update) among `frames`. */
export function syncPayloads(frames: Uint8Array[], sub: number): Uint8Array[] {
  return frames.flatMap((frame) => {
    const decoder = decoding.createDecoder(frame);
    if (decoding.readVarUint(decoder) !== messageSync || decoding.readVarUint(decoder) !== sub) return [];
    return [decoding.readVarUint8Array(decoder)];
  });
}

/** The clientIDs of every presence state in the awareness messages among `frames`. */
export function presentIds(frames: Uint8Array[]): number[] {
  return frames
    .filter((frame) => frame[0] === messageAwareness)
    .flatMap((frame) => {
      const decoder = decoding.createDecoder(frame);
      decoding.readVarUint(decoder);
      return awarenessClientIds(decoding.readVarUint8Array(decoder));
    });
}
