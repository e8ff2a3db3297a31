import { beforeEach, describe, expect, it, vi } from 'vitest';

/**
 * The settings kept through WXT's storage items, against a hand-made storage that fires change
 * events as the browser does: the keys and stored shapes stay those installed extensions already
 * have, and a write of several items is one change event.
 */
const { areas, events } = vi.hoisted(() => {
  type Listener = (changes: Record<string, { oldValue?: unknown; newValue?: unknown }>, area: string) => void;
  const events = { any: new Set<Listener>(), local: new Set<Listener>(), session: new Set<Listener>() };
  const areas = { local: {} as Record<string, unknown>, session: {} as Record<string, unknown> };
  const area = (name: 'local' | 'session') => {
    const data = () => areas[name];
    const fire = (changes: Record<string, { oldValue?: unknown; newValue?: unknown }>) => {
      if (Object.keys(changes).length === 0) return;
      for (const l of events[name]) l(changes, name);
      for (const l of events.any) l(changes, name);
    };
    return {
      get: async (keys: string | string[] | null) =>
        keys === null
          ? structuredClone(data())
          : Object.fromEntries(
              (Array.isArray(keys) ? keys : [keys])
                .filter((k) => k in data())
                .map((k) => [k, structuredClone(data()[k])]),
            ),
      set: async (items: Record<string, unknown>) => {
        const changes: Record<string, { oldValue?: unknown; newValue?: unknown }> = {};
        for (const [k, v] of Object.entries(structuredClone(items))) {
          changes[k] = { oldValue: data()[k], newValue: v };
          data()[k] = v;
        }
        fire(changes);
      },
      remove: async (keys: string | string[]) => {
        const changes: Record<string, { oldValue?: unknown }> = {};
        for (const k of Array.isArray(keys) ? keys : [keys])
          if (k in data()) {
            changes[k] = { oldValue: data()[k] };
            delete data()[k];
          }
        fire(changes);
      },
      onChanged: {
        addListener: (l: Listener) => void events[name].add(l),
        removeListener: (l: Listener) => void events[name].delete(l),
      },
    };
  };
  const fake = {
    runtime: { id: 'ext' },
    storage: {
      local: area('local'),
      session: area('session'),
      managed: { get: async () => Promise.reject(new Error('no policy')) },
      onChanged: {
        addListener: (l: Listener) => void events.any.add(l),
        removeListener: (l: Listener) => void events.any.delete(l),
      },
    },
  };
  // WXT's storage items reach the browser through @wxt-dev/browser, which is `chrome` outside an extension.
  (globalThis as { chrome?: unknown }).chrome = fake;
  return { areas, events, fake };
});
vi.mock('wxt/browser', () => ({ browser: (globalThis as { chrome?: unknown }).chrome }));

const settings = await import('./settings.ts');
const i18n = await import('./i18n.ts');

const connection = { serverUrl: 'wss://dossier.example.gov.cn', token: 'tok-1' };
const grants = [{ role: 'viewer' as const, doc: 'workspace' }];

beforeEach(() => {
  areas.local = {};
  areas.session = {};
});

describe('settings in storage.local', () => {
  it('keeps the connection and its grants under the old keys and shapes, written in one change event', async () => {
    const calls: number[] = [];
    const off = settings.onConnectionChange(() => calls.push(1));
    await settings.saveConnection({ serverUrl: ' wss://dossier.example.gov.cn ', token: 'tok-1' }, grants);
    expect(areas.local).toEqual({
      connection,
      grants: { for: await settings.connectionDigest(connection), grants },
    });
    expect(calls).toHaveLength(1);
    expect(await settings.readConnection()).toEqual({ ...connection, managed: false, grants });

    // Unchanged grants write nothing (and so reopen nothing); new ones are one more event.
    expect(await settings.saveGrants(connection, grants)).toBe(false);
    expect(await settings.saveGrants(connection, [{ role: 'editor', doc: 'unit:*' }])).toBe(true);
    expect(calls).toHaveLength(2);

    await settings.forgetConnection();
    expect(areas.local).toEqual({});
    expect(calls).toHaveLength(3);
    off();
    await settings.saveConnection(connection, grants);
    expect(calls).toHaveLength(3);
  });

  it('reads what another version left under the keys as before: bad values count as nothing', async () => {
    areas.local = { connection: { serverUrl: 'ftp://x', token: 't' }, portals: 'x', language: 'fr' };
    expect(await settings.readConnection()).toBeUndefined();
    expect(await settings.readUserPortals()).toEqual([]);
    expect(await i18n.readLanguageChoice()).toBe('auto');

    // Grants stamped for another connection are not this one's.
    areas.local = { connection, grants: { for: 'another', grants } };
    expect(await settings.readConnection()).toEqual({ ...connection, managed: false });
  });

  it('keeps the portal list as a plain array without repeats', async () => {
    const seen: number[] = [];
    const off = settings.onPortalsChange(() => seen.push(1));
    await settings.writeUserPortals(['https://a.example/*', 'https://b.example/*', 'https://a.example/*']);
    expect(areas.local.portals).toEqual(['https://a.example/*', 'https://b.example/*']);
    expect(await settings.readUserPortals()).toEqual(['https://a.example/*', 'https://b.example/*']);
    expect(seen).toHaveLength(1);
    off();
  });

  it('stores a language choice as the locale, and "follow the browser" as no key at all', async () => {
    const seen: number[] = [];
    const off = i18n.onLanguageChange(() => seen.push(1));
    await i18n.writeLanguageChoice('en');
    expect(areas.local).toEqual({ language: 'en' });
    expect(await i18n.readLanguageChoice()).toBe('en');
    await i18n.writeLanguageChoice('auto');
    expect(areas.local).toEqual({});
    expect(await i18n.readLanguageChoice()).toBe('auto');
    expect(seen).toHaveLength(2);
    off();
    expect(events.local.size + events.any.size).toBe(0);
  });
});
