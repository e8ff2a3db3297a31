import * as v from 'valibot';
import { browser, type Browser } from 'wxt/browser';
import { requestSchema, type LookupResponse, type SearchResponse, type StatusResponse, type WipeResponse } from './messages.ts';
import { openDossierPanel } from './panel.ts';
import { listPortals, removePortal, syncOverlayRegistration } from './portals.ts';
import { wipeLocalData } from './wipe.ts';
import type { WorkspaceHost } from './workspace-host.ts';

/** How long a lookup waits for a first sync still under way (a device offline from the start). */
const LOOKUP_WAIT_MS = 10_000;

/**
 * Requests from extension pages. Only our own pages may ask: a content script on a portal is a
 * different sender (sender.tab with a web URL) and gets nothing from here.
 */
export function handleRequest(message: unknown, sender: Browser.runtime.MessageSender, host: WorkspaceHost): Promise<unknown> | undefined {
  const ownPage = sender.id === browser.runtime.id && (sender.url ?? '').startsWith(browser.runtime.getURL('/'));
  if (!ownPage) return undefined;
  const parsed = v.safeParse(requestSchema, message);
  if (!parsed.success) return undefined;
  const req = parsed.output;
  switch (req.type) {
    case 'wipe':
      return wipe(host);
    // The index answers only once the workspace has opened: right after enrolment or a wake-up
    // an empty answer would read as "no such person".
    case 'search':
      return host.settled().then(() => ({ results: host.current()?.index.search(req.query, req.limit) ?? [] }) satisfies SearchResponse);
    // A dossier asked for by id right after enrolment (a link, the side panel) is not in the index
    // until its unit has arrived: wait for it, or for the first sync to end, before saying "unknown".
    case 'lookup': {
      const find = () => req.subjects.map((s) => host.current()?.index.get(s.type, s.id) ?? null);
      return host
        .settled()
        .then(() => host.whenFound(() => find().every((r) => r !== null), LOOKUP_WAIT_MS))
        .then(() => ({ results: find() }) satisfies LookupResponse);
    }
    case 'status':
      return Promise.resolve({ status: host.status() ?? null } satisfies StatusResponse);
    case 'open-dossier': {
      const tabId = sender.tab?.id;
      if (tabId === undefined) return undefined;
      return openDossierPanel(tabId, { subject: req.subject }).then(() => ({ ok: true }));
    }
  }
}

async function wipe(host: WorkspaceHost): Promise<WipeResponse> {
  try {
    const before = (await indexedDB.databases()).map((d) => d.name).filter((n): n is string => !!n);
    // The workspace first, so its databases are closed (not merely blocked) when deleted.
    await host.wipe();
    // User-added portals go with their permissions; preset ones stay (they are the install's).
    for (const p of await listPortals()) if (!p.preset) await removePortal(p.pattern);
    const rest = await wipeLocalData();
    await syncOverlayRegistration();
    return { ok: true, removedDatabases: [...new Set([...before, ...rest])] };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
