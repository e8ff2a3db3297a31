/**
 * kill -9 at an arbitrary moment loses nothing any client has seen. The server runs as a child
 * process (`npm run server`'s entry point); one stock client streams edits while another
 * observes; we SIGKILL mid-stream, restart on the same data directory, and check that every
 * edit the observer saw is there. Three rounds on the same directory.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { issueToken } from './admin.ts';
import { stockClient, synced, tempDataDir, waitFor } from './testing.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const data = tempDataDir();
afterAll(() => data.remove());

async function spawnServer(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'sync-server/main.ts', '--port', '0', '--data', dataDir], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    lines.on('line', (line) => {
      const match = /listening (ws:\/\/[^\s"]+)/u.exec(line);
      if (match?.[1]) resolve(match[1]);
    });
  });
  return { child, url };
}

const killed = (child: ChildProcess) => new Promise<void>((resolve) => child.once('exit', () => resolve()));

describe('kill -9', () => {
  it('keeps every update a peer saw, across repeated kills mid-stream', { timeout: 60_000 }, async () => {
    const token = issueToken(data.dir, { user: 'writer', grants: [{ role: 'editor', doc: 'unit:*' }], ttlSeconds: 600 }).token;
    const everSeen = new Set<string>();
    let next = 0;
    for (let round = 0; round < 3; round++) {
      const { child, url } = await spawnServer(data.dir);
      const writer = stockClient(url, 'unit:K01', token);
      const observer = stockClient(url, 'unit:K01', token, 'subprotocol');
      await Promise.all([synced(writer), synced(observer)]);
      const seenBefore = observer.doc.getMap('stream').size;
      const stream = setInterval(() => {
        for (let i = 0; i < 5; i++) writer.doc.getMap('stream').set(`k${next++}`, round);
      }, 1);
      // Kill once the observer has seen a good number of this round's edits, wherever the
      // writer is at that moment.
      await waitFor(() => observer.doc.getMap('stream').size >= seenBefore + 200, 'edits to stream', 20_000);
      const exited = killed(child);
      child.kill('SIGKILL');
      clearInterval(stream);
      await exited;
      for (const key of observer.doc.getMap('stream').keys()) everSeen.add(key);
      writer.destroy();
      observer.destroy();

      const restarted = await spawnServer(data.dir);
      const checker = stockClient(restarted.url, 'unit:K01', token, 'query', new Y.Doc());
      await synced(checker);
      const stored = checker.doc.getMap('stream');
      const missing = [...everSeen].filter((key) => !stored.has(key));
      checker.destroy();
      const stopped = killed(restarted.child);
      restarted.child.kill('SIGKILL');
      await stopped;
      expect(missing).toEqual([]);
    }
    expect(everSeen.size).toBeGreaterThanOrEqual(600);
  });
});

describe('SIGTERM', () => {
  it('closes clients with 1001 (they reconnect later), flushes, and exits 0 with the data kept', { timeout: 30_000 }, async () => {
    const token = issueToken(data.dir, { user: 'writer', grants: [{ role: 'editor', doc: 'unit:*' }], ttlSeconds: 600 }).token;
    const { child, url } = await spawnServer(data.dir);
    const writer = stockClient(url, 'unit:T01', token);
    await synced(writer);
    const closes: number[] = [];
    writer.on('connection-close', (event) => {
      if (event) closes.push(event.code);
    });
    writer.doc.getText('t').insert(0, 'before shutdown');
    const probe = stockClient(url, 'unit:T01', token);
    await waitFor(() => probe.doc.getText('t').toString() === 'before shutdown', 'the edit to be stored and sent');
    probe.destroy();
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    await waitFor(() => closes.length > 0, 'the close event');
    expect(closes[0]).toBe(1001);
    expect(writer.shouldConnect).toBe(true);
    writer.destroy();
    const restarted = await spawnServer(data.dir);
    const checker = stockClient(restarted.url, 'unit:T01', token);
    await waitFor(() => checker.doc.getText('t').toString() === 'before shutdown', 'the content after restart');
    checker.destroy();
    restarted.child.kill('SIGKILL');
    await killed(restarted.child);
  });
});
