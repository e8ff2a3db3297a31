import * as v from 'valibot';
import { browser } from 'wxt/browser';
import type { MessageKey } from './i18n.ts';
import { forgetConnection, httpUrl, type Connection } from './settings.ts';
import { SsoError, forgetSso, issuedSchema, postSso, saveIssued } from './sso-session.ts';

/**
 * Signing in through the organisation's OpenID Connect provider, from the options page
 * (README "Single sign-on"). The page opens the provider's login in a window of its own; the
 * provider returns that window to the sync server's /sso/callback, which hands the code back to
 * this page by postMessage (to this extension's origin only, named in the state). The page then
 * trades the code, with the PKCE verifier and nonce only it knows, for the server's token.
 *
 * Why a window and not browser.identity.launchWebAuthFlow in Chromium: it needs no permission at
 * all (the identity API needs the `identity` permission and a redirect URL per extension id
 * registered with the provider). Firefox gives a window opened from an extension page no
 * `opener` once it navigates to a web site (another process), so there the browser's own flow is
 * used: the `identity` permission (Firefox build only; Firefox has no optional form of it), and the redirect URL
 * `identity.getRedirectURL()` (fixed by the add-on id) registered with the provider and listed in
 * the server's `extensionRedirectUris`.
 */
const configSchema = v.object({
  authorizationEndpoint: v.pipe(v.string(), v.url()),
  clientId: v.string(),
  redirectUri: v.pipe(v.string(), v.url()),
  extensionRedirectUris: v.optional(v.array(v.string()), []),
  scope: v.string(),
});
type Callback = { code: string | null; state: string | null; error: string | null };

const callbackSchema = v.object({
  type: v.literal('dossier-lens-sso'),
  code: v.nullable(v.string()),
  state: v.nullable(v.string()),
  error: v.nullable(v.string()),
});

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const randomText = (size = 32) => base64url(crypto.getRandomValues(new Uint8Array(size)));

async function readConfig(serverUrl: string): Promise<v.InferOutput<typeof configSchema>> {
  let res: Response;
  try {
    res = await fetch(`${httpUrl(serverUrl)}/sso/config`);
  } catch {
    throw new SsoError('unreachable');
  }
  if (res.status === 404) throw new SsoError('unavailable');
  const parsed = v.safeParse(configSchema, await res.json().catch(() => null));
  if (!res.ok || !parsed.success) throw new SsoError('unreachable');
  return parsed.output;
}

/** Resolves with the callback's message for this sign-in; rejects once the window is closed without one. */
function awaitCallback(
  popup: Window,
  serverOrigin: string,
  state: string,
): Promise<v.InferOutput<typeof callbackSchema>> {
  return new Promise((resolve, reject) => {
    const done = () => {
      window.removeEventListener('message', onMessage);
      clearInterval(watch);
    };
    const onMessage = (event: MessageEvent) => {
      const data = v.safeParse(callbackSchema, event.data);
      if (event.origin !== serverOrigin || !data.success || data.output.state !== state) return;
      done();
      resolve(data.output);
    };
    let closedSeen = false;
    // A closed window means the user gave up; checked twice, a second apart, so that a message
    // posted just before the callback page closes itself still arrives first.
    const watch = setInterval(() => {
      if (!popup.closed) return;
      if (closedSeen) {
        done();
        reject(new SsoError('cancelled'));
      }
      closedSeen = true;
    }, 1000);
    window.addEventListener('message', onMessage);
  });
}

/** The browser's own flow (Firefox): the provider's answer comes back as the final URL. */
async function identityFlow(url: URL): Promise<Callback> {
  let answer: string | undefined;
  try {
    answer = await browser.identity.launchWebAuthFlow({ url: url.href, interactive: true });
  } catch {
    throw new SsoError('cancelled');
  }
  const query = new URL(answer ?? 'about:blank').searchParams;
  return { code: query.get('code'), state: query.get('state'), error: query.get('error') };
}

/** Signs in at `serverUrl` through its provider and saves the connection. Call it straight from the click. */
export async function signInWithSso(serverUrl: string): Promise<void> {
  const viaIdentity = import.meta.env.FIREFOX && typeof browser.identity?.launchWebAuthFlow === 'function';
  const config = await readConfig(serverUrl);
  const redirectUri = viaIdentity ? browser.identity.getRedirectURL() : config.redirectUri;
  if (viaIdentity && !config.extensionRedirectUris.includes(redirectUri)) throw new SsoError('unavailable');
  const codeVerifier = randomText();
  const challenge = base64url(
    new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(codeVerifier))),
  );
  const nonce = randomText(16);
  const state = `${randomText(16)}.${base64url(new TextEncoder().encode(location.origin))}`;
  const url = new URL(config.authorizationEndpoint);
  const params = {
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: redirectUri,
    scope: config.scope,
    state,
    nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  };
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  let callback: Callback;
  if (viaIdentity) {
    callback = await identityFlow(url);
    if (callback.state !== state) throw new SsoError('refused');
  } else {
    const popup = window.open(url.href, 'dossier-lens-sso', 'popup,width=520,height=720');
    if (!popup) throw new SsoError('cancelled');
    callback = await awaitCallback(popup, new URL(httpUrl(serverUrl)).origin, state);
  }
  if (callback.error !== null || callback.code === null)
    throw new SsoError(callback.error === 'access_denied' ? 'cancelled' : 'refused');
  const body = { code: callback.code, codeVerifier, nonce, ...(viaIdentity ? { redirectUri } : {}) };
  const issued = v.safeParse(issuedSchema, await postSso(serverUrl, 'exchange', { body }));
  if (!issued.success) throw new SsoError('refused');
  await saveIssued(serverUrl, issued.output);
}

/**
 * Signs out: the server revokes the token and the provider session it held, the connection is
 * forgotten, and the provider's own sign-out page opens when it has one. Offline, the device
 * forgets the token anyway; it expires within the renewal period.
 */
export async function signOutSso(c: Connection): Promise<void> {
  let endSessionUrl: string | undefined;
  try {
    const answer = v.safeParse(
      v.object({ endSessionUrl: v.optional(v.pipe(v.string(), v.url())) }),
      await postSso(c.serverUrl, 'logout', { token: c.token }),
    );
    endSessionUrl = answer.success ? answer.output.endSessionUrl : undefined;
  } catch {
    // Unreachable or already refused: nothing more the server can revoke from here.
  }
  await forgetSso();
  await forgetConnection();
  if (endSessionUrl) await browser.tabs.create({ url: endSessionUrl });
}

/** The message for a failed sign-in, in the user's language. */
export function ssoErrorKey(error: unknown): MessageKey {
  const failure = error instanceof SsoError ? error.failure : 'refused';
  return (
    {
      unavailable: 'errSsoUnavailable',
      unreachable: 'errUnreachable',
      'no-grants': 'errSsoNoGrants',
      refused: 'errSsoRefused',
      cancelled: 'errSsoCancelled',
    } as const
  )[failure];
}
