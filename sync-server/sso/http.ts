/**
 * The single sign-on endpoints (README "Single sign-on"), routed here by http.ts:
 *
 *   GET  /sso/config     the provider's authorization endpoint, client id, redirect URI and scope
 *   GET  /sso/callback   where the provider returns the browser; hands code and state to the
 *                        extension page that opened the sign-in window (postMessage), nothing else
 *   POST /sso/exchange   {"code","codeVerifier","nonce"[,"redirectUri"]} → one of this server's tokens
 *   POST /sso/renew      Authorization: Bearer <token> → a fresh token, grants re-read
 *   POST /sso/logout     Authorization: Bearer <token> → revoked; {"endSessionUrl"} to leave the provider
 *
 * Refusals are JSON `{error, reason}` (401, 403 for no mapped group, 502 provider unreachable),
 * and never take the server down.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as v from 'valibot';
import { bearerToken } from '../auth.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import { corsHeaders, json, readBody } from '../http-replies.ts';
import { type OriginPolicy, originAllowed } from '../origins.ts';
import { type SsoRefusal, SsoRefused } from './provider.ts';
import type { Issued, SsoService } from './service.ts';

export interface SsoContext {
  sso?: SsoService | undefined;
  policy: OriginPolicy;
  metrics: Metrics;
  log: Logger;
}

const exchangeSchema = v.object({
  code: v.pipe(v.string(), v.minLength(1), v.maxLength(4096)),
  codeVerifier: v.pipe(v.string(), v.regex(/^[A-Za-z0-9._~-]{43,128}$/u)),
  nonce: v.pipe(v.string(), v.minLength(16), v.maxLength(256)),
  /** Only for the browser's own flow (Firefox); one of the configured extensionRedirectUris. */
  redirectUri: v.optional(v.pipe(v.string(), v.maxLength(2048))),
});

const statusFor: Record<SsoRefusal, number> = {
  'provider-unreachable': 502,
  'no-grants': 403,
  'provider-refused': 401,
  'invalid-token': 401,
  'wrong-issuer': 401,
  'wrong-audience': 401,
  'bad-signature': 401,
  expired: 401,
  'wrong-nonce': 401,
  'no-session': 401,
};

async function readJson(req: IncomingMessage, limit = 16_384): Promise<unknown> {
  const body = await readBody(req, limit);
  if (body === null) return null;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
}

const answer = (issued: Issued) => ({
  token: issued.token,
  user: issued.payload.sub,
  name: issued.payload.name,
  grants: issued.payload.grants,
  exp: issued.payload.exp,
});

export async function handleSso(
  context: SsoContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const headers = corsHeaders(context.policy, req);
  if (req.method === 'OPTIONS') {
    res.writeHead(204, headers);
    res.end();
    return;
  }
  const { sso } = context;
  if (!sso) return json(res, 404, { error: 'single sign-on is not configured on this server' }, headers);
  const route = `${req.method ?? ''} ${url.pathname}`;
  try {
    switch (route) {
      case 'GET /sso/config':
        return json(res, 200, await sso.publicConfig(), headers);
      case 'GET /sso/callback':
        return callbackPage(context.policy, url, res);
      case 'POST /sso/exchange': {
        const body = v.safeParse(exchangeSchema, await readJson(req));
        if (!body.success) return json(res, 400, { error: 'expected {"code", "codeVerifier", "nonce"}' }, headers);
        return json(res, 200, answer(await sso.signIn(body.output)), headers);
      }
      case 'POST /sso/renew':
        return json(res, 200, answer(await sso.renew(bearerToken(req.headers.authorization))), headers);
      case 'POST /sso/logout':
        return json(res, 200, await sso.signOut(bearerToken(req.headers.authorization)), headers);
      default:
        return json(
          res,
          url.pathname.match(/^\/sso\/(config|callback|exchange|renew|logout)$/u) ? 405 : 404,
          { error: 'not found' },
          headers,
        );
    }
  } catch (error) {
    if (!(error instanceof SsoRefused)) throw error;
    context.metrics.refuse(statusFor[error.reason] === 403 ? 'forbidden' : 'unauthorized');
    context.log.warn('sso refused', { path: url.pathname, reason: error.reason, detail: error.message });
    return json(res, statusFor[error.reason], { error: error.message, reason: error.reason }, headers);
  }
}

/**
 * The page the provider sends the browser back to. Its script (fixed, allowed by hash) posts the
 * query's code and state to the window that opened it, but only to the extension origin named in
 * the state and allowed by --allowed-origins: another page that started a sign-in gets nothing.
 * The code is useless without the PKCE verifier, which never left the extension.
 */
const callbackScript = `(() => {
  const target = document.querySelector('meta[name="dl-target"]').content;
  const query = new URLSearchParams(location.search);
  history.replaceState(null, '', location.pathname);
  const note = document.getElementById('note');
  if (target && window.opener) {
    window.opener.postMessage({ type: 'dossier-lens-sso', code: query.get('code'), state: query.get('state'), error: query.get('error') }, target);
    note.textContent = '登录完成，可以关闭此页。 Signed in: you can close this page.';
    window.close();
  } else {
    note.textContent = '无法返回扩展：请在扩展的设置页重新登录。 Could not return to the extension: sign in again from its settings page.';
  }
})();`;
const scriptHash = createHash('sha256').update(callbackScript).digest('base64');

/** The extension origin a sign-in's state names (`<random>.<base64url origin>`), if it is allowed. */
export function stateTarget(policy: OriginPolicy, state: string | null): string {
  const encoded = state?.split('.')[1];
  if (!encoded) return '';
  const origin = Buffer.from(encoded, 'base64url').toString('utf8');
  return /^(chrome|moz|safari-web)-extension:\/\/[A-Za-z0-9-]+$/u.test(origin) && originAllowed(policy, origin)
    ? origin
    : '';
}

function callbackPage(policy: OriginPolicy, url: URL, res: ServerResponse): void {
  const target = stateTarget(policy, url.searchParams.get('state'));
  res.writeHead(200, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
    'Content-Security-Policy': [
      "default-src 'none'",
      `script-src 'sha256-${scriptHash}'`,
      "base-uri 'none'",
      "form-action 'none'",
    ].join('; '),
  });
  // `target` matched the pattern above: letters, digits, '-', ':' and '/', nothing to escape.
  res.end(
    `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>统一身份认证 · Dossier Lens</title>` +
      `<meta name="dl-target" content="${target}"></head>` +
      `<body><main><p id="note">正在返回扩展… Returning to the extension…</p></main>` +
      `<script>${callbackScript}</script></body></html>`,
  );
}
