/**
 * `npm run package -- --key KEY.pem --base-url URL [--new-key] [--server-url URL [--token T]]
 *   [--portals LIST] [--version V] [--out DIR] [--no-build]`
 *
 * One command from the sources to what an organisation deploys (README, "Deployment"):
 *   OUT/extension/  dossier-lens-V.crx (signed with KEY), updates.xml, dossier-lens-V.xpi,
 *                   updates.json — served as they are (`npm run server -- --extension-dir`)
 *   OUT/policies/   chromium/dossier-lens.json, firefox/policies.json — copied to the machines;
 *                   never served (they may carry a token)
 * The build (`wxt build` for both browsers) is staged with the release's manifest fields: the
 * update URLs (under --base-url), the preset portals (--portals, as DOSSIER_LENS_PORTALS would
 * set them) and the version (--version, else package.json's). Exit 0 and a summary on stdout;
 * exit 2 with one message on stderr for bad options; exit 1 with one message when packaging
 * fails (no key at --key, or one already there when --new-key asks to make it).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createSigningKey, packCrx } from './crx.ts';
import { chromiumPolicy, firefoxPolicies, firefoxUpdates, type ManagedConfig } from './policies.ts';
import { parsePortals } from './portal-patterns.ts';
import { packXpi } from './xpi.ts';

const ROOT = resolve(import.meta.dirname, '..');
const NAME = 'dossier-lens';

export interface PackageOptions {
  key: string;
  newKey: boolean;
  /** Where OUT/extension/ will be served from, e.g. https://sync.example.gov.cn/extension */
  baseUrl: string;
  managed?: ManagedConfig;
  portals?: string[];
  version?: string;
  out: string;
  build: boolean;
}

export interface PackageResult {
  id: string;
  geckoId: string;
  version: string;
  files: {
    crx: string;
    updatesXml: string;
    xpi: string;
    updatesJson: string;
    chromiumPolicy: string;
    firefoxPolicies: string;
  };
}

export function optionsFrom(argv: string[]): PackageOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      key: { type: 'string' },
      'new-key': { type: 'boolean', default: false },
      'base-url': { type: 'string' },
      'server-url': { type: 'string' },
      token: { type: 'string' },
      portals: { type: 'string' },
      version: { type: 'string' },
      out: { type: 'string', default: '.output/release' },
      'no-build': { type: 'boolean', default: false },
    },
  });
  if (!values.key) throw new Error('--key: the path of the signing key (PEM) is required');
  const baseUrl = (values['base-url'] ?? '').replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/i.test(baseUrl))
    throw new Error(
      '--base-url: the http(s) address the packages will be served from is required, e.g. https://sync.example.gov.cn/extension',
    );
  const serverUrl = values['server-url'];
  if (serverUrl !== undefined && !/^(wss?|https?):\/\/[^/]+/i.test(serverUrl))
    throw new Error(`--server-url: "${serverUrl}" is not a ws(s):// or http(s):// address`);
  if (values.token !== undefined && serverUrl === undefined)
    throw new Error('--token goes with --server-url (the policy enrols with both)');
  if (values.version !== undefined && !/^\d+(\.\d+){0,3}$/.test(values.version))
    throw new Error(`--version: "${values.version}" is not 1 to 4 dot-separated numbers`);
  return {
    key: resolve(values.key),
    newKey: values['new-key'],
    baseUrl,
    ...(serverUrl !== undefined ? { managed: { serverUrl, ...(values.token ? { token: values.token } : {}) } } : {}),
    ...(values.portals !== undefined ? { portals: parsePortals(values.portals, '--portals') } : {}),
    ...(values.version !== undefined ? { version: values.version } : {}),
    out: resolve(values.out),
    build: !values['no-build'],
  };
}

type Manifest = Record<string, unknown> & {
  version: string;
  permissions?: string[];
  browser_specific_settings?: { gecko?: Record<string, unknown> };
};

function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
}

