/**
 * Idle memory: many small documents held open, and the server's resident memory growth (after a
 * collection) for them. A helper, not a benchmark.
 */
import type WebSocket from 'ws';
import * as Y from 'yjs';
import { encodeUpdate } from '../../../sync-server/protocol.ts';
import type { BenchServer } from './servers.ts';
import { collectedRssKb, connect, sleep } from './protocol-clients.ts';

/** Document `i`'s content as an update message: one cadre entry. */
export function smallDocUpdate(i: number): Uint8Array {
  const ydoc = new Y.Doc();
  ydoc.getMap('cadres').set(`c${i}`, { name: '张三', unit: 'A01', grade: 'good' });
  return encodeUpdate(Y.encodeStateAsUpdate(ydoc));
}

/**
 * The server's RSS growth (kB) while `open` holds its sockets: measured 1.5 s after they are open,
 * after a GC in the server (its SIGUSR2 preload); the sockets are closed afterwards.
 */
export async function rssGrowthKb(server: BenchServer, open: (stamp: number) => Promise<WebSocket[]>): Promise<number> {
  const before = await collectedRssKb(server.child);
  const sockets = await open(Date.now());
  await sleep(1500);
  const after = await collectedRssKb(server.child);
  for (const ws of sockets) ws.terminate();
  return after - before;
}

/** `count` stock-style connections, each on its own small document, opened `batch` at a time. */
export function idleConnections(server: BenchServer, count: number, batch: number) {
  return async (stamp: number): Promise<WebSocket[]> => {
    const sockets: WebSocket[] = [];
    for (let first = 0; first < count; first += batch) {
      const opened = await Promise.all(
        Array.from({ length: batch }, async (_, i) => {
          const ws = await connect(server, `unit:IDLE${first + i}-${stamp}`);
          ws.send(smallDocUpdate(first + i));
          return ws;
        }),
      );
      sockets.push(...opened);
    }
    return sockets;
  };
}
