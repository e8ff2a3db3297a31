import { chromium, type BrowserContext } from 'playwright-core';
import { chmodSync, cpSync, lstatSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Browsers that read enterprise policies from the real places, scoped to one test. Chromium on
 * Linux reads /etc/chromium/policies/managed/*.json and Firefox its installation's
 * distribution/policies.json; both are global to the machine, and other engineers run browsers
 * here concurrently. So each browser starts in a private mount namespace (`unshare --mount`, as
 * root) where a copy of that folder, holding the test's policy files, is bind-mounted over the
 * real one: the browser reads its policies exactly where an organisation's machines would, and
 * nothing outside that process tree sees them.
 */

/** The policy folders as the README's deployment section names them, and where their copies are. */
export interface PolicyFolders {
  /** A copy of /etc/chromium; the policies go in its policies/managed/. */
  chromiumEtc: string;
  /** Where the README's step puts the Chromium policy (CHROMIUM_POLICIES). */
  chromiumPolicies: string;
  /** A copy of /usr/lib/firefox-esr/distribution (FIREFOX_POLICIES): policies.json goes there. */
  firefoxPolicies: string;
  remove(): void;
}

/**
 * Debian's firefox-esr distribution folder. It is a symbolic link (to /usr/share/firefox-esr/…):
 * the folder itself is resolved, both to copy it (a copy of the link would lead every write
 * straight back into the machine's real folder) and to mount over it.
 */
export const FIREFOX_DISTRIBUTION = realpathSync('/usr/lib/firefox-esr/distribution');

/** A real copy of `from` (links followed), never a link back to it. */
function copyFolder(from: string, to: string): void {
  cpSync(realpathSync(from), to, { recursive: true, dereference: true });
  if (!lstatSync(to).isDirectory()) throw new Error(`${to} is not a folder of its own`);
}

export function policyFolders(): PolicyFolders {
  const dir = mkdtempSync(join(tmpdir(), 'dl-policies-'));
  const chromiumEtc = join(dir, 'etc-chromium');
  copyFolder('/etc/chromium', chromiumEtc);
  const firefoxPolicies = join(dir, 'firefox-distribution');
  copyFolder(FIREFOX_DISTRIBUTION, firefoxPolicies);
  return {
    chromiumEtc,
    chromiumPolicies: join(chromiumEtc, 'policies/managed'),
    firefoxPolicies,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** An executable that runs `binary` with `source` bind-mounted over `target`, in its own mount namespace. */
export function inPrivateMount(binary: string, source: string, target: string): { path: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'dl-ns-'));
  const path = join(dir, 'browser');
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  writeFileSync(
    path,
    '#!/bin/sh\n' +
      `exec unshare --mount --propagation private /bin/sh -c 'mount --bind "$0" "$1" && shift && exec "$@"' ` +
      `${quote(source)} ${quote(target)} ${quote(binary)} "$@"\n`,
  );
  chmodSync(path, 0o755);
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Debian's Chromium with the policies in `folders` and nothing loaded by hand: whatever extension
 * runs was installed by policy. Playwright's defaults turn off extensions and the background
 * networking their installer uses; both are left on here. One policy of the test's own is added
 * beside the organisation's: Chromium keeps DevTools — which Playwright drives pages through —
 * off the pages of policy-installed extensions unless DeveloperToolsAvailability allows them.
 */
export async function launchManagedChromium(
  folders: PolicyFolders,
): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  mkdirSync(folders.chromiumPolicies, { recursive: true });
  writeFileSync(
    join(folders.chromiumPolicies, 'test-devtools.json'),
    JSON.stringify({ DeveloperToolsAvailability: 1 }),
  );
  const wrapper = inPrivateMount(
    process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    folders.chromiumEtc,
    '/etc/chromium',
  );
  const profile = mkdtempSync(join(tmpdir(), 'dl-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: wrapper.path,
    headless: false, // --headless=new below, as in extension.ts
    locale: 'zh-CN',
    env: { ...process.env, LANG: 'zh_CN.UTF-8', LANGUAGE: 'zh_CN' },
    viewport: { width: 420, height: 900 },
    ignoreDefaultArgs: ['--disable-extensions', '--disable-background-networking'],
    args: ['--headless=new', '--lang=zh-CN', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync'],
  });
  return {
    context,
    async close() {
      await context.close();
      wrapper.remove();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
