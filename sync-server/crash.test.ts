/**
 * kill -9 at an arbitrary moment loses nothing any client has seen or was told is stored. The
 * server runs as a child process (`npm run server`'s entry point); several writers stream edits
 * into two documents, each asking now and then for the server's state vector (the durable
 * acknowledgement, test/reliability/acking-writer.ts), while a stock client per document
 * observes. We SIGKILL mid-stream, restart on the same data directory, and check that every edit
 * an observer saw and every edit a writer had acknowledged is stored. Three rounds, one directory.
 * (`npm run soak` does the same for longer: test/reliability/soak.ts.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { AckingWriter, missingAcknowledged } from '../test/reliability/acking-writer.ts';
import { issueToken } from './admin.ts';
import { killServer, spawnServer, stockClient, synced, tempDataDir, waitFor } from './testing.ts';
import { rawHttpStatus } from './testing-frames.ts';

const data = tempDataDir();
afterAll(() => data.remove());

const docs = ['unit:K01', 'unit:K02'];

describe('kill -9', () => {
  it(
    'keeps every update a peer saw and every update a writer had acknowledged, across three kills mid-stream, with several writers',
    { timeout: 90_000 },
    async () => {
      const token = (user: string) =>
        issueToken(data.dir, { user, grants: [{ role: 'editor', doc: 'unit:*' }], ttlSeconds: 600 }).token;
      const everSeen = new Map<string, Set<string>>(docs.map((doc) => [doc, new Set()]));
      const allWriters: AckingWriter[] = [];
      for (let round = 0; round < 3; round++) {
        const { child, url } = await spawnServer(data.dir);
        const observers = new Map<string, WebsocketProvider>(
          docs.map((doc) => [doc, stockClient(url, doc, token('observer'), 'subprotocol')]),
        );
        let stream: NodeJS.Timeout | undefined;
        try {
          // Generous waits: on a busy machine a restarted server takes a while to load and answer.
          await Promise.all(
            [...observers.values()].map((observer) => waitFor(() => observer.synced, 'an observer to sync', 30_000)),
          );
          const writers = await Promise.all(
            [0, 1, 2, 3].map((i) => AckingWriter.open(url, docs[i % 2]!, token(`writer-${i}`))),
          );
          allWriters.push(...writers);
          const seenBefore = new Map(docs.map((doc) => [doc, observers.get(doc)!.doc.getMap('stream').size]));
          let next = 0;
          let tick = 0;
          stream = setInterval(() => {
            tick++;
            for (const writer of writers) {
              for (let i = 0; i < 3; i++) writer.write(`r${round}-${writer.clientID}-${next++}`, round);
              if (tick % 10 === 0) writer.probe();
            }
          }, 1);
          // Kill once both observers saw a good number of this round's edits and every writer has
          // some acknowledged, wherever the writers are at that moment.
          await waitFor(
            () =>
              docs.every((doc) => observers.get(doc)!.doc.getMap('stream').size >= seenBefore.get(doc)! + 200) &&
              writers.every((w) => w.acked > 0),
            'edits to stream',
            30_000,
          );
          const exited = killServer(child);
          clearInterval(stream);
          await exited;
          for (const [doc, observer] of observers)
            for (const key of observer.doc.getMap('stream').keys()) everSeen.get(doc)!.add(key);
          for (const writer of writers) writer.close();
          expect(writers.flatMap((w) => w.refusals)).toEqual([]);
        } finally {
          clearInterval(stream);
          for (const observer of observers.values()) observer.destroy();
          if (child.exitCode === null && child.signalCode === null) await killServer(child);
        }

        const restarted = await spawnServer(data.dir);
        try {
          for (const doc of docs) {
            const checker = stockClient(restarted.url, doc, token('checker'), 'query', new Y.Doc());
            await waitFor(() => checker.synced, `${doc} to load after the restart`, 30_000);
            const missingSeen = [...everSeen.get(doc)!].filter((key) => !checker.doc.getMap('stream').has(key));
            const missingAcked = missingAcknowledged(
              checker.doc,
              allWriters.filter((w) => w.docName === doc),
            );
            checker.destroy();
            expect({ doc, missingSeen, missingAcked }).toEqual({ doc, missingSeen: [], missingAcked: [] });
          }
        } finally {
          await killServer(restarted.child);
        }
      }
      for (const doc of docs) expect(everSeen.get(doc)!.size).toBeGreaterThanOrEqual(600);
      expect(allWriters.reduce((sum, w) => sum + w.acked, 0)).toBeGreaterThanOrEqual(600);
    },
  );
});

describe('malformed requests', () => {
  it(
    'never stop the server process: every one is answered 400 and the process keeps serving',
    { timeout: 30_000 },
    async () => {
      const { child, url } = await spawnServer(data.dir);
      const port = Number(new URL(url).port);
      try {
        let exitCode: number | null = null;
        child.once('exit', (code) => {
          exitCode = code;
        });
        for (const target of ['//x:y', '//[', '//h:99999/', '//x:y/unit:A01']) {
          expect(await rawHttpStatus(port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`)).toBe(400);
          expect(
            await rawHttpStatus(
              port,
              `OPTIONS ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: chrome-extension://abc\r\n\r\n`,
            ),
          ).toBe(400);
        }
        expect((await fetch(`${url.replace('ws:', 'http:')}/healthz`)).status).toBe(200);
        expect(exitCode).toBeNull();
      } finally {
        await killServer(child);
      }
    },
  );
});

describe('SIGTERM', () => {
  it(
    'closes clients with 1001 (they reconnect later), flushes, and exits 0 with the data kept',
    { timeout: 30_000 },
    async () => {
      const token = issueToken(data.dir, {
        user: 'writer',
        grants: [{ role: 'editor', doc: 'unit:*' }],
        ttlSeconds: 600,
      }).token;
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
      await killServer(restarted.child);
    },
  );
});
