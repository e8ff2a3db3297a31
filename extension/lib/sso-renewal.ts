import { browser } from 'wxt/browser';
import { onConnectionChange, readConnection } from './settings.ts';
import { SsoError, readSso, renewNow } from './sso-session.ts';

/**
 * The background renews a single-sign-on token two thirds into its life, without the user
 * (README "Single sign-on"). The server asks the provider each time, so renewal goes on exactly
 * while the provider's session does; a refusal (user disabled, session ended) leaves the token
 * revoked, and the options page then asks the user to sign in again. An unreachable server is
 * retried every minute while the token lasts. An alarm, because the service worker may be asleep
 * when the time comes; it is set again at every start, since browsers may drop alarms on restart.
 */
const ALARM = 'dossier-lens-sso-renew';
const RETRY_MS = 60_000;

async function schedule(): Promise<void> {
  const c = await readConnection();
  const record = c && !c.managed ? await readSso(c) : undefined;
  if (!record) {
    await browser.alarms.clear(ALARM);
    return;
  }
  await browser.alarms.create(ALARM, { when: Math.max(record.renewAt, Date.now() + 1000) });
}

async function renew(): Promise<void> {
  const c = await readConnection();
  const record = c && !c.managed ? await readSso(c) : undefined;
  if (!c || !record) return;
  try {
    // Saving the fresh token changes the connection: the workspace reopens with it and schedule() runs.
    await renewNow(c);
  } catch (error) {
    if (error instanceof SsoError && error.failure === 'refused') return;
    if (Date.now() + RETRY_MS < record.expiresAt) await browser.alarms.create(ALARM, { when: Date.now() + RETRY_MS });
  }
}

export function keepSsoFresh(): void {
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === ALARM) void renew();
  });
  onConnectionChange(() => void schedule());
  void schedule();
}
