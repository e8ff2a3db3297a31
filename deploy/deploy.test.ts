import { afterAll, describe, expect, test } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSigningKey, extensionId, packCrx } from './crx.ts';
import { optionsFrom } from './package.ts';
import { chromiumPolicy, firefoxPolicies, firefoxUpdates } from './policies.ts';
import { packXpi } from './xpi.ts';

const work = mkdtempSync(join(tmpdir(), 'dl-deploy-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Entry names of a zip, from its central directory. */
function zipEntries(file: string): string[] {
  const buf = readFileSync(file);
  const names: string[] = [];
  for (
    let i = buf.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    i >= 0;
    i = buf.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), i + 46)
  ) {
    const len = buf.readUInt16LE(i + 28);
    names.push(buf.subarray(i + 46, i + 46 + len).toString('utf8'));
  }
  return names;
}

describe('packages', () => {
  const ext = join(work, 'ext');
  mkdirSync(join(ext, 'assets'), { recursive: true });
  writeFileSync(
    join(ext, 'manifest.json'),
    JSON.stringify({ manifest_version: 3, name: 'x', version: '1.2.0', minimum_chrome_version: '109' }),
  );
  writeFileSync(join(ext, 'assets', 'a.js'), 'console.log(1)');

  test("a CRX3 signed with the key: its ID is the key's, the update manifest points at it", async () => {
    const key = join(work, 'k.pem');
    createSigningKey(key);
    const id = await packCrx(ext, {
      keyPath: key,
      crxPath: join(work, 'x.crx'),
      xmlPath: join(work, 'updates.xml'),
      crxUrl: 'https://s.example/extension/x.crx',
    });
    expect(id).toMatch(/^[a-p]{32}$/);
    expect(id).toBe(extensionId(readFileSync(key, 'utf8')));
    expect(readFileSync(join(work, 'x.crx')).subarray(0, 4).toString('latin1')).toBe('Cr24');
    expect(readFileSync(join(work, 'updates.xml'), 'utf8')).toContain(`<app appid="${id}">`);
    expect(readFileSync(join(work, 'updates.xml'), 'utf8')).toContain(
      'codebase="https://s.example/extension/x.crx" version="1.2.0" prodversionmin="109"',
    );
  });

  test('a key is never replaced, and a missing one is an error, not a new identity', async () => {
    expect(() => createSigningKey(join(work, 'k.pem'))).toThrow(/never replaced/);
    await expect(
      packCrx(ext, {
        keyPath: join(work, 'none.pem'),
        crxPath: join(work, 'y.crx'),
        xmlPath: join(work, 'y.xml'),
        crxUrl: 'x',
      }),
    ).rejects.toThrow(/no signing key/);
  });

  test('an XPI is a zip with manifest.json at its root', async () => {
    await packXpi(ext, join(work, 'x.xpi'));
    expect(zipEntries(join(work, 'x.xpi')).sort()).toEqual(['assets/a.js', 'manifest.json']);
  });
});

describe('update manifests and policies', () => {
  test('Firefox updates.json: the version, the XPI and the minimum Firefox', () => {
    expect(firefoxUpdates({ id: 'a@b', version: '1.2.0', xpiUrl: 'https://s/x.xpi', minVersion: '128.0' })).toEqual({
      addons: {
        'a@b': {
          updates: [
            {
              version: '1.2.0',
              update_link: 'https://s/x.xpi',
              applications: { gecko: { strict_min_version: '128.0' } },
            },
          ],
        },
      },
    });
  });

  test('Chromium: force-installed from the update manifest; the configuration only when given', () => {
    expect(chromiumPolicy({ id: 'abc', updateUrl: 'https://s/updates.xml' })).toEqual({
      ExtensionSettings: {
        abc: { installation_mode: 'force_installed', update_url: 'https://s/updates.xml', toolbar_pin: 'force_pinned' },
      },
    });
    expect(chromiumPolicy({ id: 'abc', updateUrl: 'u', managed: { serverUrl: 'wss://s', token: 't' } })).toMatchObject({
      '3rdparty': { extensions: { abc: { serverUrl: 'wss://s', token: 't' } } },
    });
  });

  test('Firefox: plain-http updates are allowed only when the packages are served over http', () => {
    const prefs = (xpiUrl: string) =>
      (firefoxPolicies({ id: 'a@b', xpiUrl, unsigned: false }) as { policies: { Preferences?: object } }).policies
        .Preferences;
    expect(prefs('https://s/x.xpi')).toBeUndefined();
    expect(prefs('http://10.1.2.3/x.xpi')).toEqual({
      'extensions.checkUpdateSecurity': { Value: false, Status: 'locked' },
    });
  });

  test('Firefox: force-installed from the XPI, unsigned allowed, the configuration for the add-on id', () => {
    expect(
      firefoxPolicies({ id: 'a@b', xpiUrl: 'https://s/x.xpi', unsigned: true, managed: { serverUrl: 'wss://s' } }),
    ).toEqual({
      policies: {
        ExtensionSettings: { 'a@b': { installation_mode: 'force_installed', install_url: 'https://s/x.xpi' } },
        Preferences: { 'xpinstall.signatures.required': { Value: false, Status: 'locked' } },
        '3rdparty': { Extensions: { 'a@b': { serverUrl: 'wss://s' } } },
      },
    });
  });
});

describe('npm run package options', () => {
  const base = ['--key', 'k.pem', '--base-url', 'https://sync.example.gov.cn/extension/'];

  test("the release's fields, the base URL without its trailing slash", () => {
    const o = optionsFrom([
      ...base,
      '--server-url',
      'wss://sync.example.gov.cn',
      '--token',
      'T',
      '--portals',
      'https://gbxt.example.gov.cn/*, http://10.1.2.3/*',
      '--version',
      '1.2.3',
      '--no-build',
    ]);
    expect(o).toMatchObject({
      baseUrl: 'https://sync.example.gov.cn/extension',
      managed: { serverUrl: 'wss://sync.example.gov.cn', token: 'T' },
      portals: ['https://gbxt.example.gov.cn/*', 'http://10.1.2.3/*'],
      version: '1.2.3',
      build: false,
      newKey: false,
    });
  });

  test('each bad option is named', () => {
    expect(() => optionsFrom(['--base-url', 'https://s/x'])).toThrow(/--key/);
    expect(() => optionsFrom(['--key', 'k.pem'])).toThrow(/--base-url/);
    expect(() => optionsFrom([...base, '--token', 'T'])).toThrow(/--token goes with --server-url/);
    expect(() => optionsFrom([...base, '--server-url', 'ftp://x'])).toThrow(/--server-url/);
    expect(() => optionsFrom([...base, '--version', '1.x'])).toThrow(/--version/);
    expect(() => optionsFrom([...base, '--portals', 'gbxt.example.gov.cn'])).toThrow(
      /--portals: "gbxt.example.gov.cn" is not a match pattern/,
    );
    expect(() => optionsFrom([...base, '--colour', 'red'])).toThrow(/colour/);
  });
});
