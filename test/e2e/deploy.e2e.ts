import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import type { Server as HttpServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, mintToken } from './support/index.ts';
import { badges } from './support/cdp-badges.ts';
import type { Page } from 'puppeteer-core';
import { launchFirefoxExtension, type FirefoxExtension } from './support/firefox.ts';
import { firefoxBadges } from './support/firefox-dom.ts';
import {
  FIREFOX_DISTRIBUTION,
  inPrivateMount,
  launchManagedChromium,
  policyFolders,
  type PolicyFolders,
} from './support/managed-browsers.ts';
import {
  expectedIndex,
  expectedLabel,
  PORTAL_CADRES,
  PORTAL_SEED,
  startFixtureServer,
} from './support/portal-fixtures.ts';
import { seed } from './support/seed.ts';

/**
 * The README's "Deployment" section, followed from scratch: its step-by-step block is run by bash
 * as it stands — only the variables of its first lines replaced (loopback addresses, temporary
 * folders) — so the token is minted, the release packaged (build included), the server started
 * serving it, and the policies installed exactly as written. Then Chromium and Firefox start with
 * nothing but those policies (in a private mount namespace each, see managed-browsers.ts) and the
 * extension must be there, installed from the server, enrolled as 张三 without a click, badging
 * the preset portal.
 */

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The block after the `deployment-steps` marker, with the given variables' values replaced. */
function deploymentScript(values: Record<string, string>): string {
  const block = /<!-- deployment-steps[^>]*-->\s*```sh\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error('README.md: no deployment-steps block');
  let script = block;
  for (const [name, value] of Object.entries(values)) {
    const line = new RegExp(`^${name}=.*$`, 'm');
    if (!line.test(script)) throw new Error(`README.md deployment block: no ${name}= line`);
    script = script.replace(line, `${name}='${value}'`);
  }
  return script;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s: Server = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** The machine's own policy files: the test must leave them as it found them. */
const MACHINE_POLICIES = [
  '/etc/chromium/policies/managed/dossier-lens.json',
  join(FIREFOX_DISTRIBUTION, 'policies.json'),
];
const machinePolicies = () => MACHINE_POLICIES.filter((p) => existsSync(p));

describe("the README's deployment section, followed from scratch", () => {
  const dl = mkdtempSync(join(tmpdir(), 'dl-deploy-'));
  const before = machinePolicies();
  let folders: PolicyFolders;
  let fixtures: { origin: string; server: HttpServer };
  let script: ReturnType<typeof spawn> | undefined;
  let port = 0;
  let officer = '';
  let labels: { ouyang: string; li: string } = { ouyang: '', li: '' };

  beforeAll(async () => {
    folders = policyFolders();
    fixtures = await startFixtureServer();
    port = await freePort();
    const steps = deploymentScript({
      DL: dl,
      PUBLIC: `http://127.0.0.1:${port}`,
      WS: `ws://127.0.0.1:${port}`,
      LISTEN: `--host 127.0.0.1 --port ${port}`,
      PORTALS: 'http://127.0.0.1/*',
      CHROMIUM_POLICIES: folders.chromiumPolicies,
      FIREFOX_POLICIES: folders.firefoxPolicies,
    });
    // Its own process group, so the server it leaves running is stopped with it.
    script = spawn('bash', ['-euo', 'pipefail', '-c', steps], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    script.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    script.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null>((resolve) => script!.on('exit', resolve));
    if (code !== 0) throw new Error(`the README's steps failed (exit ${code}):\n${output}`);
    // Step 3 left the server starting in the background.
    const end = Date.now() + 60_000;
    while (
      !(await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      ))
    ) {
      if (Date.now() > end) throw new Error(`the server of step 3 did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    // Dossiers to badge: an administrator seeds the fresh server, as an organisation would import.
    const data = join(dl, 'data');
    await seed(
      `ws://127.0.0.1:${port}`,
      mintToken(data, {
        user: 'seed',
        name: '种子',
        grants: [
          { role: 'admin', doc: 'workspace' },
          { role: 'editor', doc: 'unit:*' },
        ],
      }),
      PORTAL_SEED,
    );
    officer = mintToken(data, {
      user: 'reader',
      name: '读者',
      grants: [
        { role: 'viewer', doc: 'workspace' },
        { role: 'viewer', doc: 'unit:*' },
      ],
    });
    const index = await expectedIndex(`ws://127.0.0.1:${port}`, officer, PORTAL_CADRES);
    labels = { ouyang: expectedLabel(index, 'C004', '欧阳明'), li: expectedLabel(index, 'C005', '李娜') };
  }, 300_000); // the steps build the extension for both browsers: about a minute alone on the machine

  afterAll(async () => {
    if (script?.pid) {
      try {
        process.kill(-script.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    fixtures?.server.close();
    folders?.remove();
    rmSync(dl, { recursive: true, force: true });
  });

  test('what the steps produced: the signed packages and manifests, served; the policies in place, and only there', async () => {
    expect(machinePolicies()).toEqual(before);
    const xml = await (await fetch(`http://127.0.0.1:${port}/extension/updates.xml`)).text();
    const id = /appid="([a-p]{32})"/.exec(xml)?.[1];
    expect(xml).toContain(`codebase="http://127.0.0.1:${port}/extension/dossier-lens-`);
    const policy = JSON.parse(readFileSync(join(folders.chromiumPolicies, 'dossier-lens.json'), 'utf8'));
    expect(Object.keys(policy.ExtensionSettings)).toEqual([id]);
    expect(policy['3rdparty'].extensions[id!].serverUrl).toBe(`ws://127.0.0.1:${port}`);
    const crx = await fetch(`http://127.0.0.1:${port}/extension/${/dossier-lens-[\d.]+\.crx/.exec(xml)![0]}`);
    expect([
      crx.status,
      Buffer.from(await crx.arrayBuffer())
        .subarray(0, 4)
        .toString('latin1'),
    ]).toEqual([200, 'Cr24']);
    // The key is the organisation's: beside the release, never in the served folder.
    expect((await fetch(`http://127.0.0.1:${port}/extension/extension-key.pem`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${port}/extension/../extension-key.pem`)).status).toBe(404);
  });

  test('Chromium installs the CRX by policy and starts enrolled, badging the preset portal, without a click', async () => {
    const id = /appid="([a-p]{32})"/.exec(readFileSync(join(dl, 'release/extension/updates.xml'), 'utf8'))![1]!;
    const chromium = await launchManagedChromium(folders);
    try {
      const options = await chromium.context.newPage();
      // The browser downloads and installs it shortly after starting: until then the page fails.
      await expect
        .poll(
          async () => {
            await options.goto(`chrome-extension://${id}/options.html`).catch(() => undefined);
            return options
              .getByTestId('whoami-name')
              .textContent({ timeout: 2000 })
              .catch(() => '');
          },
          { timeout: 60_000, interval: 1000 },
        )
        .toContain('张三');
      await expect(options.locator('body').textContent()).resolves.toContain('此连接由单位统一配置');
      // The background syncs with the policy's connection (the options page shows its status).
      await expect
        .poll(() => options.getByTestId('status-line').getAttribute('data-connection'), { timeout: 30_000 })
        .toBe('online');
      const portal = await chromium.context.newPage();
      await portal.goto(`${fixtures.origin}/legacy-gbk.html`);
      await expect
        .poll(async () => (await badges(portal)).map((b) => b.label), { timeout: 30_000 })
        .toEqual(expect.arrayContaining([labels.ouyang, labels.li]));
    } finally {
      await chromium.close();
    }
  });

  test('Firefox ESR installs the XPI by policy and starts enrolled, badging the preset portal, without a click', async () => {
    const wrapper = inPrivateMount('/usr/bin/firefox-esr', folders.firefoxPolicies, FIREFOX_DISTRIBUTION);
    let ff: FirefoxExtension | undefined;
    try {
      ff = await launchFirefoxExtension({ install: false, executablePath: wrapper.path });
      const browser = ff;
      // The browser downloads and installs it shortly after starting: until then the page fails.
      let options: Page | undefined;
      await expect
        .poll(async () => (options = await browser.page('options.html').catch(() => undefined)) !== undefined, {
          timeout: 60_000,
          interval: 1000,
        })
        .toBe(true);
      const text = (selector: string) => options!.$eval(selector, (e) => e.textContent ?? '').catch(() => '');
      await expect.poll(() => text('[data-testid=whoami-name]'), { timeout: 20_000 }).toContain('张三');
      await expect.poll(() => text('body')).toContain('此连接由单位统一配置');
      await expect
        .poll(
          () => options!.$eval('[data-testid=status-line]', (e) => e.getAttribute('data-connection')).catch(() => null),
          { timeout: 30_000 },
        )
        .toBe('online');
      const portal = await ff.open(`${fixtures.origin}/legacy-gbk.html`);
      await expect
        .poll(async () => (await firefoxBadges(browser, portal)).map((b) => b.label), { timeout: 30_000 })
        .toEqual(expect.arrayContaining([labels.ouyang, labels.li]));
    } finally {
      await ff?.close();
      wrapper.remove();
    }
  });
});
