/**
 * What the sync server benchmarks share: bare protocol clients (step 1 on open, the server's step 1
 * answered with nothing, edits marked `~doc.seq~` in the frames), child-process servers on
 * loopback, and readings from /proc. A helper, not a benchmark (run.ts).
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { encodeSyncStep1, encodeSyncStep2 } from '../../sync-server/protocol.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

export function waitForLine(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  const lines = createInterface({ input: child.stdout! });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited early (${code})`)));
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

/** A bare protocol client: sends step 1 on open, answers the server's step 1, reports edits. */
export function connect(server: Endpoint, doc: string, onFrame?: (frame: Buffer) => void): Promise<WebSocket> {
  const ws = new WebSocket(`${server.url}/${doc}${server.query}`, { perMessageDeflate: false });
  ws.binaryType = 'nodebuffer';
  ws.on('message', (frame: Buffer) => {
    // The server's own step 1: answer like a stock client with nothing to add.
    if (frame[0] === 0 && frame[1] === 0) ws.send(encodeSyncStep2(Y.encodeStateAsUpdate(new Y.Doc())));
    onFrame?.(frame);
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => {
      ws.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
      resolve(ws);
    });
    ws.once('error', reject);
  });
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
