/**
 * The admin CLI, through `runCli` (the same code path as `npm run cli`), on a real data directory.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import { UsageError, runCli } from './cli.ts';
import { optionsFrom } from './main.ts';
import { tempDataDir } from './testing.ts';
import { verifyToken, loadOrCreateSecret } from './token.ts';

const data = tempDataDir();
afterAll(() => data.remove());

async function cli(...argv: string[]): Promise<string[]> {
  const lines: string[] = [];
  await runCli(argv, { out: (line) => lines.push(line) });
  return lines;
}

describe('npm run cli -- token', () => {
  it('prints the token alone on the last line, with every grant', async () => {
    const lines = await cli(
      'token',
      '--data',
      data.dir,
      '--user',
      'alice',
      '--name',
      '张三',
      '--role',
      'editor',
      '--doc',
      'unit:*',
      '--doc',
      'notes:*',
      '--grant',
      'viewer:workspace',
      '--ttl',
      '8h',
    );
    const token = lines.at(-1)!;
    expect(token).toMatch(/^dl1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/u);
    const checked = verifyToken(loadOrCreateSecret(data.dir), token);
    expect(checked.ok && checked.payload).toMatchObject({
      sub: 'alice',
      name: '张三',
      grants: [
        { role: 'editor', doc: 'unit:*' },
        { role: 'editor', doc: 'notes:*' },
        { role: 'viewer', doc: 'workspace' },
      ],
    });
    expect(checked.ok && checked.payload.exp - Math.floor(checked.payload.iat)).toBe(8 * 3600);
  });

  it('refuses bad input with a usage error', async () => {
    await expect(cli('token', '--data', data.dir, '--user', 'a', '--role', 'owner', '--doc', 'unit:*')).rejects.toThrow(
      UsageError,
    );
    await expect(cli('token', '--data', data.dir, '--user', 'a', '--role', 'editor')).rejects.toThrow(/--doc/u);
    await expect(cli('token', '--data', data.dir, '--user', 'a', '--grant', 'editor:files:*')).rejects.toThrow(
      /--grant/u,
    );
    await expect(
      cli('token', '--data', data.dir, '--user', 'a', '--grant', 'viewer:workspace', '--ttl', 'soon'),
    ).rejects.toThrow(/--ttl/u);
    await expect(cli('revoke', '--data', data.dir)).rejects.toThrow(/exactly one/u);
    await expect(cli('frobnicate')).rejects.toThrow(/usage/u);
  });
});

describe('npm run cli -- import / export / audit / backup', () => {
  it('round-trips a document and answers who wrote it', async () => {
    const source = new Y.Doc();
    source.getMap('cadres').set('c1', { name: '王五' });
    const file = join(data.dir, 'in.ydoc');
    writeFileSync(file, Y.encodeStateAsUpdate(source));
    await cli('import', '--data', data.dir, '--doc', 'unit:X01', '--file', file, '--user', 'importer');
    const out = join(data.dir, 'out.ydoc');
    await cli('export', '--data', data.dir, '--doc', 'unit:X01', '--out', out);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, new Uint8Array(readFileSync(out)));
    expect(copy.getMap('cadres').get('c1')).toEqual({ name: '王五' });

    const [json] = await cli('audit', '--data', data.dir, '--doc', 'unit:X01', '--json');
    const entries = JSON.parse(json!) as { user: string; doc: string; clientIds: number[]; time: string }[];
    expect(entries).toMatchObject([{ user: 'importer', doc: 'unit:X01', clientIds: [source.clientID] }]);
    const table = await cli('audit', '--data', data.dir, '--user', 'importer');
    expect(table.join('\n')).toMatch(/unit:X01\s+importer/u);

    await cli('backup', '--data', data.dir, '--out', join(data.dir, 'copy'));
    expect(existsSync(join(data.dir, 'copy', 'dossier-lens.sqlite'))).toBe(true);
    expect(existsSync(join(data.dir, 'copy', 'secret.key'))).toBe(true);
    await expect(cli('backup', '--data', data.dir, '--out', join(data.dir, 'copy'))).rejects.toThrow(/already exists/u);
  });

  it('refuses a file that is not a Yjs update, storing nothing', async () => {
    const file = join(data.dir, 'garbage.ydoc');
    writeFileSync(file, Buffer.from('not an update at all'));
    await expect(cli('import', '--data', data.dir, '--doc', 'unit:X02', '--file', file)).rejects.toThrow(
      /not a Yjs update/u,
    );
    const [json] = await cli('audit', '--data', data.dir, '--doc', 'unit:X02', '--json');
    expect(JSON.parse(json!)).toEqual([]);
  });

  it('hands spreadsheets to importSheet(argv), or says clearly that the module is missing', async () => {
    const argv = ['import', '--data', data.dir, '--doc', 'unit:X03', '--file', 'roster.csv'];
    const missing = join(data.dir, 'no-such-importer.mjs');
    await expect(runCli(argv, { out: () => undefined }, missing)).rejects.toThrow(
      /spreadsheet import is not available/u,
    );
    const fake = join(data.dir, 'fake-importer.mjs');
    writeFileSync(fake, 'export function importSheet(argv) { globalThis.sheetArgv = argv; }\n');
    await runCli(argv, { out: () => undefined }, fake);
    expect((globalThis as { sheetArgv?: string[] }).sheetArgv).toEqual(argv.slice(1));
  });

  it('hands listing and undoing spreadsheet imports to importSheet(argv) too; a .ydoc file stays here', async () => {
    const fake = join(data.dir, 'recording-importer.mjs');
    writeFileSync(fake, 'export function importSheet(argv) { (globalThis.sheetCalls ??= []).push(argv); }\n');
    const calls = () => (globalThis as { sheetCalls?: string[][] }).sheetCalls ?? [];
    const list = ['--list', '--server', 'ws://127.0.0.1:1', '--token', 'T'];
    const undo = ['--undo', 'imp-1', '--reason', '重复报送', '--server', 'ws://127.0.0.1:1', '--token', 'T'];
    await runCli(['import', ...list], { out: () => undefined }, fake);
    await runCli(['import', ...undo], { out: () => undefined }, fake);
    await runCli(['import', '--undo=imp-2', '--token', 'T'], { out: () => undefined }, fake);
    expect(calls()).toEqual([list, undo, ['--undo=imp-2', '--token', 'T']]);

    const source = new Y.Doc();
    source.getMap('cadres').set('c9', { name: '赵六' });
    const file = join(data.dir, 'list.ydoc');
    writeFileSync(file, Y.encodeStateAsUpdate(source));
    const lines: string[] = [];
    await runCli(
      ['import', '--data', data.dir, '--doc', 'unit:X04', '--file', file],
      { out: (l) => lines.push(l) },
      fake,
    );
    expect(lines).toEqual([expect.stringMatching(/^imported \d+ bytes into unit:X04/u)]);
    expect(calls()).toHaveLength(3);
  });

  it('the usage text shows how to list and undo spreadsheet imports', async () => {
    await expect(cli('help')).rejects.toThrow(/import {2}--list --server URL --token T[\s\S]*import {2}--undo ID/u);
  });
});

describe('npm run server options', () => {
  it('reads flags and DOSSIER_LENS_* variables, flags first, and validates them', () => {
    const parsed = optionsFrom(['--port', '0', '--idle-unload-ms', '50'], {
      DOSSIER_LENS_PORT: '999',
      DOSSIER_LENS_DATA: '/tmp/x',
      DOSSIER_LENS_SYNC: 'full',
    });
    expect(parsed.success && parsed.output).toMatchObject({
      port: 0,
      dataDir: '/tmp/x',
      synchronous: 'full',
      idleUnloadMs: 50,
      host: '127.0.0.1',
    });
    expect(optionsFrom(['--port', 'many'], {}).success).toBe(false);
    expect(optionsFrom([], { DOSSIER_LENS_SYNC: 'sometimes' }).success).toBe(false);
    expect(() => optionsFrom(['--bogus', '1'], {})).toThrow();
  });

  it('reads the limits and the origin policy, lists comma-separated, and refuses what is not an origin', () => {
    const parsed = optionsFrom(
      [
        '--allowed-origins',
        'chrome-extension://abcdefghijklmnopabcdefghijklmnop, https://portal.example.gov.cn',
        '--max-daily-bytes-per-user',
        '1024',
      ],
      {
        DOSSIER_LENS_ALLOWED_HOSTS: 'dossier.example.gov.cn',
        DOSSIER_LENS_MAX_CONNECTIONS_PER_USER: '8',
        DOSSIER_LENS_CLOSE_TIMEOUT_MS: '500',
      },
    );
    expect(parsed.success && parsed.output).toMatchObject({
      allowedOrigins: ['chrome-extension://abcdefghijklmnopabcdefghijklmnop', 'https://portal.example.gov.cn'],
      allowedHosts: ['dossier.example.gov.cn'],
      maxDailyBytesPerUser: 1024,
      maxConnectionsPerUser: 8,
      closeTimeoutMs: 500,
      maxDocumentBytes: 16 * 1024 * 1024,
      maxPresenceBytes: 8192,
    });
    expect(optionsFrom(['--allowed-origins', 'evil'], {}).success).toBe(false);
    expect(optionsFrom(['--allowed-hosts', 'a b'], {}).success).toBe(false);
  });
});

describe('npm run cli -- check', () => {
  it('says the store is ok, or lists what is wrong and fails', async () => {
    const healthy = tempDataDir();
    const out: string[] = [];
    try {
      await runCli(['check', '--data', healthy.dir], { out: (line) => out.push(line) });
      expect(out.at(-1)).toBe('store ok');
      writeFileSync(
        join(healthy.dir, 'integrity-alarm.json'),
        JSON.stringify({
          detectedAt: 'x',
          problems: [{ kind: 'lost-writes', detail: 'up to 3 acknowledged writes are missing' }],
        }),
      );
      await expect(runCli(['check', '--data', healthy.dir], { out: (line) => out.push(line) })).rejects.toThrow(
        /store damaged/u,
      );
      expect(out).toContain('lost-writes: up to 3 acknowledged writes are missing');
      await runCli(['check', '--data', healthy.dir, '--clear'], { out: (line) => out.push(line) });
      expect(out.at(-1)).toBe('store ok');
    } finally {
      healthy.remove();
    }
  });
});
