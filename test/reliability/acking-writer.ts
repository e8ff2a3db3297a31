/**
 * A writer that knows what the server acknowledged: it streams edits to one document over a bare
 * WebSocket and asks (sync step 1) for the server's state vector now and then. The server only
 * answers with what is on disk (sync-server/protocol.ts), so `acked` is the clock up to which this
 * writer's edits are durable: after any crash, storage must hold at least that much of them.
 * Used by the kill -9 test (sync-server/crash.test.ts) and the soak (test/reliability/soak.ts).
 */
import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import {
  encodeSyncStep1,
  encodeUpdate,
  messageSync,
  syncStep1,
  syncStep2,
  syncUpdate,
} from '../../sync-server/protocol.ts';

export class AckingWriter {
  readonly doc = new Y.Doc();
  /** This writer's clock the server has acknowledged as durable. */
  acked = 0;
  /** Frames the server refused or closed with, if any (a healthy run has none). */
  readonly refusals: string[] = [];
  readonly closed: Promise<number>;
  private constructor(
    private readonly ws: WebSocket,
    readonly docName: string,
  ) {
    this.closed = new Promise((resolve) => ws.once('close', (code) => resolve(code)));
    ws.on('message', (data: Buffer) => this.receive(new Uint8Array(data)));
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== 'server' && ws.readyState === ws.OPEN) ws.send(encodeUpdate(update));
    });
  }

  static open(url: string, docName: string, token: string): Promise<AckingWriter> {
    const ws = new WebSocket(`${url}/${docName}`, ['dossierlens', `auth.${token}`]);
    ws.binaryType = 'nodebuffer';
    return new Promise((resolve, reject) => {
      ws.once('open', () => {
        const writer = new AckingWriter(ws, docName);
        ws.send(encodeSyncStep1(Y.encodeStateVector(writer.doc)));
        resolve(writer);
      });
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
  }

  get clientID(): number {
    return this.doc.clientID;
  }

  /** This writer's own clock: how many of its edits exist. */
  get written(): number {
    return Y.decodeStateVector(Y.encodeStateVector(this.doc)).get(this.doc.clientID) ?? 0;
  }

  get open(): boolean {
    return this.ws.readyState === this.ws.OPEN;
  }

  write(key: string, value: unknown): void {
    this.doc.getMap('stream').set(key, value);
  }

  /** Ask for the server's state vector (answered after everything sent before is on disk). */
  probe(): void {
    if (this.open) this.ws.send(encodeSyncStep1(Y.encodeStateVector(this.doc)));
  }

  close(): void {
    this.ws.terminate();
  }

  private receive(frame: Uint8Array): void {
    const decoder = decoding.createDecoder(frame);
    const type = decoding.readVarUint(decoder);
    if (type !== messageSync) {
      if (type === 2) this.refusals.push('permission denied');
      return;
    }
    const sub = decoding.readVarUint(decoder);
    const payload = decoding.readVarUint8Array(decoder);
    if (sub === syncStep1) {
      const acked = Y.decodeStateVector(payload).get(this.doc.clientID) ?? 0;
      this.acked = Math.max(this.acked, acked);
    } else if (sub === syncStep2 || sub === syncUpdate) {
      Y.applyUpdate(this.doc, payload, 'server');
    }
  }
}

/** For each writer whose acknowledged edits storage lacks: how many are missing. */
export function missingAcknowledged(
  stored: Y.Doc,
  writers: readonly AckingWriter[],
): { clientID: number; acked: number; stored: number }[] {
  const vector = Y.decodeStateVector(Y.encodeStateVector(stored));
  return writers
    .map((writer) => ({ clientID: writer.clientID, acked: writer.acked, stored: vector.get(writer.clientID) ?? 0 }))
    .filter((entry) => entry.stored < entry.acked);
}
