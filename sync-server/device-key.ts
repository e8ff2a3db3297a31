/**
 * GET /device-key?device=<id>: the key a device wraps its local data key with (README "Encrypted at
 * rest"). It is derived, never stored: HMAC-SHA256 under a subkey of the data directory's secret,
 * over the token's user and the device's id. So the server holds nothing per device, the same user
 * gets the same key after a token renewal, and a revoked or expired token gets nothing (401 from
 * the same checks as every authenticated request): without this key a restarted browser cannot
 * unwrap what it stored (unless the organisation allows an offline PIN).
 */
import { createHmac } from 'node:crypto';
import * as v from 'valibot';

/** A device id: what the extension generates (a UUID), kept narrow so nothing odd is hashed. */
export const deviceIdSchema = v.pipe(v.string(), v.regex(/^[A-Za-z0-9-]{8,64}$/u));

/** Domain separation: this subkey is never the token-signing key itself. */
const LABEL = 'dossierlens/device-key-wrap/v1';

export function deviceWrapKey(secret: Buffer, user: string, device: string): string {
  const subkey = createHmac('sha256', secret).update(LABEL).digest();
  return createHmac('sha256', subkey).update(`${user}\0${device}`).digest('base64url');
}

export type DeviceKeyAnswer = { status: 200; body: { key: string } } | { status: 400; body: { error: string } };

export function answerDeviceKey(secret: Buffer, user: string, url: URL): DeviceKeyAnswer {
  const device = v.safeParse(deviceIdSchema, url.searchParams.get('device'));
  if (!device.success) return { status: 400, body: { error: 'device must be a device id' } };
  return { status: 200, body: { key: deviceWrapKey(secret, user, device.output) } };
}
