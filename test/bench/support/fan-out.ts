/**
 * The fan-out load of the server benchmarks: one writer per document sends edits marked `~doc.seq~`,
 * every peer of the document reports the marks it receives; an edit is delivered when all its
 * document's peers have it. A helper, not a benchmark.
 */
import type WebSocket from 'ws';
import * as Y from 'yjs';
import { encodeUpdate } from '../../../sync-server/protocol.ts';
import { markers, percentile, sleep } from './protocol-clients.ts';

export class FanOutLoad {
  private readonly sentAt = new Map<string, number>();
  private readonly remaining = new Map<string, number>();
  private readonly latencies: number[] = [];
  private readonly writers: { ws: WebSocket; ydoc: Y.Doc; seq: number }[] = [];
  private measuring = false;
  private completed = 0;
  private onDelivered: ((doc: number) => void) | null = null;
  /** Edits sent so far, in both phases. */
  sent = 0;

  constructor(private readonly peersPerDoc: number) {}

  /** For each peer's socket: counts the marks in `frame` (merged frames keep each). */
  readonly receive = (frame: Buffer): void => {
    const now = performance.now();
    for (const [doc, seq] of markers(frame)) {
      const key = `${doc}.${seq}`;
      const sent = this.sentAt.get(key);
      if (sent === undefined) continue;
      if (this.measuring) this.latencies.push(now - sent);
      const left = (this.remaining.get(key) ?? 0) - 1;
      if (left > 0) this.remaining.set(key, left);
      else {
        this.remaining.delete(key);
        this.sentAt.delete(key);
        this.completed++;
        this.onDelivered?.(doc);
      }
    }
  };

  /** The writer of the next document (documents are numbered in the order their writers are added). */
  addWriter(ws: WebSocket): void {
    this.writers.push({ ws, ydoc: new Y.Doc(), seq: 0 });
  }

  /** Edits sent that have not reached every peer of their document yet. */
  get undelivered(): number {
    return this.remaining.size;
  }

  private send(d: number): void {
    const writer = this.writers[d]!;
    const seq = writer.seq++;
    let update: Uint8Array | null = null;
    const capture = (u: Uint8Array) => {
      update = u;
    };
    writer.ydoc.on('update', capture);
    writer.ydoc.getMap('m').set('edit', `~${d}.${seq}~`);
    writer.ydoc.off('update', capture);
    this.sentAt.set(`${d}.${seq}`, performance.now());
    this.remaining.set(`${d}.${seq}`, this.peersPerDoc);
    writer.ws.send(encodeUpdate(update!));
    this.sent++;
  }

  /** Latency phase: every writer sends 50 edits/s for `phaseMs` (and 300 ms to arrive); the edits sent. */
  async steady(phaseMs: number): Promise<number> {
    const before = this.sent;
    this.measuring = true;
    const ticker = setInterval(() => {
      for (let d = 0; d < this.writers.length; d++) this.send(d);
    }, 20);
    await sleep(phaseMs);
    clearInterval(ticker);
    await sleep(300);
    this.measuring = false;
    return this.sent - before;
  }

  /** Throughput phase: each writer keeps `window` edits in flight for `phaseMs`; edits delivered (and per second). */
  async saturate(phaseMs: number, window = 16): Promise<{ delivered: number; perSecond: number }> {
    let running = true;
    this.onDelivered = (doc) => running && this.send(doc);
    this.completed = 0;
    const started = performance.now();
    for (let d = 0; d < this.writers.length; d++) for (let i = 0; i < window; i++) this.send(d);
    await sleep(phaseMs);
    const done = this.completed;
    const elapsed = (performance.now() - started) / 1000;
    running = false;
    return { delivered: done, perSecond: done / elapsed };
  }

  /** Latencies of the steady phase: p50 and p99 (ms), and how many were taken. */
  latency(): { p50: number; p99: number; samples: number } {
    const sorted = this.latencies.slice().sort((a, b) => a - b);
    return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), samples: sorted.length };
  }
}
