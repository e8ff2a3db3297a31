/**
 * What the sync server benchmarks share: bare protocol clients (step 1 on open, the server's step 1
 * answered with nothing, edits marked `~doc.seq~` in the frames), child processes on loopback, and
 * readings from /proc. A helper, not a benchmark (run.ts).
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { encodeOpen, envelope, envelopePrefix, readEnvelope } from '../../../core/sync/multiplex-wire.ts';
import { MULTIPLEX_SUBPROTOCOL, encodeSyncStep1, encodeSyncStep2 } from '../../../sync-server/protocol.ts';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Where a bare client connects: `${url}/${doc}${query}`. */
export interface Endpoint {
  url: string;
  /** Query string for a client of `doc` ('' for the reference). */
  query: string;
}

/** SIGTERM and wait for the exit; a child that already stopped (with a code or by a signal) is left be. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** The first line of the child's stdout that matches; rejects, naming `what`, if the child exits first. */
export function waitForLine(child: ChildProcess, pattern: RegExp, what = 'server'): Promise<RegExpExecArray> {
  const lines = createInterface({ input: child.stdout! });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${what} exited early (${code})`)));
    lines.on('line', (line) => {
      const match = pattern.exec(line);
      if (match) resolve(match);
    });
  });
}

export async function collectedRssKb(child: ChildProcess): Promise<number> {
  child.kill('SIGUSR2');
  await sleep(500);
  return rssKb(child.pid!);
}

export function rssKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/u.exec(status)?.[1] ?? 0);
}

const nothing = () => encodeSyncStep2(Y.encodeStateAsUpdate(new Y.Doc()));
const emptyStep1 = () => encodeSyncStep1(Y.encodeStateVector(new Y.Doc()));

/** A bare protocol client: sends step 1 on open, answers the server's step 1, reports edits. */
export function connect(server: Endpoint, doc: string, onFrame?: (frame: Buffer) => void): Promise<WebSocket> {
  const ws = new WebSocket(`${server.url}/${doc}${server.query}`, { perMessageDeflate: false });
  ws.binaryType = 'nodebuffer';
  ws.on('message', (frame: Buffer) => {
    // The server's own step 1: answer like a stock client with nothing to add.
    if (frame[0] === 0 && frame[1] === 0) ws.send(nothing());
    onFrame?.(frame);
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => {
      ws.send(emptyStep1());
      resolve(ws);
    });
    ws.once('error', reject);
  });
}

/**
 * A bare multiplexed client (ours only): opens every document of `docs` on one socket with a step 1,
 * answers the server's step 1s, and reports each document's messages without their envelope.
 */
export function connectMultiplexed(
  server: Endpoint,
  docs: string[],
  onFrame?: (frame: Buffer, doc: string) => void,
): Promise<WebSocket> {
  const ws = new WebSocket(`${server.url}/${docs[0]}${server.query}`, ['dossierlens', MULTIPLEX_SUBPROTOCOL], {
    perMessageDeflate: false,
  });
  ws.binaryType = 'nodebuffer';
  const answer = nothing();
  ws.on('message', (data: Buffer) => {
    const { doc, prefixLength } = readEnvelope(data);
    const frame = data.subarray(prefixLength);
    if (frame[0] === 0 && frame[1] === 0) ws.send(envelope(envelopePrefix(doc), answer));
    onFrame?.(frame, doc);
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => {
      const step1 = emptyStep1();
      for (const doc of docs) {
        const prefix = envelopePrefix(doc);
        ws.send(encodeOpen(prefix));
        ws.send(envelope(prefix, step1));
      }
      resolve(ws);
    });
    ws.once('error', reject);
  });
}

/** The update a sync step 2 or update frame carries (message type, sync type, then the update). */
export function frameUpdate(frame: Buffer): Uint8Array | null {
  if (frame[0] !== 0 || (frame[1] !== 1 && frame[1] !== 2)) return null;
  const decoder = decoding.createDecoder(frame);
  decoding.readVarUint(decoder);
  decoding.readVarUint(decoder);
  return decoding.readVarUint8Array(decoder);
}

/**
 * Cold load as a fresh device sees it: ms from connecting until a bare client of `doc` holds text 't'
 * as long as `expected` (NaN if not within `timeoutMs`), and whether it then holds exactly that.
 */
export async function timeToFullText(
  server: Endpoint,
  doc: string,
  expected: string,
  timeoutMs: number,
): Promise<{ ms: number; ok: boolean }> {
  const ydoc = new Y.Doc();
  let ms = NaN;
  const done = new Promise<void>((resolve) => {
    ydoc.on('update', () => {
      if (ydoc.getText('t').length === expected.length) {
        ms = performance.now() - started;
        resolve();
      }
    });
  });
  const started = performance.now();
  const ws = await connect(server, doc, (frame) => {
    const update = frameUpdate(frame);
    if (update) Y.applyUpdate(ydoc, update);
  });
  await Promise.race([done, sleep(timeoutMs)]);
  ws.terminate();
  return { ms, ok: ydoc.getText('t').toString() === expected };
}

const markerPattern = /~(\d+)\.(\d+)~/gu;

export function markers(frame: Buffer): [number, number][] {
  if (frame[0] !== 0 || (frame[1] !== 1 && frame[1] !== 2)) return [];
  return [...frame.toString('latin1').matchAll(markerPattern)].map((m) => [Number(m[1]), Number(m[2])]);
}

export function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** CPU time a process has used so far, in microseconds (/proc/PID/stat utime + stime). */
export function cpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks / 100) * 1e6; // USER_HZ is 100 on Linux
}
