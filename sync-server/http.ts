/**
 * The HTTP side: health and metrics for operators; `whoami`, `history` and `authors` for the extension
 * (Authorization: Bearer <token>, same checks as the WebSocket upgrade); `/views`, the view log
 * (view-log.ts); `/admin/*` for the CLI (admin-http.ts); `/extension/<file>` for browsers updating
 * the packaged extension (extension-files.ts); `/sso/*` for single sign-on (sso/http.ts). Every
 * request first passes origins.ts (a target that parses, an allowed Host and Origin); CORS answers
 * name only an allowed origin (http-replies.ts). `/healthz` answers 503 with the list of
 * problems while the store is known to be damaged (health.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isDocName } from './access.ts';
import { type AdminContext, handleAdmin } from './admin-http.ts';
import { authenticate, authorize, bearerToken } from './auth.ts';
import { EXTENSION_PREFIX, serveExtensionFile } from './extension-files.ts';
import { corsHeaders, json } from './http-replies.ts';
import { type OriginPolicy, refuseRequest, requestUrl } from './origins.ts';
import { handleViews } from './view-log.ts';
import { handleSso } from './sso/http.ts';
import type { SsoService } from './sso/service.ts';
import { answerDeviceKey } from './device-key.ts';

export interface HttpContext extends AdminContext {
  policy: OriginPolicy;
  /** Where the packaged extension is served from (`--extension-dir`); none: GET /extension/* is 404. */
  extensionDir?: string | undefined;
  /** Single sign-on (`--sso-config`); none: /sso/* answers 404. */
  sso?: SsoService | undefined;
}

export async function handleHttp(context: HttpContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = requestUrl(req.url);
  const refusal = refuseRequest(context.policy, req, url);
  if (refusal !== null || url === null) {
    context.metrics.refuse(refusal?.reason ?? 'bad-request');
    return json(res, refusal?.status ?? 400, { error: refusal?.detail ?? 'bad request' });
  }
  if (url.pathname.startsWith('/admin/')) return handleAdmin(context, req, res, url);
  if (url.pathname.startsWith('/sso/')) return handleSso(context, req, res, url);
  const cors = corsHeaders(context.policy, req);
  if (req.method === 'OPTIONS') {
    res.writeHead(204, cors);
    res.end();
    return;
  }
  // 查阅留痕: devices post the views they queued (view-log.ts); the only POST outside /admin/.
  if (url.pathname === '/views' && (req.method === 'POST' || req.method === 'GET'))
    return authenticated(context, req, res, url, cors);
  if (req.method !== 'GET') return json(res, 405, { error: 'method not allowed' }, cors);
  if (url.pathname.startsWith(EXTENSION_PREFIX)) return serveExtensionFile(context.extensionDir, url.pathname, res);
  switch (url.pathname) {
    case '/healthz': {
      const dependencies =
        context.health.dependencies.size > 0
          ? {
              dependencies: Object.fromEntries(
                [...context.health.dependencies].map(([name, up]) => [name, up ? 'ok' : 'unreachable']),
              ),
            }
          : {};
      return context.health.ok
        ? json(res, 200, { ok: true, ...dependencies })
        : json(res, 503, { ok: false, problems: context.health.problems, ...dependencies });
    }
    case '/metrics':
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(context.metrics.render());
      return;
    case '/whoami':
    case '/device-key':
    case '/history':
    case '/authors':
      return authenticated(context, req, res, url, cors);
    default:
      return json(res, 404, { error: 'not found' }, cors);
  }
}

async function authenticated(
  context: HttpContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  cors: Record<string, string>,
): Promise<void> {
  // Bearer header only: a token in a URL ends up in proxies' and browsers' histories.
  const auth = await authenticate(context.secret, context.storage, bearerToken(req.headers.authorization));
  if (!auth.ok) {
    context.metrics.refuse('unauthorized');
    return json(res, 401, { error: 'unauthorized', reason: auth.reason }, { ...cors, 'WWW-Authenticate': 'Bearer' });
  }
  const { payload } = auth;
  if (url.pathname === '/views')
    return handleViews(context, req, url, payload, (status, body) => json(res, status, body, cors));
  if (url.pathname === '/device-key') {
    const answer = answerDeviceKey(context.secret, payload.sub, url);
    return json(res, answer.status, answer.body, cors);
  }
  if (url.pathname === '/whoami') {
    return json(res, 200, { user: payload.sub, name: payload.name, grants: payload.grants, exp: payload.exp }, cors);
  }
  const doc = url.searchParams.get('doc') ?? '';
  if (!isDocName(doc)) {
    context.metrics.refuse('bad-request');
    return json(res, 400, { error: 'doc must be a document name' }, cors);
  }
  if (authorize(payload.grants, doc, payload.sub) === null) {
    context.metrics.refuse('forbidden');
    return json(res, 403, { error: 'forbidden' }, cors);
  }
  if (url.pathname === '/authors') {
    const authors = await context.storage.authors(doc);
    return json(res, 200, { doc, authors }, cors);
  }
  const limit = Math.min(Math.max(Number(url.searchParams.get('limit') ?? 500) || 500, 1), 10_000);
  const entries = await context.storage.audit({ doc, limit });
  return json(
    res,
    200,
    {
      doc,
      entries: entries.map((entry) => ({
        seq: entry.seq,
        time: new Date(entry.time).toISOString(),
        user: entry.user,
        name: entry.name,
        size: entry.size,
        hash: entry.hash,
        clientIds: entry.clientIds,
      })),
    },
    cors,
  );
}