/** A copy of a build with the release's manifest fields. */
function stage(from: string, to: string, edit: (m: Manifest) => void): Manifest {
  if (!existsSync(join(from, 'manifest.json'))) throw new Error(`${from}: no build (run without --no-build)`);
  rmSync(to, { recursive: true, force: true });
  cpSync(from, to, { recursive: true });
  const manifest = readManifest(to);
  edit(manifest);
  writeFileSync(join(to, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return manifest;
}

export async function packageRelease(o: PackageOptions): Promise<PackageResult> {
  if (o.newKey) createSigningKey(o.key);
  else if (!existsSync(o.key))
    throw new Error(
      `${o.key}: no signing key. Make one once with --new-key and keep it: it is the extension's identity`,
    );
  if (o.build) {
    // The portals go into the staged manifests below, whatever the environment says.
    const env = { ...process.env, DOSSIER_LENS_PORTALS: '' };
    execFileSync('npx', ['wxt', 'build'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], env });
    execFileSync('npx', ['wxt', 'build', '-b', 'firefox'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], env });
  }
  const served = join(o.out, 'extension');
  const policies = join(o.out, 'policies');
  const staging = join(o.out, '.staging');
  mkdirSync(served, { recursive: true });
  mkdirSync(join(policies, 'chromium'), { recursive: true });
  mkdirSync(join(policies, 'firefox'), { recursive: true });
  try {
    const chrome = stage(join(ROOT, '.output/chrome-mv3'), join(staging, 'chrome'), (m) => {
      if (o.version) m.version = o.version;
      if (o.portals) m.host_permissions = o.portals;
      m.update_url = `${o.baseUrl}/updates.xml`;
    });
    const version = chrome.version;
    const firefox = stage(join(ROOT, '.output/firefox-mv2'), join(staging, 'firefox'), (m) => {
      m.version = version;
      if (o.portals)
        m.permissions = [
          ...(m.permissions ?? []).filter((p) => !p.includes('://') && p !== '<all_urls>'),
          ...o.portals,
        ];
      m.browser_specific_settings = {
        ...m.browser_specific_settings,
        gecko: { ...m.browser_specific_settings?.gecko, update_url: `${o.baseUrl}/updates.json` },
      };
    });
    const gecko = firefox.browser_specific_settings?.gecko ?? {};
    const geckoId = String(gecko.id);

    const files = {
      crx: join(served, `${NAME}-${version}.crx`),
      updatesXml: join(served, 'updates.xml'),
      xpi: join(served, `${NAME}-${version}.xpi`),
      updatesJson: join(served, 'updates.json'),
      chromiumPolicy: join(policies, 'chromium', `${NAME}.json`),
      firefoxPolicies: join(policies, 'firefox', 'policies.json'),
    };
    const url = (file: string) => `${o.baseUrl}/${file.slice(served.length + 1)}`;
    const id = await packCrx(join(staging, 'chrome'), {
      keyPath: o.key,
      crxPath: files.crx,
      xmlPath: files.updatesXml,
      crxUrl: url(files.crx),
    });
    await packXpi(join(staging, 'firefox'), files.xpi);
    const minFirefox = typeof gecko.strict_min_version === 'string' ? gecko.strict_min_version : undefined;
    const json = (v: object) => `${JSON.stringify(v, null, 2)}\n`;
    writeFileSync(
      files.updatesJson,
      json(
        firefoxUpdates({
          id: geckoId,
          version,
          xpiUrl: url(files.xpi),
          ...(minFirefox ? { minVersion: minFirefox } : {}),
        }),
      ),
    );
    const managed = o.managed ? { managed: o.managed } : {};
    // Owner-only: a policy with a token is a credential.
    writeFileSync(files.chromiumPolicy, json(chromiumPolicy({ id, updateUrl: url(files.updatesXml), ...managed })), {
      mode: 0o600,
    });
    writeFileSync(
      files.firefoxPolicies,
      json(firefoxPolicies({ id: geckoId, xpiUrl: url(files.xpi), unsigned: true, ...managed })),
      { mode: 0o600 },
    );
    return { id, geckoId, version, files };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function summary(r: PackageResult, o: PackageOptions): string {
  return [
    `Dossier Lens ${r.version} packaged`,
    `  Chromium extension ID: ${r.id} (from ${o.key})`,
    `  Firefox add-on ID: ${r.geckoId}`,
    `served (npm run server -- --extension-dir ${join(o.out, 'extension')}), at ${o.baseUrl}/:`,
    `  ${r.files.crx}`,
    `  ${r.files.updatesXml}`,
    `  ${r.files.xpi} (unsigned)`,
    `  ${r.files.updatesJson}`,
    `policies${o.managed?.token ? ' (they carry the token: copy them to the machines, never serve them)' : ''}:`,
    `  ${r.files.chromiumPolicy} → /etc/chromium/policies/managed/`,
    `  ${r.files.firefoxPolicies} → /etc/firefox/policies/`,
    '',
  ].join('\n');
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (invokedDirectly) {
  let options: PackageOptions;
  try {
    options = optionsFrom(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  try {
    process.stdout.write(summary(await packageRelease(options), options));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
}
