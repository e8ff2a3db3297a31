/**
 * GET /device-key on a real server: the same user and device always get the same wrap key (a token
 * renewal keeps the device unlockable), another user or device gets another, and a revoked token or
 * a missing device id gets none.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { revoke } from './admin.ts';
import { useFileServer } from './testing-fixture.ts';

const { server } = useFileServer();
let http: string;
beforeAll(() => {
  http = server.url.replace('ws:', 'http:');
});

async function deviceKey(
  token: string | null,
  device: string | null,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const query = device === null ? '' : `?device=${encodeURIComponent(device)}`;
  const res = await fetch(`${http}/device-key${query}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const DEVICE = '6f1c2a4e-1b2c-4d5e-8f90-0123456789ab';

describe('GET /device-key', () => {
  it('releases one 32-byte key per user and device, the same across token renewals', async () => {
    const first = await deviceKey(server.token('wang', ['viewer', 'unit:*']), DEVICE);
    expect(first.status).toBe(200);
    expect(Buffer.from(String(first.body.key), 'base64url')).toHaveLength(32);
    const renewed = await deviceKey(server.token('wang', ['editor', 'unit:A*']), DEVICE);
    expect(renewed.body.key).toBe(first.body.key);
    const otherDevice = await deviceKey(server.token('wang', ['viewer', 'unit:*']), 'another-device-0001');
    const otherUser = await deviceKey(server.token('li', ['viewer', 'unit:*']), DEVICE);
    expect(new Set([first.body.key, otherDevice.body.key, otherUser.body.key]).size).toBe(3);
  });

  it('refuses a missing token, a malformed device id and a revoked user', async () => {
    expect((await deviceKey(null, DEVICE)).status).toBe(401);
    expect((await deviceKey(server.token('wang', ['viewer', 'unit:*']), null)).status).toBe(400);
    expect((await deviceKey(server.token('wang', ['viewer', 'unit:*']), '../../etc')).status).toBe(400);
    const token = server.token('rex', ['viewer', 'unit:*']);
    expect((await deviceKey(token, DEVICE)).status).toBe(200);
    await revoke(server.dataDir, { user: 'rex' });
    const refused = await deviceKey(token, DEVICE);
    expect(refused).toEqual({ status: 401, body: { error: 'unauthorized', reason: 'revoked' } });
  });
});
