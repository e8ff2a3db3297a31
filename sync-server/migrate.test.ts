/**
 * `cli migrate`: a SQLite store written by a real server (compacted and not, with audit entries,
 * a revocation and clientID bindings) moves to PostgreSQL, verified; a second run resumes; a
 * server on the new store serves the same documents to a stock client, with the same audit.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAudit, revoke } from './admin.ts';
import { runCli } from './cli.ts';
import { openPostgresStorage } from './storage/postgres.ts';
import { openSqliteStorage } from './storage/sqlite.ts';
import { startTestServer, stockClient, synced, waitFor } from './testing.ts';
import { useCleanups } from './testing-fixture.ts';
import { servicesFor, tempSchema } from './testing-services.ts';
import { secretFileName } from './token.ts';

const up = await servicesFor('cli migrate to PostgreSQL (sync-server/migrate.test.ts)', ['postgres']);

const { cleanups, dir } = useCleanups();

describe.skipIf(!up)('cli migrate', () => {
  it('copies documents, audit, bindings and revocations, verified and resumable', async () => {
    const source = dir();
    const schema = tempSchema();
    cleanups.push(() => schema.drop());
    const server = await startTestServer(source, { compactEvery: 5 });
    const writers = ['unit:M01', 'unit:M02'].map((doc) =>
      stockClient(server.url, doc, server.token('alice', ['editor', doc])),
    );
    await Promise.all(writers.map(synced));
    for (let i = 0; i < 12; i++) writers[0]!.doc.getMap('m').set(`k${i}`, i); // compacted along the way
    writers[1]!.doc.getText('t').insert(0, '材料');
    await waitFor(() => server.metrics.updatesTotal >= 13, 'every write stored');
    for (const writer of writers) writer.destroy();
    await server.close();
    await revoke(source, { user: 'mallory' });
    const audit = await readAudit(source, { user: 'alice' });
    // Two entries of the view log (查阅留痕): append-only, so they must move too.
    const sqlite = openSqliteStorage(source);
    await sqlite.recordViews(
      ['v-000001', 'v-000002'].map((id, i) => ({
        id,
        user: 'alice',
        name: '爱丽丝',
        subjectType: 'cadre' as const,
        subjectId: `C00${i + 1}`,
        unit: 'M01',
        view: 'sidepanel',
        clientTime: 1000 + i,
        time: 2000 + i,
      })),
    );
    const views = await sqlite.views({});
    await sqlite.close();

    const lines: string[] = [];
    await runCli(['migrate', '--from', source, '--to', schema.url], { out: (line) => lines.push(line) });
    expect(lines).toEqual([
      'copied unit:M01: state vector and content hash match',
      'copied unit:M02: state vector and content hash match',
      'migrated 2 document(s) (0 already done), 1 revocation(s) and 2 view-log entries',
    ]);

    // A run that stopped after copying unit:M01 but before verifying it: run again, it resumes.
    const storage = await openPostgresStorage(schema.url);
    cleanups.push(() => storage.close());
    await storage.pool.query("UPDATE migrated_documents SET verified = false WHERE doc = 'unit:M01'");
    lines.length = 0;
    await runCli(['migrate', '--from', source, '--to', schema.url], { out: (line) => lines.push(line) });
    expect(lines).toEqual([
      'copied unit:M01: state vector and content hash match',
      'migrated 1 document(s) (1 already done), 1 revocation(s) and 2 view-log entries',
    ]);
    expect((await storage.changesSince({ seq: 0, revocation: 0 })).revocations).toHaveLength(1);

    expect(await storage.audit({ user: 'alice' })).toEqual(audit);
    // Copied once, though migrate ran twice.
    expect(await storage.views({})).toEqual(views);
    expect(await storage.isRevoked({ sub: 'mallory', jti: 'x', iat: 0 })).toBe(true);
    expect((await storage.authors('unit:M02')).map((author) => author.user)).toEqual(['alice']);
    expect(await storage.verify({ full: true })).toEqual([]);

    // A server on the new store serves what the old one held, and numbers new writes after it.
    const next = dir();
    copyFileSync(join(source, secretFileName), join(next, secretFileName));
    const instance = await startTestServer(next, { store: schema.url });
    cleanups.push(() => instance.close());
    const reader = stockClient(instance.url, 'unit:M01', instance.token('alice', ['editor', 'unit:M01']));
    cleanups.push(() => reader.destroy());
    await synced(reader);
    expect(reader.doc.getMap('m').get('k11')).toBe(11);
    reader.doc.getMap('m').set('after', 'migration');
    await waitFor(() => instance.metrics.updatesTotal === 1, 'the new write stored');
    const entries = await storage.audit({ doc: 'unit:M01' });
    expect(entries.at(-1)!.seq).toBeGreaterThan(Math.max(...audit.map((entry) => entry.seq)));
    // The CLI's commands on the instance's data directory reach the shared database.
    expect(await readAudit(next, { doc: 'unit:M01' })).toEqual(entries);
  });

  it('refuses a target that already took writes of its own', async () => {
    const source = dir();
    const schema = tempSchema();
    cleanups.push(() => schema.drop());
    const storage = await openPostgresStorage(schema.url);
    cleanups.push(() => storage.close());
    await storage.commitUpdates([
      {
        doc: 'unit:Z',
        data: new Uint8Array([0, 0]),
        user: 'x',
        name: 'x',
        time: 0,
        hash: '',
        clientIds: [],
        newBindings: [],
      },
    ]);
    const server = await startTestServer(source);
    await server.close();
    await expect(runCli(['migrate', '--from', source, '--to', schema.url], { out: () => undefined })).rejects.toThrow(
      /already holds writes of its own/u,
    );
  });
});
