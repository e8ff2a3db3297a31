import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncRefusedError } from '../../core/sync/refusal.ts';
import { revoke } from '../../sync-server/admin.ts';
import { importSheet } from '../../tools/import-sheet.ts';
import { startTestServer, tempDataDir, type TestServer } from '../../sync-server/testing.ts';
import { mintToken } from '../../sync-server/token.ts';
import { runCli } from '../../sync-server/cli.ts';
import { cliProcess, FIXTURES } from './import-support.ts';

/**
 * The CLI's spreadsheet import against the real server on loopback: it writes as a client (so the
 * server attributes the writes), reports by line/column/reason, refuses a bad file by default,
 * and lists and undoes imports. A token limited to some units has its own file
 * (import-cli-unit-grants.test.ts).
 */
describe('npm run cli -- import', () => {
  const data = tempDataDir();
  let server: TestServer;
  let token: string;

  beforeAll(async () => {
    server = await startTestServer(data.dir);
    token = server.token('clerk', [{ role: 'admin', doc: '*' }]);
  });
  afterAll(async () => {
    await server?.close();
    data.remove();
  });

  async function run(args: string[]): Promise<string[]> {
    const lines: string[] = [];
    await importSheet([...args, '--server', server.url, '--token', token, '--by', 'clerk'], (l) => lines.push(l));
    return lines;
  }

  it('imports through the running server, reporting skipped rows; the CLI entry point delegates .csv files', async () => {
    const out: string[] = [];
    const prev = process.stdout.write;
    // runCli writes through importSheet's default sink (stdout); capture it for this call.
    process.stdout.write = ((s: string) => (out.push(String(s)), true)) as typeof process.stdout.write;
    try {
      await runCli([
        'import',
        '--file',
        join(FIXTURES, 'units-utf8.csv'),
        '--server',
        server.url,
        '--token',
        token,
        '--mode',
        'good-rows',
      ]);
    } finally {
      process.stdout.write = prev;
    }
    expect(out.join('')).toContain('units：新增 4，更新 0，未变 0');
    expect(out.join('')).toContain('第 8 行［单位类别］单位类别：不是已知的单位类别');
    expect(out.join('')).not.toContain(token);

    expect((await run(['--file', join(FIXTURES, 'cadres-utf8-bom.csv'), '--mode', 'good-rows'])).at(-1)).toMatch(
      /^导入完成 imp-\S+　cadres：新增 4，更新 0，未变 0$/,
    );
  });

  it('all-or-nothing by default: a file with bad rows changes nothing and says why, in English on request', async () => {
    const lines = await run(['--file', join(FIXTURES, 'records-gbk.csv'), '--locale', 'en']);
    expect(lines[0]).toBe('kind: records  header on line 1  rows read 15  importable 5  bad rows 10');
    expect(lines).toContain('  line 8 [生效日期] Effective date: is before the decision date');
    expect(lines.at(-1)).toBe(
      'Nothing imported: 10 row(s) have problems (all-or-nothing). Fix them, or use --mode good-rows.',
    );
    expect(process.exitCode).toBe(1);
    process.exitCode = 0;
    expect((await run(['--list'])).some((l) => l.includes('records-gbk.csv'))).toBe(false);
  });

  /** `npm run cli -- import …` (runCli), whose spreadsheet commands print through stdout. */
  async function viaCli(args: string[]): Promise<string[]> {
    const out: string[] = [];
    const prev = process.stdout.write;
    process.stdout.write = ((chunk: string) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
    try {
      await runCli(['import', ...args, '--server', server.url, '--token', token, '--by', 'clerk']);
    } finally {
      process.stdout.write = prev;
    }
    return out
      .join('')
      .split('\n')
      .filter((l) => l !== '');
  }

  it('good rows, then the same file again is a no-op, then undo and list through npm run cli', async () => {
    const first = await run(['--file', join(FIXTURES, 'records-gbk.csv'), '--mode', 'good-rows']);
    const id = /导入完成 (imp-\S+)/.exec(first.at(-1)!)![1]!;
    expect(first.at(-1)).toContain('records：新增 5，更新 0，未变 0');
    expect((await run(['--file', join(FIXTURES, 'records-gbk.csv'), '--mode', 'good-rows'])).at(-1)).toContain(
      'records：新增 0，更新 0，未变 5',
    );
    expect(await viaCli(['--undo', id, '--reason', '重复报送'])).toEqual([`已撤销导入 ${id}（涉及 4 个单位）`]);
    const listed = await viaCli(['--list']);
    expect(listed.find((l) => l.startsWith(id))).toMatch(/records \+5 ~0 =0 {2}\(undone .* by clerk\)/);
    expect(listed.join('\n')).not.toContain(token);
  });

  it('--dry-run reports and writes nothing', async () => {
    const before = await run(['--list']);
    const lines = await run(['--file', join(FIXTURES, 'flags.xlsx'), '--dry-run']);
    expect(lines[0]).toBe('类型：flags　表头在第 2 行　读取 5 行　可导入 2 条　有问题 3 行');
    expect(await run(['--list'])).toEqual(before);
  });

  it('a viewer token: the import fails promptly, saying the token may write no unit, and the server stores nothing', async () => {
    const viewer = server.token('ivy', [{ role: 'viewer', doc: '*' }]);
    const before = await run(['--list']);
    const lines: string[] = [];
    // "Promptly" without a clock: a wait for confirmation would end in its 60 s timeout's message,
    // after this test's own 30 s limit. The grants the server reports (GET /whoami) already say the
    // token may write no unit document, so the command says so before writing anything.
    await expect(
      importSheet(
        [
          '--file',
          join(FIXTURES, 'cards-gbk.csv'),
          '--mode',
          'good-rows',
          '--locale',
          'en',
          '--server',
          server.url,
          '--token',
          viewer,
        ],
        (l) => lines.push(l),
      ),
    ).rejects.toThrow(
      /^This token may not write any unit's dossiers \(its grants: viewer on \*\), so it cannot import cards\. Importing needs a token with the editor role/u,
    );
    expect(lines.join('\n')).not.toMatch(/Imported/u);
    expect(await run(['--list'])).toEqual(before);
  }, 30_000);

  it("a clerk's token (editor on units, viewer on the workspace): the import is confirmed by the server and reported", async () => {
    const clerk = server.token('clerk2', [
      { role: 'editor', doc: 'unit:*' },
      { role: 'viewer', doc: 'workspace' },
    ]);
    const lines: string[] = [];
    await importSheet(
      [
        '--file',
        join(FIXTURES, 'cards-gbk.csv'),
        '--mode',
        'good-rows',
        '--server',
        server.url,
        '--token',
        clerk,
        '--by',
        'clerk2',
      ],
      (l) => lines.push(l),
    );
    const id = /^导入完成 (imp-\S+)　cards：新增 [1-9]/u.exec(lines.at(-1)!)?.[1];
    expect(id).toBeDefined();
    // Another connection finds it on the server.
    expect((await run(['--list'])).find((l) => l.startsWith(id!))).toMatch(
      /clerk2 {2}cards-gbk\.csv {2}cards \+[1-9]/u,
    );
  }, 30_000);

  /**
   * Refused upgrades (HTTP 401/403) end the import at once in the officer's words. The sync
   * timeout is 15 s and the test timeout 20 s: without the fast path these would fail with "did
   * not sync" instead (no timing is asserted).
   */
  const clues = join(FIXTURES, 'clues-utf8.csv');
  const importWith = (tok: string, extra: string[] = []) =>
    importSheet(
      ['--file', clues, '--mode', 'good-rows', '--server', server.url, '--token', tok, ...extra],
      () => undefined,
    );
  /** What an import's failure was, for asserting its words and its cause. */
  const failure = async (p: Promise<unknown>): Promise<Error> => {
    try {
      await p;
    } catch (error) {
      return error as Error;
    }
    throw new Error('the import did not fail');
  };

  it('a token without a grant on the workspace: npm run cli -- import says so, exits non-zero, changes nothing', async () => {
    const unitsOnly = server.token('nina', [{ role: 'editor', doc: 'unit:*' }]);
    const before = await run(['--list']);
    const result = await cliProcess([
      'import',
      '--file',
      clues,
      '--server',
      server.url,
      '--token',
      unitsOnly,
      '--locale',
      'en',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      'The token has no grant on workspace (HTTP 403). ' +
        'Importing needs a token that can read the workspace document and write the unit documents ' +
        '(e.g. editor on unit:* and viewer on workspace); ask the administrator for one. ' +
        'Nothing was changed on the server.',
    );
    expect(result.stdout + result.stderr).not.toContain(unitsOnly);
    expect(await run(['--list'])).toEqual(before);
  }, 30_000);

  it('a token without a grant on the workspace, through importSheet: a SyncRefusedError with HTTP 403 as the cause, in Chinese by default', async () => {
    const error = await failure(importWith(server.token('nina2', [{ role: 'editor', doc: 'unit:*' }])));
    expect(error.message).toBe(
      '该令牌无权访问 workspace（HTTP 403）。' +
        '导入需要能读取 workspace 文档并写入单位文档的令牌（例如 unit:* 的 editor 与 workspace 的 viewer），请向管理员申请。服务器上的数据未作任何更改。',
    );
    expect(error.cause).toBeInstanceOf(SyncRefusedError);
    expect(error.cause).toMatchObject({ kind: 'refused', httpStatus: 403, doc: 'workspace' });
  });

  it('a revoked or a forged token: refused at once with HTTP 401, nothing changed', async () => {
    const before = await run(['--list']);
    const revoked = server.token('otto', [{ role: 'admin', doc: '*' }]);
    await revoke(server.dataDir, { user: 'otto' });
    const forged = mintToken(randomBytes(32), {
      user: 'mallory',
      grants: [{ role: 'admin', doc: '*' }],
      ttlSeconds: 3600,
    }).token;
    for (const bad of [revoked, forged]) {
      const error = await failure(importWith(bad, ['--locale', 'en']));
      expect(error.message).toBe(
        'The server does not accept the token (workspace: HTTP 401). ' +
          'It may have expired, been revoked, or not have been issued by this server; ' +
          'ask the administrator for a new one. Nothing was changed on the server.',
      );
      expect(error.cause).toMatchObject({ name: 'SyncRefusedError', kind: 'refused', httpStatus: 401 });
    }
    expect(await run(['--list'])).toEqual(before);
  });

  it('after those refusals, the same file imports with a token that has the grants', async () => {
    const lines: string[] = [];
    await importSheet(
      ['--file', clues, '--mode', 'good-rows', '--server', server.url, '--token', token, '--by', 'clerk'],
      (l) => lines.push(l),
    );
    const id = /^导入完成 (imp-\S+)　clues：新增 [1-9]/u.exec(lines.at(-1)!)?.[1];
    expect(id).toBeDefined();
    expect((await run(['--list'])).find((l) => l.startsWith(id!))).toMatch(
      /clerk {2}clues-utf8\.csv {2}clues \+[1-9]/u,
    );
  });
});
