/**
 * The HTTP side: health and metrics for operators; `whoami` and `history` for the extension
 * (Authorization: Bearer <token>, same checks as the WebSocket upgrade, CORS open to extension
 * origins only).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isDocName } from './access.ts';
import { authenticate, authorize, bearerToken } from './auth.ts';
import { EXTENSION_PREFIX, serveExtensionFile } from './extension-files.ts';
import type { Metrics } from './metrics.ts';
import type { Storage } from './storage/types.ts';

export interface HttpContext {
  secret: Buffer;
  storage: Storage;
  metrics: Metrics;
  /** Where the packaged extension is served from (`--extension-dir`); none: GET /extension/* is 404. */
  extensionDir?: string | undefined;
}

const extensionOrigin = /^(chrome|moz|safari-web)-extension:\/\/[A-Za-z0-9._-]+$/u;

function corsHeaders(req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  if (typeof origin !== 'string' || !extensionOrigin.test(origin)) return {};
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Headers': 'Authorization',
    'Access-Control-Allow-Methods': 'GET, OPTIONS',
    'Access-Control-Max-Age': '600',
    Vary: 'Origin',
  };
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

export async function handleHttp(context: HttpContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const cors = corsHeaders(req);
  if (req.method === 'OPTIONS') {
    res.writeHead(204, cors);
    res.end();
    return;
  }
  if (req.method !== 'GET') return json(res, 405, { error: 'method not allowed' }, cors);
  if (url.pathname.startsWith(EXTENSION_PREFIX)) return serveExtensionFile(context.extensionDir, url.pathname, res);
  switch (url.pathname) {
    case '/healthz':
      return json(res, 200, { ok: true });
    case '/metrics':
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(context.metrics.render());
      return;
    case '/whoami':
    case '/history':
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
