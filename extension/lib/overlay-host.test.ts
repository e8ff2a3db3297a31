import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { SubjectSummary } from '../../core/model/summary.ts';

/**
 * The background side of the overlay against a small hand-made `browser` (WXT's fakeBrowser
 * leaves ports, permissions and the manifest unimplemented): who gets the index, what a toolbar
 * click does, which clicks reach the side panel.
 */

type Listener = (...args: never[]) => unknown;
const event = () => {
  const ls = new Set<Listener>();
  return {
    addListener: (l: Listener) => void ls.add(l),
    removeListener: (l: Listener) => void ls.delete(l),
    fire: (...args: unknown[]) => [...ls].map((l) => (l as (...a: unknown[]) => unknown)(...args)),
  };
};

const state = vi.hoisted(() => ({
  local: {} as Record<string, unknown>,
  /** Storage reads of the hints, to see when they are read again. */
  hintReads: 0,
  granted: [] as string[],
  badge: new Map<number, string>(),
}));

const fake = vi.hoisted(() => {
  const fake = {} as Record<string, unknown>;
  // WXT's storage items reach the browser through @wxt-dev/browser, which is `chrome` outside an extension.
  (globalThis as { chrome?: unknown }).chrome = fake;
  return fake;
});
vi.mock('wxt/browser', () => ({ browser: fake }));

function resetBrowser() {
  state.local = {};
  state.hintReads = 0;
  state.granted = ['http://portal.test/*'];
  state.badge.clear();
  Object.assign(fake, {
    runtime: {
      id: 'ext',
      onConnect: event(),
      onMessage: event(),
      getManifest: () => ({ manifest_version: 3, host_permissions: ['http://portal.test/*'] }),
    },
    permissions: {
      contains: async ({ origins }: { origins: string[] }) => origins.every((o) => state.granted.includes(o)),
    },
    storage: {
      local: {
        get: async (k: string) => {
          if (k === 'overlayHints') state.hintReads++;
          return { [k]: state.local[k] };
        },
      },
      managed: { get: async () => Promise.reject(new Error('no policy')) },
      onChanged: event(),
    },
    action: {
      onClicked: event(),
      setBadgeText: async ({ tabId, text }: { tabId: number; text: string }) => void state.badge.set(tabId, text),
    },
    commands: { onCommand: event() },
    tabs: { onRemoved: event(), query: async () => [{ id: 7 }] },
  });
}

interface FakePort {
  name: string;
  sender: { url: string; tab: { id: number }; frameId: number };
  sent: unknown[];
  disconnected: boolean;
  postMessage(m: unknown): void;
  disconnect(): void;
  onDisconnect: ReturnType<typeof event>;
  /** Called after every message and disconnection: what `answered` waits on. */
  changed: (() => void)[];
}
const port = (url: string, tabId = 7, frameId = 0): FakePort => ({
  name: 'dossier-lens-overlay',
  sender: { url, tab: { id: tabId }, frameId },
  sent: [],
  disconnected: false,
  postMessage(m) {
    this.sent.push(m);
    for (const c of this.changed.splice(0)) c();
  },
  disconnect() {
    this.disconnected = true;
    for (const c of this.changed.splice(0)) c();
  },
  onDisconnect: event(),
  changed: [],
});

/** Resolves once the host has sent the port `count` messages or refused it (no clock involved). */
const answered = (p: FakePort, count = 1): Promise<void> =>
  p.sent.length >= count || p.disconnected
    ? Promise.resolve()
    : new Promise<void>((r) => p.changed.push(r)).then(() => answered(p, count));

const summary = (id: string): SubjectSummary => ({
  type: 'cadre',
  id,
  name: '张伟',
  aliases: [],
  unitCode: 'U01',
  unitName: '市教育局',
  post: '局长',
  dots: { red: 1, blue: 0, yellow: 0, black: 0 },
  grade: 'A',
  gradeReason: '',
  warnings: [],
  flags: 0,
  periods: [],
  invalid: 0,
});

const b = () =>
  fake as unknown as {
    runtime: { onConnect: ReturnType<typeof event>; onMessage: ReturnType<typeof event> };
    action: { onClicked: ReturnType<typeof event> };
    commands: { onCommand: ReturnType<typeof event> };
  };

