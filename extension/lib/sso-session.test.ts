import { beforeEach, describe, expect, it, vi } from 'vitest';

/**
 * The device's side of single sign-on against a small hand-made `browser` storage and a stubbed
 * server: which connection counts as signed in through SSO, when it is renewed, and that a renewal
 * answered after sign-out does not enrol the device again.
 */
const { local, fake } = vi.hoisted(() => {
  const local = {} as Record<string, unknown>;
  const fake = {
    runtime: { id: 'ext' },
    storage: {
      local: {
        get: async (keys: string | string[]) =>
          Object.fromEntries((Array.isArray(keys) ? keys : [keys]).map((k) => [k, local[k]])),
        set: async (items: Record<string, unknown>) => void Object.assign(local, structuredClone(items)),
        remove: async (keys: string | string[]) => {
          for (const k of Array.isArray(keys) ? keys : [keys]) delete local[k];
        },
      },
      managed: { get: async () => Promise.reject(new Error('no policy')) },
    },
  };
  // WXT's storage items reach the browser through @wxt-dev/browser, which is `chrome` outside an extension.
  (globalThis as { chrome?: unknown }).chrome = fake;
  return { local, fake };
});
vi.mock('wxt/browser', () => ({ browser: fake }));

const { readConnection, forgetConnection } = await import('./settings.ts');
const { readSso, renewNow, renewalTime, saveIssued, SsoError } = await import('./sso-session.ts');

const serverUrl = 'wss://dossier.example.gov.cn';
const issued = (token: string, exp = Math.floor(Date.now() / 1000) + 900) => ({
  token,
  user: 'alice',
  name: '张三',
  grants: [{ role: 'viewer' as const, doc: 'workspace' }],
  exp,
});

function answer(status: number, body: unknown) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => new Response(JSON.stringify(body), { status })),
  );
}

beforeEach(() => {
  for (const key of Object.keys(local)) delete local[key];
  vi.unstubAllGlobals();
});

describe('single sign-on on the device', () => {
  it('renews two thirds into the token’s life', () => {
    expect(renewalTime(1_000_000 + 900_000, 1_000_000)).toBe(1_600_000);
    expect(renewalTime(1_000, 5_000)).toBe(5_000);
  });

  it('a signed-in connection carries its SSO record; a token pasted later does not', async () => {
    await saveIssued(serverUrl, issued('dl1.first.token'));
    const c = await readConnection();
    expect(c).toMatchObject({ serverUrl, token: 'dl1.first.token', grants: [{ role: 'viewer', doc: 'workspace' }] });
    expect(await readSso(c!)).toMatchObject({ expiresAt: issued('x').exp * 1000 });
    expect(await readSso({ serverUrl, token: 'dl1.pasted.token' })).toBeUndefined();
  });

  it('renewal replaces the token and its grants', async () => {
    await saveIssued(serverUrl, issued('dl1.first.token'));
    answer(200, { ...issued('dl1.second.token'), grants: [{ role: 'admin', doc: '*' }] });
    await renewNow((await readConnection())!);
    const c = await readConnection();
    expect(c).toMatchObject({ token: 'dl1.second.token', grants: [{ role: 'admin', doc: '*' }] });
    expect(await readSso(c!)).toBeDefined();
  });

  it('a refused renewal is reported as such and changes nothing', async () => {
    await saveIssued(serverUrl, issued('dl1.first.token'));
    answer(401, { reason: 'provider-refused' });
    await expect(renewNow((await readConnection())!)).rejects.toEqual(new SsoError('refused'));
    expect(await readConnection()).toMatchObject({ token: 'dl1.first.token' });
  });

  it('a renewal answered after sign-out does not bring the connection back', async () => {
    await saveIssued(serverUrl, issued('dl1.first.token'));
    const c = (await readConnection())!;
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        await forgetConnection();
        return new Response(JSON.stringify(issued('dl1.second.token')), { status: 200 });
      }),
    );
    await renewNow(c);
    expect(await readConnection()).toBeUndefined();
  });
});
