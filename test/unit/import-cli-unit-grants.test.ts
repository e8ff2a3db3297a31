import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { listImports, workspaceTarget } from '../../core/import/index.ts';
import { openWorkspace } from '../../core/sync/workspace.ts';
import { importSheet, openImportTarget } from '../../tools/import-sheet.ts';
import { startTestServer, tempDataDir, type TestServer } from '../../sync-server/testing.ts';
import { cliProcess, FIXTURES } from './import-support.ts';

/**
 * A token limited to some units (a clerk's: editor on their unit, viewer on the workspace) imports
 * the rows of those units from a file that spans several; the other rows are reported by line as
 * outside the token's access and skipped, and nothing reaches a unit the token may not write.
 */
describe('npm run cli -- import with a token limited to some units', () => {
  const data = tempDataDir();
  let server: TestServer;
  let admin: string;
  /**
   * Rows for U01 (lines 2 and 4), U02 (line 3, by cadre ID) and U03 (line 5 by unit name, line 6
   * by cadre ID and unit).
   */
  let spanning: string;

  beforeAll(async () => {
    server = await startTestServer(data.dir);
    admin = server.token('admin', [{ role: 'admin', doc: '*' }]);
    for (const file of ['units-utf8.csv', 'cadres-utf8-bom.csv']) {
      await importSheet(
        ['--file', join(FIXTURES, file), '--mode', 'good-rows', '--server', server.url, '--token', admin],
        () => undefined,
      );
    }
    spanning = join(data.dir, '跨单位处分登记.csv');
    writeFileSync(
      spanning,
      [
        '干部编号,姓名,单位,类别,决定日期,来源部门,文号,事由',
        'C001,欧阳明远,,嘉奖,2023-06-12,市委组织部,示组发〔2023〕8号,年度考核优秀',
        'C002,王芳,,诫勉谈话,2023-03-05,市纪委监委,示纪〔2023〕3号,落实主体责任不力',
        ',,U01,通报批评,2023-04-01,市委办,示办〔2023〕2号,督查考核排名靠后',
        ',,东城区,嘉奖,2023-05-01,市委,示委〔2023〕5号,创建工作成绩突出',
        'C004,司马静怡,U03,提醒谈话,2023-02-02,市纪委监委,示纪〔2023〕9号,未按期报告个人有关事项',
      ].join('\n') + '\n',
    );
  });
  afterAll(async () => {
    await server?.close();
    data.remove();
  });

  async function importAs(token: string, args: string[]): Promise<string[]> {
    const lines: string[] = [];
    await importSheet([...args, '--server', server.url, '--token', token, '--by', 'clerk-a01'], (l) => lines.push(l));
    return lines;
  }

  /** What the server holds, read back through another (admin) connection. */
  async function onServer(): Promise<{ records: Record<string, string[]>; imports: ReturnType<typeof listImports> }> {
    const target = await openImportTarget(server.url, admin);
    try {
      const records: Record<string, string[]> = {};
      for (const code of target.unitCodes().sort()) {
        records[code] = target
          .unit(code)
          .records.list()
          .flatMap((e) => (e.ok ? [e.value.docNumber ?? ''] : []))
          .sort();
      }
      return { records, imports: listImports(target) };
    } finally {
      await target.close();
    }
  }

  const report = [
    '类型：records　表头在第 1 行　读取 5 行　可导入 2 条　有问题 3 行（其中 3 行超出本令牌的权限范围）',
    '  第 3 行［干部编号］干部编号：不在本令牌可访问单位的花名册中（可能属于权限范围外的单位，或尚未导入花名册）',
    '  第 5 行［单位］单位：所属单位不在本令牌的权限范围内（无权写入该单位的档案）',
    '  第 6 行［单位］单位：所属单位不在本令牌的权限范围内（无权写入该单位的档案）',
  ];

  it('a clerk with editor on one unit imports a file spanning several units: their rows land on the server, the others are reported by line, --list shows the import', async () => {
    const clerk = server.token('clerk-a01', [
      { role: 'editor', doc: 'unit:U01' },
      { role: 'viewer', doc: 'workspace' },
    ]);
    const before = await onServer();

    // A dry run reports the same, and writes nothing.
    expect(await importAs(clerk, ['--file', spanning, '--dry-run'])).toEqual(report);
    expect(await onServer()).toEqual(before);

    // All-or-nothing (the default) imports nothing, and says how to import the rows within reach.
    const strict = await importAs(clerk, ['--file', spanning, '--locale', 'en']);
    expect(process.exitCode).toBe(1);
    process.exitCode = 0;
    expect(strict).toContain(
      "  line 5 [单位] Unit: belongs to a unit outside this token's access (it may not write that unit's dossiers)",
    );
    expect(strict).toContain(
      '  line 3 [干部编号] Cadre ID: is not on the roster of any unit this token can access ' +
        '(the cadre may be in a unit outside its access, or not on the roster yet)',
    );
    expect(strict.at(-1)).toBe(
      'Nothing imported: 3 row(s) have problems (all-or-nothing). Fix them, or use --mode good-rows. ' +
        "3 of them are outside this token's access and cannot be imported with it; " +
        '--mode good-rows imports the rows within its access that have no problems.',
    );
    expect(await onServer()).toEqual(before);

    const lines = await importAs(clerk, ['--file', spanning, '--mode', 'good-rows']);
    expect(lines.slice(0, -1)).toEqual(report);
    const id = /^导入完成 (imp-\S+)　records：新增 2，更新 0，未变 0$/u.exec(lines.at(-1)!)?.[1];
    expect(id).toBeDefined();

    // Another connection finds the clerk's rows in U01, and nothing of the file in U02 or U03.
    const after = await onServer();
    expect(after.records).toEqual({ ...before.records, U01: ['示办〔2023〕2号', '示组发〔2023〕8号'] });
    expect(after.records.U02).toEqual([]);
    expect(after.records.U03).toEqual([]);
    expect(after.imports.find((i) => i.id === id)).toMatchObject({
      by: 'clerk-a01',
      fileName: '跨单位处分登记.csv',
      units: ['U01'],
      counts: { records: { created: 2, updated: 0, unchanged: 0 } },
    });

    // The clerk's own --list shows it.
    const listed = await importAs(clerk, ['--list']);
    expect(listed.find((l) => l.startsWith(id!))).toMatch(
      / {2}clerk-a01 {2}跨单位处分登记\.csv {2}records \+2 ~0 =0$/u,
    );
    // And no unit outside the token was dialled (each would have been refused with HTTP 403).
    expect(server.logs.filter((l) => l.includes('clerk-a01 has no grant'))).toEqual([]);
  }, 30_000);

  it('editor on one unit and viewer on the others: rows of the others are reported as outside its access, and nothing is written to them', async () => {
    const clerk = server.token('clerk-b', [
      { role: 'editor', doc: 'unit:U01' },
      { role: 'viewer', doc: 'unit:*' },
      { role: 'viewer', doc: 'workspace' },
    ]);
    const before = await onServer();
    const lines = await importAs(clerk, ['--file', spanning, '--mode', 'good-rows']);
    // It can read U02's roster, so C002 is known and the reason is exact.
    expect(lines).toContain('  第 3 行［干部编号］干部编号：所属单位不在本令牌的权限范围内（无权写入该单位的档案）');
    expect(lines.at(-1)).toMatch(/^导入完成 imp-\S+　records：新增 0，更新 0，未变 2$/u);
    // The server never had to refuse a write (before, U01 was stored and U02 refused after the fact).
    expect((await onServer()).records).toEqual(before.records);

    // Nor is an import that reached units it may only read undone in part: not at all, and it says why.
    const cityWide = (await importAs(admin, ['--file', join(FIXTURES, 'records-gbk.csv'), '--mode', 'good-rows'])).at(
      -1,
    )!;
    const id = /^导入完成 (imp-\S+)/u.exec(cityWide)![1]!;
    await expect(importAs(clerk, ['--undo', id, '--locale', 'en'])).rejects.toThrow(
      `Not undone: import ${id} touched units this token may not write (unit:U02, unit:U03, unit:U04); ` +
        `undo it with a token that has the editor role on them. Nothing was changed on the server.`,
    );
    expect((await onServer()).imports.find((i) => i.id === id)).toMatchObject({ units: ['U01', 'U02', 'U03', 'U04'] });
    expect((await onServer()).imports.find((i) => i.id === id)?.undone).toBeUndefined();
  }, 30_000);

  it('a token with viewer on the workspace and no unit grant: one clear message, exit 1, nothing changed', async () => {
    const noUnits = server.token('clerk-none', [{ role: 'viewer', doc: 'workspace' }]);
    const before = await onServer();
    const message =
      "This token may not write any unit's dossiers (its grants: viewer on workspace), so it cannot import records. " +
      'Importing needs a token with the editor role on the units concerned ' +
      '(e.g. editor on unit:A01 and viewer on workspace); ask the administrator for one. ' +
      'Nothing was changed on the server.';
    for (const extra of [[], ['--dry-run'], ['--mode', 'good-rows']]) {
      await expect(importAs(noUnits, ['--file', spanning, '--locale', 'en', ...extra])).rejects.toThrow(message);
    }
    const result = await cliProcess(['import', '--file', spanning, '--server', server.url, '--token', noUnits]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      '该令牌无权写入任何单位的档案（其授权：workspace 的 viewer），无法导入 records。' +
        '导入需要对相关单位有 editor 权限的令牌（例如 unit:A01 的 editor 与 workspace 的 viewer），请向管理员申请。服务器上的数据未作任何更改。',
    );
    expect(result.stdout + result.stderr).not.toContain(noUnits);
    expect(await onServer()).toEqual(before);
  }, 30_000);

  it("the import page's target (a workspace opened with the token's grants) opens only the units they cover", async () => {
    const clerk = server.token('clerk-page', [
      { role: 'editor', doc: 'unit:U01' },
      { role: 'viewer', doc: 'workspace' },
    ]);
    // As extension/lib/connection-workspace.ts opens it, in Node.
    const ws = await openWorkspace({
      serverUrl: server.url,
      token: clerk,
      persistence: 'none',
      crossTab: false,
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      grants: [
        { role: 'editor', doc: 'unit:U01' },
        { role: 'viewer', doc: 'workspace' },
      ],
    });
    try {
      const target = await workspaceTarget(ws, { readiness: 'synced' });
      expect(target.unitCodes()).toEqual(['U01']);
      await target.ensureUnits(['U01', 'U02', 'U03']);
      expect(
        ws
          .docs()
          .map((d) => d.name)
          .sort(),
      ).toEqual(['unit:U01', 'workspace']);
      expect(target.access?.canWrite('unit:U01')).toBe(true);
      expect(target.access?.canWrite('unit:U02')).toBe(false);
      expect(() => target.unit('U02')).toThrow("unit:U02 is outside this token's access");
    } finally {
      await ws.close();
    }
    expect(server.logs.filter((l) => l.includes('clerk-page has no grant'))).toEqual([]);
  });
});