describe('overlay host', () => {
  let summaries: SubjectSummary[];
  let change: () => void;
  let opened: { tabId: number; target: unknown }[];
  let stop: () => void;
  let reads: number;

  beforeEach(async () => {
    resetBrowser();
    summaries = [summary('C001')];
    opened = [];
    reads = 0;
    const { startOverlayHost } = await import('./overlay-host.ts');
    stop = startOverlayHost({
      summaries: () => (reads++, summaries),
      onChange(cb) {
        change = cb;
        return () => undefined;
      },
      openDossier: async (tabId, target) => void opened.push({ tabId, target }),
    });
    return () => stop();
  });

  it('serves the index, with the portal hints, only to frames of granted portals', async () => {
    state.local.overlayHints = [
      { match: 'http://portal.test/*', name: 'td.xm' },
      { match: 'http://other.test/*', name: 'x' },
    ];
    const good = port('http://portal.test/roster');
    const bad = port('https://elsewhere.test/');
    b().runtime.onConnect.fire(good);
    b().runtime.onConnect.fire(bad);
    await Promise.all([answered(good), answered(bad)]);
    expect(good.sent).toEqual([
      { type: 'index', subjects: summaries, hints: { match: 'http://portal.test/*', name: 'td.xm' }, visible: true },
    ]);
    expect(bad.sent).toEqual([]);
    expect(bad.disconnected).toBe(true);
  });

  it('reads a page’s hints when it connects, and again only once they change', async () => {
    state.local.overlayHints = [{ match: 'http://portal.test/*', name: 'td.xm' }];
    const p = port('http://portal.test/roster');
    b().runtime.onConnect.fire(p);
    await answered(p);
    expect(state.hintReads).toBe(1);
    // A just-woken background is busy reopening its units: the index it pushes then does not wait
    // for another storage read.
    vi.useFakeTimers();
    try {
      summaries = [summary('C001'), summary('C002')];
      change();
      await vi.runAllTimersAsync();
      await answered(p, 2);
      expect(state.hintReads).toBe(1);
      expect((p.sent[1] as { hints: unknown }).hints).toEqual({ match: 'http://portal.test/*', name: 'td.xm' });

      // The hints change: the next index carries the new ones.
      state.local.overlayHints = [{ match: 'http://portal.test/*', name: 'td.name' }];
      (fake.storage as { onChanged: ReturnType<typeof event> }).onChanged.fire({ overlayHints: {} }, 'local');
      summaries = [summary('C001')];
      change();
      await vi.runAllTimersAsync();
      await answered(p, 3);
      expect(state.hintReads).toBe(2);
      expect((p.sent[2] as { hints: unknown }).hints).toEqual({ match: 'http://portal.test/*', name: 'td.name' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('after a start, the first index reaches the pages waiting on an empty one at once, not coalesced', async () => {
    summaries = [];
    const p = port('http://portal.test/');
    b().runtime.onConnect.fire(p);
    await answered(p);
    expect((p.sent[0] as { subjects: unknown[] }).subjects).toEqual([]);
    // Fake timers: 1 ms of clock is far short of the coalescing delay (150 ms).
    vi.useFakeTimers();
    try {
      summaries = [summary('C001')];
      change();
      await vi.advanceTimersByTimeAsync(1);
      expect(p.sent).toHaveLength(2);
      expect((p.sent[1] as { subjects: unknown[] }).subjects).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('re-sends the index when it changes, coalesced', async () => {
    const p = port('http://portal.test/');
    b().runtime.onConnect.fire(p);
    await answered(p);
    // Fake timers: "only one push" is shown by running every timer there is, not by waiting.
    vi.useFakeTimers();
    try {
      summaries = [summary('C001'), summary('C002')];
      const before = reads;
      change();
      change();
      expect(p.sent).toHaveLength(1); // nothing before the delay
      await vi.runAllTimersAsync();
      await answered(p, 2);
      expect(vi.getTimerCount()).toBe(0);
      expect(reads - before).toBe(1); // one push was built, for both changes
      expect(p.sent).toHaveLength(2);
      expect((p.sent[1] as { subjects: unknown[] }).subjects).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('the toolbar button and the command hide and show the badges of that tab only', async () => {
    const here = port('http://portal.test/', 7);
    const there = port('http://portal.test/', 8);
    b().runtime.onConnect.fire(here);
    b().runtime.onConnect.fire(there);
    await Promise.all([answered(here), answered(there)]);
    b().action.onClicked.fire({ id: 7 });
    expect(here.sent.at(-1)).toEqual({ type: 'visible', visible: false });
    expect(state.badge.get(7)).toBe('–');
    expect(there.sent).toHaveLength(1);
    b().commands.onCommand.fire('toggle-badges', { id: 7 });
    expect(here.sent.at(-1)).toEqual({ type: 'visible', visible: true });
    expect(state.badge.get(7)).toBe('');
    // A page opened in the hidden tab starts hidden.
    b().action.onClicked.fire({ id: 8 });
    const later = port('http://portal.test/next', 8);
    b().runtime.onConnect.fire(later);
    await answered(later);
    expect((later.sent[0] as { visible: boolean }).visible).toBe(false);
  });

  it('relays a badge click from a connected portal frame, and nothing else', async () => {
    const frame = port('http://portal.test/', 7, 0);
    b().runtime.onConnect.fire(frame);
    await answered(frame);
    const msg = { type: 'overlay:open', target: { type: 'cadre', id: 'C001' } };
    b().runtime.onMessage.fire(msg, { tab: { id: 7 }, frameId: 0, url: 'http://portal.test/' });
    b().runtime.onMessage.fire(msg, { tab: { id: 7 }, frameId: 3, url: 'http://portal.test/frame' }); // not connected
    b().runtime.onMessage.fire(msg, { tab: { id: 9 }, frameId: 0, url: 'https://elsewhere.test/' });
    b().runtime.onMessage.fire(
      { type: 'overlay:open', target: { type: 'cadre', id: '' } },
      { tab: { id: 7 }, frameId: 0 },
    );
    b().runtime.onMessage.fire(
      { type: 'overlay:open', target: { candidates: [{ type: 'x', id: 'C1' }] } },
      { tab: { id: 7 }, frameId: 0 },
    );
    const pick = {
      type: 'overlay:open',
      target: {
        candidates: [
          { type: 'cadre', id: 'C001' },
          { type: 'cadre', id: 'C002' },
        ],
      },
    };
    b().runtime.onMessage.fire(pick, { tab: { id: 7 }, frameId: 0 });
    expect(opened).toEqual([
      { tabId: 7, target: { type: 'cadre', id: 'C001' } },
      { tabId: 7, target: pick.target },
    ]);
  });
});
