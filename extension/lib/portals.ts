import { browser } from 'wxt/browser';
import { MatchPattern } from 'wxt/utils/match-patterns';
import { readUserPortals, writeUserPortals } from './settings.ts';

/**
 * The portals the overlay runs on. Two sources:
 * - preset at build time (DOSSIER_LENS_PORTALS → the manifest's required host permissions), so a
 *   managed install needs no clicks;
 * - added by the user on the options page: each one is an optional host permission granted from
 *   that click, and removing it drops the permission again (least privilege).
 * The overlay content script is not in the manifest (WXT `registration: 'runtime'`); it is
 * registered here for exactly the portals that are granted, and re-checked at every startup.
 */

/** Where WXT puts the runtime-registered overlay (extension/entrypoints/overlay.content.ts). */
export const OVERLAY_SCRIPT = 'content-scripts/overlay.js';
const REGISTRATION_ID = 'dossier-lens-overlay';

export interface Portal {
  pattern: string;
  /** Preset by the organisation: cannot be removed from the options page. */
  preset: boolean;
  /** The host permission is currently granted (the user may revoke it in the browser's UI). */
  granted: boolean;
}

/**
 * Turns what a user types ("gbxt.example.gov.cn", "https://oa.local:8080/roster?x=1", or a match
 * pattern) into a match pattern for the whole site. Ports are dropped: Firefox's patterns have
 * none and Chrome's without a port match every port. Returns undefined when it is not a site.
 */
export function portalPattern(input: string): string | undefined {
  const text = input.trim();
  if (!text) return undefined;
  if (text.includes('*')) {
    try {
      new MatchPattern(text);
      return /^(https?|\*):\/\//.test(text) ? text : undefined;
    } catch {
      return undefined;
    }
  }
  try {
    const url = new URL(/^[a-z]+:\/\//i.test(text) ? text : `https://${text}`);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    if (!url.hostname) return undefined;
    return `${url.protocol}//${url.hostname}/*`;
  } catch {
    return undefined;
  }
}

/** The preset portals, read from the manifest that the build wrote from DOSSIER_LENS_PORTALS. */
export function presetPortals(): string[] {
  const m = browser.runtime.getManifest() as {
    manifest_version: number;
    host_permissions?: string[];
    permissions?: string[];
  };
  const hosts = m.manifest_version === 3 ? (m.host_permissions ?? []) : (m.permissions ?? []);
  return hosts.filter((p) => p === '<all_urls>' || p.includes('://'));
}

export async function listPortals(): Promise<Portal[]> {
  const preset = presetPortals();
  const user = (await readUserPortals()).filter((p) => !preset.includes(p));
  const all = [
    ...preset.map((pattern) => ({ pattern, preset: true })),
    ...user.map((pattern) => ({ pattern, preset: false })),
  ];
  return Promise.all(
    all.map(async (p) => ({ ...p, granted: await browser.permissions.contains({ origins: [p.pattern] }) })),
  );
}

/**
 * Adds a portal. MUST be called straight from the click handler: `permissions.request` only works
 * inside a user gesture, so nothing may be awaited before it. Returns false when the user declined.
 */
export async function addPortal(pattern: string): Promise<boolean> {
  const granted = await browser.permissions.request({ origins: [pattern] });
  if (!granted) return false;
  await writeUserPortals([...(await readUserPortals()), pattern]);
  await syncOverlayRegistration();
  return true;
}

/** Removes a user-added portal: the overlay stops being injected there and the permission goes. */
export async function removePortal(pattern: string): Promise<void> {
  await writeUserPortals((await readUserPortals()).filter((p) => p !== pattern));
  await syncOverlayRegistration();
  if (!presetPortals().includes(pattern)) await browser.permissions.remove({ origins: [pattern] });
}

/**
 * Makes the registered overlay match the granted portals exactly. Idempotent; called at startup,
 * after every change to the list, and when the user revokes a permission in the browser's UI.
 */
export async function syncOverlayRegistration(): Promise<string[]> {
  const matches = (await listPortals()).filter((p) => p.granted).map((p) => p.pattern);
  const existing = await browser.scripting.getRegisteredContentScripts({ ids: [REGISTRATION_ID] });
  const before = new Set(existing.flatMap((s) => s.matches ?? []));
  if (existing.length > 0) await browser.scripting.unregisterContentScripts({ ids: [REGISTRATION_ID] });
  if (matches.length > 0) {
    await browser.scripting.registerContentScripts([
      {
        id: REGISTRATION_ID,
        matches,
        js: [OVERLAY_SCRIPT],
        runAt: 'document_idle',
        // Same-origin frames of a portal are part of the portal (issue 5).
        allFrames: true,
        persistAcrossSessions: true,
      },
    ]);
    await badgeOpenTabs(matches.filter((m) => !before.has(m)));
  }
  return matches;
}

/**
 * A registration only reaches pages loaded after it. Tabs already showing a newly covered portal
 * (a page opened in the first moments of a new profile, before the background registered the
 * overlay; a portal just granted while its page is open) get the overlay injected now, instead of
 * waiting for a reload. The content script ignores a second start in the same frame.
 */
async function badgeOpenTabs(patterns: string[]): Promise<void> {
  if (patterns.length === 0) return;
  const tabs = await browser.tabs.query({ url: patterns }).catch(() => []);
  await Promise.all(
    tabs.map((tab) =>
      tab.id === undefined
        ? undefined
        : browser.scripting
            .executeScript({ target: { tabId: tab.id, allFrames: true }, files: [`/${OVERLAY_SCRIPT}` as const] })
            // A tab that navigated away or a frame we may not enter: nothing to badge there.
            .catch(() => undefined),
    ),
  );
}
