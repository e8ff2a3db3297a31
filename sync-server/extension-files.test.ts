import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { optionsFrom } from './main.ts';
import { type TestServer, startTestServer, tempDataDir } from './testing.ts';

describe('GET /extension/<file>: the packaged extension, served with --extension-dir', () => {
  const data = tempDataDir();
  const dir = mkdtempSync(join(tmpdir(), 'dl-extension-dir-'));
  let server: TestServer;
  let bare: TestServer;
  const bareData = tempDataDir();
  const get = (s: TestServer, path: string) => fetch(`${s.url.replace('ws:', 'http:')}${path}`);

  beforeAll(async () => {
    writeFileSync(join(dir, 'updates.xml'), '<gupdate/>');
    writeFileSync(join(dir, 'updates.json'), '{"addons":{}}');
    writeFileSync(join(dir, 'dossier-lens-1.2.0.crx'), Buffer.from([0x43, 0x72, 0x32, 0x34, 3, 0, 0, 0]));
    writeFileSync(join(dir, 'dossier-lens-1.2.0.xpi'), 'PK');
    // What must never be served even if someone puts it there.
    writeFileSync(join(dir, 'signing.pem'), 'PRIVATE');
    writeFileSync(join(dir, '.updates.json'), '{}');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'updates.xml'), '<gupdate/>');
    writeFileSync(join(tmpdir(), 'dl-outside.json'), '{"secret":true}');
    server = await startTestServer(data.dir, { extensionDir: dir });
    bare = await startTestServer(bareData.dir);
  });
  afterAll(async () => {
    await server?.close();
    await bare?.close();
    data.remove();
    bareData.remove();
    rmSync(dir, { recursive: true, force: true });
    rmSync(join(tmpdir(), 'dl-outside.json'), { force: true });
  });

  test('the update manifests and packages, each with the type browsers expect, always revalidated', async () => {
    for (const [file, type, body] of [
      ['updates.xml', 'application/xml; charset=utf-8', '<gupdate/>'],
      ['updates.json', 'application/json; charset=utf-8', '{"addons":{}}'],
      ['dossier-lens-1.2.0.xpi', 'application/x-xpinstall', 'PK'],
    ] as const) {
      const res = await get(server, `/extension/${file}`);
      expect(
        [res.status, res.headers.get('content-type'), res.headers.get('cache-control'), await res.text()],
        file,
      ).toEqual([200, type, 'no-cache', body]);
    }
    const crx = await get(server, '/extension/dossier-lens-1.2.0.crx');
    expect([crx.status, crx.headers.get('content-type'), (await crx.arrayBuffer()).byteLength]).toEqual([
      200,
      'application/x-chrome-extension',
      8,
    ]);
  });

  test('nothing else: other types, dot files, sub-paths, escapes, missing files, other methods', async () => {
    for (const path of [
      '/extension/signing.pem',
      '/extension/.updates.json',
      '/extension/sub/updates.xml',
      '/extension/..%2Fdl-outside.json',
      '/extension/%2E%2E/dl-outside.json',
      '/extension/',
      '/extension/nope.crx',
    ]) {
      expect((await get(server, path)).status, path).toBe(404);
    }
    expect(
      (await fetch(`${server.url.replace('ws:', 'http:')}/extension/updates.xml`, { method: 'POST' })).status,
    ).toBe(405);
  });

  test('without --extension-dir the route answers 404', async () => {
    expect((await get(bare, '/extension/updates.xml')).status).toBe(404);
  });

  test('--extension-dir and DOSSIER_LENS_EXTENSION_DIR set it', () => {
    const flag = optionsFrom(['--extension-dir', '/srv/release/extension'], {});
    const env = optionsFrom([], { DOSSIER_LENS_EXTENSION_DIR: '/srv/x' });
    expect([flag.success && flag.output.extensionDir, env.success && env.output.extensionDir]).toEqual([
      '/srv/release/extension',
      '/srv/x',
    ]);
  });
});
