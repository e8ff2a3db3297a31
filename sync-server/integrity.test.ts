/**
 * A damaged store is never served as healthy. The damage is made on real SQLite files: a WAL whose
 * tail no longer checks out (SQLite drops it on recovery, with the acknowledged writes in it), a
 * value changed inside the main file, a broken page. Each is reported at start (log, /healthz 503,
 * /metrics) and on demand by `cli check`, and stays reported until an operator clears it.
 */
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { checkStore } from './admin.ts';
import { hashUpdate } from './attribution.ts';
import { runCli } from './cli.ts';
import { commitMarkFileName } from './storage/commit-mark.ts';
import { databaseFileName, openSqliteStorage } from './storage/sqlite.ts';
import { secretFileName } from './token.ts';
import { startTestServer, stockClient, synced, waitFor } from './testing.ts';
import { useCleanups } from './testing-fixture.ts';

const { cleanups, dir } = useCleanups();

/** `count` updates, one commit each, each one a text holding `marker` and its number. */
function updates(count: number, marker = 'MARKER'): Uint8Array[] {
  const author = new Y.Doc();
  const out: Uint8Array[] = [];
  author.on('update', (update: Uint8Array) => out.push(update));
  for (let i = 0; i < count; i++) author.getMap('m').set(`k${i}`, `${marker}-${String(i).padStart(4, '0')}`);
  return out;
}

async function commitEach(storage: ReturnType<typeof openSqliteStorage>, list: Uint8Array[]): Promise<void> {
  for (const update of list) {
    await storage.commitUpdates([
      {
        doc: 'unit:W01',
        data: update,
        user: 'u',
        name: 'u',
        time: Date.now(),
        hash: hashUpdate(update),
        clientIds: [],
        newBindings: [],
      },
    ]);
  }
}

async function commitAll(dataDir: string, list: Uint8Array[]): Promise<void> {
  const storage = openSqliteStorage(dataDir);
  await commitEach(storage, list);
  await storage.close();
}

/** The files a process killed right now would leave, copied while the store is still open. */
function crashImage(from: string, to: string): void {
  for (const name of [databaseFileName, `${databaseFileName}-wal`, commitMarkFileName, secretFileName]) {
    if (existsSync(join(from, name))) copyFileSync(join(from, name), join(to, name));
  }
}

async function health(url: string): Promise<{
  status: number;
  body: { ok: boolean; problems?: { kind: string; detail: string; doc?: string; seq?: number }[] };
}> {
  const res = await fetch(`${url.replace('ws:', 'http:')}/healthz`);
  return { status: res.status, body: (await res.json()) as never };
}

describe('acknowledged writes lost with a damaged WAL tail', () => {
  it(
    'are reported at start, stay reported after new writes and a restart, and clear only when an operator says so',
    { timeout: 30_000 },
    async () => {
      const original = dir();
      const image = dir();
      const storage = openSqliteStorage(original);
      await commitEach(storage, updates(40));
      crashImage(original, image); // kill -9 now: 40 writes acknowledged, all in the WAL
      await storage.close();
      const wal = readFileSync(join(image, `${databaseFileName}-wal`));
      const frame = 24 + 4096;
      const frames = Math.floor((wal.length - 32) / frame);
      // Damage one byte of a page a third of the way in: recovery stops at that frame.
      const at = 32 + Math.floor(frames / 3) * frame + 24 + 200;
      wal[at] = wal[at]! ^ 0xff;
      writeFileSync(join(image, `${databaseFileName}-wal`), wal);

      let server = await startTestServer(image);
      cleanups.push(() => server.close());
      const reported = await health(server.url);
      expect(reported.status).toBe(503);
      expect(reported.body.problems?.map((p) => p.kind)).toContain('lost-writes');
      expect(
        server.logs.some(
          (line) => line.includes('"level":"error"') && line.includes('store damaged') && line.includes('lost-writes'),
        ),
      ).toBe(true);
      expect(await (await fetch(`${server.url.replace('ws:', 'http:')}/metrics`)).text()).toMatch(
        /dossierlens_store_problems [1-9]/u,
      );

      // New writes reuse the lost sequence numbers; the alarm must not go away with them.
      const writer = stockClient(server.url, 'unit:W02', server.token('w', ['editor', 'unit:*']));
      await synced(writer);
      for (let i = 0; i < 60; i++) writer.doc.getMap('m').set(`n${i}`, i);
      await waitFor(() => server.metrics.updatesTotal >= 1, 'new writes');
      writer.destroy();
      await server.close();
      server = await startTestServer(image);
      expect((await health(server.url)).status).toBe(503);

      // The operator looked into it: `check --clear` goes through the running server.
      const lines: string[] = [];
      await runCli(['check', '--data', image, '--clear'], { out: (line) => lines.push(line) });
      expect(lines).toContain('store ok');
      expect((await health(server.url)).status).toBe(200);
    },
  );
});

describe('a damaged main file', () => {
  it('a value changed inside the file is found at start and by cli check, naming the document and update', async () => {
    const dataDir = dir();
    await commitAll(dataDir, updates(5, 'VALUE-TO-DAMAGE'));
    const file = readFileSync(join(dataDir, databaseFileName));
    const at = file.indexOf('VALUE-TO-DAMAGE-0003');
    expect(at).toBeGreaterThan(0);
    file[at] = 'X'.charCodeAt(0);
    writeFileSync(join(dataDir, databaseFileName), file);

    const lines: string[] = [];
    await expect(runCli(['check', '--data', dataDir], { out: (line) => lines.push(line) })).rejects.toThrow(
      /store damaged/u,
    );
    expect(lines.some((line) => line.includes('does not match the SHA-256') && line.includes('unit:W01'))).toBe(true);

    const server = await startTestServer(dataDir);
    cleanups.push(() => server.close());
    const reported = await health(server.url);
    expect(reported.status).toBe(503);
    expect(reported.body.problems).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'integrity', doc: 'unit:W01', seq: 4 })]),
    );
  });

  it('a broken page is found by the structural check', async () => {
    const dataDir = dir();
    await commitAll(dataDir, updates(200, 'PAGES'));
    const file = readFileSync(join(dataDir, databaseFileName));
    // Page 3 onwards hold tables and indexes; scribble over the header of one of them.
    file.fill(0xa5, 4096 * 3, 4096 * 3 + 64);
    writeFileSync(join(dataDir, databaseFileName), file);
    const report = await checkStore(dataDir, { full: true, clear: false });
    expect(report.ok).toBe(false);
    expect(report.problems.some((p) => p.kind === 'integrity')).toBe(true);
  });

  it('a healthy store checks out', async () => {
    const dataDir = dir();
    await commitAll(dataDir, updates(20));
    expect(await checkStore(dataDir, { full: true, clear: false })).toEqual({ ok: true, problems: [], cleared: false });
    const server = await startTestServer(dataDir);
    cleanups.push(() => server.close());
    expect((await health(server.url)).status).toBe(200);
  });
});
