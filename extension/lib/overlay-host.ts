import * as v from 'valibot';
import { browser, type Browser } from 'wxt/browser';
import { MatchPattern } from 'wxt/utils/match-patterns';
import type { SubjectSummary } from '../../core/model/summary.ts';
import { hintsListSchema, type PortalHints } from '../overlay/hints.ts';
import { OVERLAY_PORT, openRequestSchema, type HostMessage } from '../overlay/protocol.ts';
import { listPortals } from './portals.ts';

/**
 * The background side of the overlay. It serves the local index to overlay content scripts over
 * a port — only to frames whose URL is an enabled portal, checked against the granted portal list
 * on every connection — relays badge clicks to the side panel, and owns the hide/show toggle
 * (toolbar button and the `toggle-badges` command), remembered per tab.
 */

export type OpenTarget =
  { type: 'cadre' | 'unit'; id: string } | { candidates: { type: 'cadre' | 'unit'; id: string }[] };

export interface OverlaySource {
  summaries(): SubjectSummary[];
  onChange(cb: () => void): () => void;
  openDossier(tabId: number, target: OpenTarget): Promise<void>;
}

type Port = Browser.runtime.Port;

/** Index pushes are coalesced: a sync burst re-sends the index once, not once per update. */
const PUSH_DELAY_MS = 150;

export async function portalFor(url: string | undefined): Promise<string | undefined> {
  if (!url || !/^https?:/.test(url)) return undefined;
  const granted = (await listPortals()).filter((p) => p.granted).map((p) => p.pattern);
  return granted.find((p) => {
    try {
      return new MatchPattern(p).includes(url);
    } catch {
      return false;
    }
  });
}

async function hintsFor(url: string): Promise<PortalHints | null> {
  // Policy-pushed hints win over locally edited ones.
  const areas: { get(key: string): Promise<Record<string, unknown>> }[] = [browser.storage.local];
  if (browser.storage.managed) areas.unshift(browser.storage.managed);
  for (const area of areas) {
    let raw: unknown;
    try {
      raw = (await area.get('overlayHints')).overlayHints;
    } catch {
      continue; // no managed storage schema entry or not supported
    }
    const parsed = v.safeParse(hintsListSchema, raw);
    if (!parsed.success) continue;
    const hit = parsed.output.find((h) => {
      try {
        return new MatchPattern(h.match).includes(url);
      } catch {
        return false;
      }
    });
    if (hit) return hit;
  }
  return null;
}

export function startOverlayHost(source: OverlaySource): () => void {
  const ports = new Set<Port>();
  const hidden = new Set<number>();
  /** Whether a non-empty index has been sent since this background started. */
  let hadIndex = false;
  const noteIndex = (subjects: SubjectSummary[]) => {
    if (subjects.length > 0) hadIndex = true;
    return subjects;
  };
  const action = browser.action ?? (browser as unknown as { browserAction?: typeof browser.action }).browserAction;

  const send = (port: Port, msg: HostMessage) => {
    try {
      port.postMessage(msg);
    } catch {
      ports.delete(port);
    }
  };

  /**
   * Each page's hints, read when it connects and again only when they change: a background just
   * woken by a page is busy reopening its units, and a storage read made then waits behind that
   * work (~250 ms, BENCHMARKS.md "Overlay from a cold background"), which the first index must not.
   */
  let portHints = new WeakMap<Port, Promise<PortalHints | null>>();
  const hintsOf = (port: Port) => {
    let hints = portHints.get(port);
    if (!hints) portHints.set(port, (hints = hintsFor(port.sender?.url ?? '')));
    return hints;
  };
  const onStorageChange = (changes: Record<string, unknown>) => {
    if ('overlayHints' in changes) portHints = new WeakMap();
  };
  browser.storage.onChanged.addListener(onStorageChange);

  const indexFor = async (port: Port): Promise<HostMessage> => ({
    type: 'index',
    subjects: noteIndex(source.summaries()),
    hints: await hintsOf(port),
    visible: !hidden.has(port.sender?.tab?.id ?? -1),
  });

  const onConnect = (port: Port) => {
    if (port.name !== OVERLAY_PORT) return;
    const url = port.sender?.url;
    void portalFor(url).then(async (portal) => {
      if (!portal || port.sender?.tab?.id === undefined) {
        port.disconnect();
        return;
      }
      ports.add(port);
      port.onDisconnect.addListener(() => {
        // A page going into the back/forward cache closes its port with a lastError; reading it
        // marks it handled (otherwise Chrome logs "Unchecked runtime.lastError" for every page left).
        void browser.runtime.lastError;
        ports.delete(port);
      });
      send(port, await indexFor(port));
    });
  };
  browser.runtime.onConnect.addListener(onConnect);

  let pushTimer: ReturnType<typeof setTimeout> | undefined;
  const offChange = source.onChange(() => {
    clearTimeout(pushTimer);
    // The first index after a start (the worker was stopped while idle, BENCHMARKS.md "Overlay
    // from a cold background"): the pages waiting on an empty index get it now, not coalesced.
    if (!hadIndex && source.summaries().length > 0) {
      for (const port of ports) void indexFor(port).then((m) => send(port, m));
      return;
    }
    pushTimer = setTimeout(() => {
      for (const port of ports) void indexFor(port).then((m) => send(port, m));
    }, PUSH_DELAY_MS);
  });

  // A badge click. Synchronous checks only: openDossier must start inside the user's gesture.
  const onMessage = (message: unknown, sender: Browser.runtime.MessageSender): undefined => {
    const parsed = v.safeParse(openRequestSchema, message);
    if (!parsed.success) return undefined;
    const tabId = sender.tab?.id;
    const fromPortal = [...ports].some((p) => p.sender?.tab?.id === tabId && p.sender?.frameId === sender.frameId);
    if (tabId === undefined || !fromPortal) return undefined;
    void source.openDossier(tabId, parsed.output.target);
    return undefined;
  };
  browser.runtime.onMessage.addListener(onMessage);

  const toggle = (tabId: number | undefined) => {
    if (tabId === undefined) return;
    const nowVisible = hidden.has(tabId);
    if (nowVisible) hidden.delete(tabId);
    else hidden.add(tabId);
    for (const port of ports) if (port.sender?.tab?.id === tabId) send(port, { type: 'visible', visible: nowVisible });
    // The toolbar button says when badges are hidden on this tab.
    void action?.setBadgeText({ tabId, text: nowVisible ? '' : '–' });
  };
  const onClicked = (tab: Browser.tabs.Tab) => toggle(tab.id);
  action?.onClicked.addListener(onClicked);
  const onCommand = (command: string, tab?: Browser.tabs.Tab) => {
    if (command !== 'toggle-badges') return;
    if (tab?.id !== undefined) return toggle(tab.id);
    void browser.tabs.query({ active: true, currentWindow: true }).then(([t]) => toggle(t?.id));
  };
  browser.commands?.onCommand.addListener(onCommand);
  const onRemoved = (tabId: number) => hidden.delete(tabId);
  browser.tabs.onRemoved.addListener(onRemoved);

  return () => {
    offChange();
    clearTimeout(pushTimer);
    browser.runtime.onConnect.removeListener(onConnect);
    browser.runtime.onMessage.removeListener(onMessage);
    action?.onClicked.removeListener(onClicked);
    browser.commands?.onCommand.removeListener(onCommand);
    browser.tabs.onRemoved.removeListener(onRemoved);
    browser.storage.onChanged.removeListener(onStorageChange);
    for (const port of ports) port.disconnect();
    ports.clear();
  };
}
