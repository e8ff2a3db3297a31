import ExcelJS from 'exceljs';
import mammoth from 'mammoth';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cadre } from '../../core/doc/test/fixtures.ts';
import { runCli, UsageError } from '../../sync-server/cli.ts';
import { startTestServer, tempDataDir, type TestServer } from '../../sync-server/testing.ts';
import { seed } from '../e2e/support/seed.ts';

/**
 * `npm run cli -- review` against the real server on loopback: names resolved as the review page
 * resolves them (never guessed), the seed's case answered, the same letter as a Word file.
 */
describe('npm run cli -- review', () => {
  const data = tempDataDir();
  let server: TestServer;
  let reader: string;

  beforeAll(async () => {
    server = await startTestServer(data.dir);
    await seed(server.url, server.token('admin', [{ role: 'admin', doc: '*' }]), {
      units: [
        { code: 'ZF09', name: '澜江市财政局', aliases: [], kind: 'government' },
        { code: 'ZF10', name: '澜江市教育局', aliases: [], kind: 'government' },
      ],
      cadres: [
        cadre('LJ0007', { name: '张某', birth: '1972-05', unitCode: 'ZF09', post: '副局长', rank: '副处级' }),
        cadre('LJ0201', {
          name: '王芳',
          gender: 'female',
          birth: '1981-02',
          unitCode: 'ZF09',
          post: '预算科科长',
          rank: '正科级',
        }),
        cadre('LJ0301', {
          name: '王芳',
          gender: 'female',
          birth: '1976-09',
          unitCode: 'ZF10',
          post: '副局长',
          rank: '副处级',
        }),
        cadre('LJ0401', { name: '赵强', birth: '1979-12', unitCode: 'ZF10' }),
      ],
      records: [
        {
          id: 'R-a5b08a27',
          subject: { type: 'cadre', id: 'LJ0007' },
          colour: 'black',
          kind: 'party-warning',
          decisionDate: '2018-06-15',
          sourceDept: '市纪委监委',
          docNumber: '澜纪发〔2018〕12号',
          summary: '违规收受礼品礼金',
          status: 'active',
        },
      ],
    });
    // Reading is enough: the command writes nothing to the server.
    reader = server.token('batch-office', [
      { role: 'viewer', doc: 'workspace' },
      { role: 'viewer', doc: 'unit:*' },
    ]);
  });
  afterAll(async () => {
    await server?.close();
    data.remove();
  });

  /** The seed's question: who may be commended for 2018, asked on 2019-08-06. */
  const COMMENDATION_2018 = ['--purpose', 'commendation', '--year', '2018', '--as-of', '2019-08-06'];

  async function review(args: string[]): Promise<{ lines: string[]; exitCode: number }> {
    const out: string[] = [];
    const prev = process.stdout.write;
    process.stdout.write = ((chunk: string) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
    process.exitCode = 0;
    try {
      await runCli(['review', ...args, '--server', server.url, '--token', reader]);
    } finally {
      process.stdout.write = prev;
    }
    const exitCode = Number(process.exitCode ?? 0);
    process.exitCode = 0;
    return {
      lines: out
        .join('')
        .split('\n')
        .filter((l) => l !== ''),
      exitCode,
    };
  }

  it('a name two cadres bear, or nobody, is listed with who it could be: exit 1, no letter', async () => {
    const names = join(data.dir, 'names.csv');
    writeFileSync(names, '序号,姓名\n1,张某\n2,王芳\n3,赵强\n4,张三丰\n');
    const out = join(data.dir, 'unsettled.docx');
    const { lines, exitCode } = await review([...COMMENDATION_2018, '--file', names, '--out', out]);
    expect(exitCode).toBe(1);
    expect(lines).toEqual([
      '以下 2 个姓名需要核对，未生成回复函：',
      '  第 3 行 王芳：同名 2 人（澜江市财政局 预算科科长 LJ0201；澜江市教育局 副局长 LJ0301），请改用干部编号',
      '  第 5 行 张三丰：政治生态档案中未查到此人',
    ]);
    expect(existsSync(out)).toBe(false);
  });

  it('the seed’s case from a spreadsheet: 党内警告 of June 2018 → objection to 2018 评先评优, in a Word letter with no internal id', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('名单');
    sheet.addRows([
      ['姓名', '单位'],
      ['张某', '财政局'],
      ['LJ0301', '教育局'],
      ['赵强', '教育局'],
    ]);
    const names = join(data.dir, 'names.xlsx');
    await book.xlsx.writeFile(names);
    const out = join(data.dir, 'reply.docx');
    const { lines, exitCode } = await review([
      ...COMMENDATION_2018,
      '--file',
      names,
      '--out',
      out,
      '--request-no',
      '澜组干函〔2019〕45号',
      '--requester',
      '中共澜江市委组织部',
    ]);
    expect(exitCode).toBe(0);
    expect(lines).toEqual([
      '关于张某等3名同志党风廉政情况的意见回复',
      '  张某（澜江市财政局 副局长）：有意见',
      '  王芳（澜江市教育局 副局长）：无意见',
      '  赵强（澜江市教育局 局长）：无意见',
      `回复函已写入 ${out}`,
    ]);
    const { value: text } = await mammoth.extractRawText({ path: out });
    expect(text).toContain('你单位澜组干函〔2019〕45号收悉');
    expect(text).toContain('（一）张某（澜江市财政局副局长）：不宜评先评优。');
    expect(text).toContain(
      '2018年6月15日受到党内警告处分（澜纪发〔2018〕12号），2018年度考核不得确定为优秀等次，不能评先评优',
    );
    for (const id of ['R-a5b08a27', 'LJ0007', 'LJ0301', 'ZF09']) expect(text).not.toContain(id);

    const json = await review([...COMMENDATION_2018, '--file', names, '--json', '--locale', 'en']);
    const answer = JSON.parse(json.lines[0]!);
    expect(answer).toMatchObject({
      title: '关于张某等3名同志党风廉政情况的意见回复',
      purpose: 'commendation for 2018',
      counts: { objection: 1, 'no-objection': 2 },
    });
    expect(answer.people[0].reasons[0]).toMatch(
      /^Party warning of 2018-06-15 \(澜纪发〔2018〕12号\): 2018 annual appraisal cannot be rated Excellent/,
    );
  });

  it('every person the reviews above found is in the view log under the token’s user, as a review (README "View log")', async () => {
    const lines: string[] = [];
    await runCli(['views', '--data', data.dir, '--user', 'batch-office', '--json'], {
      out: (line) => lines.push(line),
    });
    const views = JSON.parse(lines[0]!) as { user: string; subject: { id: string }; view: string }[];
    expect(new Set(views.map((v) => `${v.user} ${v.subject.id} ${v.view}`))).toEqual(
      new Set(['batch-office LJ0007 review', 'batch-office LJ0301 review', 'batch-office LJ0401 review']),
    );
  });

  it('bad arguments are usage errors (exit 2)', async () => {
    const names = join(data.dir, 'names.csv');
    await expect(
      review(['--purpose', 'award', '--as-of', '2019-08-06', '--file', names, '--out', 'x.docx']),
    ).rejects.toThrow(UsageError);
    await expect(
      review(['--purpose', 'appraisal', '--as-of', '2019-08-06', '--file', names, '--out', 'x.docx']),
    ).rejects.toThrow(/考核年度/);
    await expect(
      review(['--purpose', 'promotion', '--as-of', '2019-08-06', '--file', names, '--out', 'x.docx', '--bogus']),
    ).rejects.toThrow(UsageError);
  });
});
