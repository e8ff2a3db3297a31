import * as v from 'valibot';
import { browser, type Browser } from 'wxt/browser';
import {
  requestSchema,
  type LookupResponse,
  type SearchResponse,
  type StatusResponse,
  type WipeResponse,
} from './messages.ts';
import { openDossierPanel } from './panel.ts';
import { listPortals, removePortal, syncOverlayRegistration } from './portals.ts';
import { wipeLocalData } from './wipe.ts';
import type { WorkspaceHost } from './workspace-host.ts';

/**
 * Requests from extension pages. Only our own pages may ask: a content script on a portal is a
 * different sender (sender.tab with a web URL) and gets nothing from here.
 */
export function handleRequest(
  message: unknown,
  sender: Browser.runtime.MessageSender,
  host: WorkspaceHost,
): Promise<unknown> | undefined {
  const ownPage = sender.id === browser.runtime.id && (sender.url ?? '').startsWith(browser.runtime.getURL('/'));
  if (!ownPage) return undefined;
  const parsed = v.safeParse(requestSchema, message);
  if (!parsed.success) return undefined;
  const req = parsed.output;
  switch (req.type) {
    case 'wipe':
      return wipeDevice(host);
    // The index answers only once the workspace has opened: right after enrolment or a wake-up
    // an empty answer would read as "no such person".
    case 'search':
      return host
        .settled()
        .then(() => ({ results: host.current()?.index.search(req.query, req.limit) ?? [] }) satisfies SearchResponse);
    // A lookup needs only the workspace, not every unit read: a subject not indexed yet is held
    // for (see `lookup`), so the dossier shows as soon as its own unit is here.
    case 'lookup':
      return host.available().then(() => lookup(host, req.subjects, req.wait ?? false));
    case 'status':
      return Promise.resolve({ status: host.status() ?? null } satisfies StatusResponse);
    case 'open-dossier': {
      const tabId = sender.tab?.id;
      if (tabId === undefined) return undefined;
      return openDossierPanel(tabId, { subject: req.subject }).then(() => ({ ok: true }));
    }
  }
}

/** How long a waiting lookup is held at most: the page asks again, so a restarted worker is noticed. */
const LOOKUP_WAIT_MS = 20_000;

/**
 * Answers at once when every subject is indexed. Otherwise held: a first lookup (`wait` false)
 * until a subject is found or the workspace has read every unit on this device (then what is
 * missing is either on its way, `sync.pending`, or nowhere); a waiting one also until the first
 * sync moves on (a unit arrived, the directory came, the connection changed).
 */
function lookup(
  host: WorkspaceHost,
  subjects: readonly { type: 'cadre' | 'unit'; id: string }[],
  wait: boolean,
): Promise<LookupResponse> | LookupResponse {
  const answer = (): LookupResponse => {
    const index = host.current()?.index;
    return {
      results: subjects.map((s) => index?.get(s.type, s.id) ?? null),
      sync: host.firstSync()?.progress() ?? null,
    };
  };
  const first = answer();
  const tracker = host.firstSync();
  if (!tracker || first.results.every((r) => r !== null) || (wait && !first.sync?.pending)) return first;
  const before = JSON.stringify(first.sync);
  return new Promise<LookupResponse>((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      off();
      resolve(answer());
    };
    const off = tracker.onChange(() => {
      const now = answer();
      if (now.results.some((r, i) => r !== first.results[i]) || (wait && JSON.stringify(now.sync) !== before)) finish();
    });
    if (!wait) void host.settled().then(finish);
    const timer = setTimeout(finish, LOOKUP_WAIT_MS);
  });
}

/** "清除本机数据": the options page's button, and a token found revoked (data-key.ts). */
export async function wipeDevice(host: WorkspaceHost): Promise<WipeResponse> {
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
