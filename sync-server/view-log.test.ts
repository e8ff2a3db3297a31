/**
 * 查阅留痕 on a real server and a real SQLite file: who is recorded (the token's user, the server's
 * time, whatever the client claims), which subjects a user may log, what is refused, who may read
 * the log, and that the store itself will not let an entry be changed or removed.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { UsageError, runCli } from './cli.ts';
import { databaseFileName, openSqliteStorage } from './storage/sqlite.ts';
import { tempDataDir } from './testing.ts';
import { useFileServer } from './testing-fixture.ts';
import { viewLogLimits } from './view-log.ts';

const { server } = useFileServer();
let http: string;
beforeAll(() => {
  http = server.url.replace('ws:', 'http:');
});

let counter = 0;
const entry = (over: Record<string, unknown> = {}) => ({
  id: `view-${Date.now()}-${counter++}`,
  subject: { type: 'cadre', id: 'C0001' },
  unit: 'A01',
  view: 'sidepanel',
  at: Date.parse('2026-03-01T08:00:00Z'),
  ...over,
});

async function post(token: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${http}/views`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

async function read(
  token: string,
  query: string,
): Promise<{ status: number; body: { views?: Record<string, unknown>[]; error?: string } }> {
  const res = await fetch(`${http}/views?${query}`, { headers: { Authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as { views?: Record<string, unknown>[] } };
}

const admin = () => server.token('root', ['admin', '*']);

describe('POST /views', () => {
  it('records the token’s user and the server’s time, not what the client says', async () => {
    const viewer = server.token('wang', ['viewer', 'unit:A0*']);
    const before = Date.now();
    const forged = { ...entry({ view: 'print' }), user: 'someone-else' };
    // Extra fields are refused outright: a client cannot even suggest who it is.
    expect((await post(viewer, { views: [forged] })).status).toBe(400);
    const honest = entry({ view: 'print', subject: { type: 'cadre', id: 'C0042' } });
    expect(await post(viewer, { views: [honest] })).toEqual({ status: 200, body: { recorded: 1, received: 1 } });
    const { body } = await read(admin(), 'subject=C0042');
    expect(body.views).toHaveLength(1);
    const [row] = body.views!;
    expect(row).toMatchObject({
      user: 'wang',
      name: 'wang',
      subject: { type: 'cadre', id: 'C0042' },
      unit: 'A01',
      view: 'print',
      at: '2026-03-01T08:00:00.000Z',
    });
    expect(Date.parse(String(row!.recorded))).toBeGreaterThanOrEqual(before);
  });

  it('records a batch sent twice once (the device did not hear the first answer)', async () => {
    const viewer = server.token('li', ['viewer', 'unit:*']);
    const batch = {
      views: [
        entry({ subject: { type: 'cadre', id: 'C0100' } }),
        entry({ subject: { type: 'unit', id: 'A02' }, unit: 'A02', view: 'search' }),
      ],
    };
    expect((await post(viewer, batch)).body).toMatchObject({ recorded: 2 });
    expect((await post(viewer, batch)).body).toMatchObject({ recorded: 0, received: 2 });
    expect((await read(admin(), 'user=li')).body.views).toHaveLength(2);
  });

  it('refuses the whole batch, naming the entries, when one subject is outside the user’s grants', async () => {
    const viewer = server.token('zhao', ['viewer', 'unit:A0*']);
    const mine = entry({ subject: { type: 'cadre', id: 'C0200' } });
    const theirs = entry({ subject: { type: 'cadre', id: 'C0900' }, unit: 'B01' });
    const answer = await post(viewer, { views: [mine, theirs] });
    expect(answer.status).toBe(403);
    expect(answer.body.refused).toEqual([{ id: theirs.id, unit: 'B01' }]);
    expect(String(answer.body.error)).toMatch(/B01/u);
    // A unit is logged only under its own document.
    expect((await post(viewer, { views: [entry({ subject: { type: 'unit', id: 'B01' }, unit: 'A01' })] })).status).toBe(
      403,
    );
    expect((await read(admin(), 'user=zhao')).body.views).toEqual([]);
    // A workspace-only token reads no unit, so it logs none.
    expect((await post(server.token('ws-only', ['viewer', 'workspace']), { views: [mine] })).status).toBe(403);
  });

  it.each([
    ['not JSON', '{"views": ['],
    ['no views', { views: [] }],
    ['an unknown view', { views: [entry({ view: 'screenshot' })] }],
    ['a unit code in another spelling', { views: [entry({ unit: 'ａ01' })] }],
    ['a subject id with a control character', { views: [entry({ subject: { type: 'cadre', id: 'C\u0000' } })] }],
    ['a time that is not a date', { views: [entry({ at: 1e17 })] }],
    ['too many entries', { views: Array.from({ length: 201 }, () => entry()) }],
  ])('answers 400 to %s, records nothing, and keeps serving', async (_what, body) => {
    const viewer = server.token('bad-input', ['viewer', 'unit:*']);
    const answer = await post(viewer, body);
    expect(answer.status).toBe(400);
    expect(typeof answer.body.error).toBe('string');
    expect((await fetch(`${http}/healthz`)).status).toBe(200);
    expect((await read(admin(), 'user=bad-input')).body.views).toEqual([]);
  });

  it('refuses a body over the size cap (413) and a request without a valid token (401)', async () => {
    const viewer = server.token('big', ['viewer', 'unit:*']);
    expect((await post(viewer, 'x'.repeat(viewLogLimits.maxBodyBytes + 1))).status).toBe(413);
    expect((await post('dl1.forged.token', { views: [entry()] })).status).toBe(401);
    expect((await fetch(`${http}/healthz`)).status).toBe(200);
  });

  it('slows down one user who floods it (429) while others are still recorded', async () => {
    const flooder = server.token('flood', ['viewer', 'unit:*']);
    const answers = await Promise.all(Array.from({ length: 60 }, () => post(flooder, { views: [entry()] })));
    expect(answers.some((a) => a.status === 429)).toBe(true);
    expect((await post(server.token('calm', ['viewer', 'unit:*']), { views: [entry()] })).status).toBe(200);
  });
});

describe('GET /views', () => {
  it('is for admins on everything only: viewers log their own views but cannot read the log', async () => {
    expect((await read(server.token('wang', ['viewer', 'unit:A0*']), 'user=wang')).status).toBe(403);
    expect((await read(server.token('unit-admin', ['admin', 'unit:*']), 'user=wang')).status).toBe(403);
    expect((await read(admin(), 'since=yesterday-ish')).status).toBe(400);
  });

  it('filters by user and by time of recording', async () => {
    const viewer = server.token('sun', ['viewer', 'unit:*']);
    await post(viewer, { views: [entry({ subject: { type: 'cadre', id: 'C0300' } })] });
    expect((await read(admin(), 'user=sun')).body.views).toHaveLength(1);
    expect((await read(admin(), `user=sun&since=${new Date(Date.now() + 60_000).toISOString()}`)).body.views).toEqual(
      [],
    );
  });
});

describe('append-only', () => {
  it('the database itself refuses to change or delete an entry, admins and tools included', () => {
    const db = new Database(join(server.dataDir, databaseFileName));
    try {
      expect((db.prepare('SELECT COUNT(*) AS n FROM views').get() as { n: number }).n).toBeGreaterThan(0);
      expect(() => db.prepare("UPDATE views SET user = 'nobody'").run()).toThrow(/append-only/u);
      expect(() => db.prepare('DELETE FROM views').run()).toThrow(/append-only/u);
      expect(() => db.prepare("UPDATE views SET time = 0 WHERE subject_id = 'C0042'").run()).toThrow(/append-only/u);
      expect((db.prepare("SELECT user FROM views WHERE subject_id = 'C0042'").get() as { user: string }).user).toBe(
        'wang',
      );
    } finally {
      db.close();
    }
  });

  it('the storage interface has nothing that edits or removes an entry', async () => {
    const other = tempDataDir();
    const storage = openSqliteStorage(other.dir);
    const methods = Object.keys(storage).filter((name) => /view/iu.test(name));
    expect(methods.sort()).toEqual(['recordViews', 'views']);
    await storage.close();
    other.remove();
  });
});

describe('npm run cli -- views', () => {
  async function cli(...argv: string[]): Promise<string[]> {
    const lines: string[] = [];
    await runCli(['views', '--data', server.dataDir, ...argv], { out: (line) => lines.push(line) });
    return lines;
  }

  it('answers who viewed a cadre and what a user viewed, as a table or JSON, while the server runs', async () => {
    const table = (await cli('--subject', 'C0042')).join('\n');
    expect(table).toMatch(/wang/u);
    expect(table).toMatch(/cadre:C0042/u);
    expect(table).toMatch(/print/u);
    const json = JSON.parse((await cli('--user', 'li', '--json'))[0]!) as {
      subject: { id: string };
      view: string;
      user: string;
    }[];
    expect(json.map((row) => [row.user, row.subject.id, row.view]).sort()).toEqual([
      ['li', 'A02', 'search'],
      ['li', 'C0100', 'sidepanel'],
    ]);
    expect(await cli('--user', 'li', '--since', '2999-01-01')).toEqual(['no views recorded']);
  });

  it('refuses bad arguments with a usage error', async () => {
    await expect(cli()).rejects.toThrow(UsageError);
    await expect(cli('--subject', 'C1', '--user', 'u')).rejects.toThrow(/exactly one/u);
    await expect(cli('--user', 'u', '--since', 'last week')).rejects.toThrow(/--since/u);
    await expect(cli('--user', 'u', '--limit', '0')).rejects.toThrow(/--limit/u);
  });
});
