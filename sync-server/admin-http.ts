/**
 * The CLI's writing commands while a server runs (datadir-lock.ts: only one process writes a data
 * directory). The CLI mints itself a short-lived token with the directory's secret and sends:
 *
 *   POST /admin/revoke                 {"user": U} or {"jti": J}          admin on `*`
 *   POST /admin/import?doc=D&name=N    the update's bytes                 admin on D
 *   POST /admin/check?full=1&clear=1   (no body)                          admin on `*`
 *
 * No browser has any business here: a request carrying an Origin is refused.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as v from 'valibot';
import { type Grant, isDocName } from './access.ts';
import { revokeNow } from './admin.ts';
import { authenticate, authorize, bearerToken } from './auth.ts';
import { hashUpdate } from './attribution.ts';
import { json, readBody } from './http-replies.ts';
import type { DocumentRegistry } from './documents.ts';
import type { Peer } from './shared-document.ts';
import type { Health } from './health.ts';
import type { Logger } from './log.ts';
import { checkIntegrity } from './integrity.ts';
import type { Metrics } from './metrics.ts';
import type { Storage } from './storage/types.ts';
import type { UpdateLimits } from './update-guard.ts';

export interface AdminContext {
  secret: Buffer;
  storage: Storage;
  metrics: Metrics;
  registry: DocumentRegistry;
  health: Health;
  dataDir: string;
  updateLimits: UpdateLimits;
  log: Logger;
}

const revokeSchema = v.union([
  v.object({ user: v.pipe(v.string(), v.minLength(1)) }),
  v.object({ jti: v.pipe(v.string(), v.minLength(1)) }),
]);

const adminOnEverything = (grants: readonly Grant[]) =>
  grants.some((grant) => grant.doc === '*' && grant.role === 'admin');

export async function handleAdmin(
  context: AdminContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  if (req.headers.origin !== undefined)
    return json(res, 403, { error: 'admin requests come from the CLI, not a browser' });
  if (req.method !== 'POST') return json(res, 405, { error: 'method not allowed' });
  const auth = await authenticate(context.secret, context.storage, bearerToken(req.headers.authorization));
  if (!auth.ok) {
    context.metrics.refuse('unauthorized');
    return json(res, 401, { error: 'unauthorized', reason: auth.reason });
  }
  const { payload } = auth;
  context.log.info('admin request', {
    path: url.pathname,
    user: payload.sub,
    doc: url.searchParams.get('doc') ?? undefined,
  });
  switch (url.pathname) {
    case '/admin/revoke': {
      if (!adminOnEverything(payload.grants)) return json(res, 403, { error: 'revoking needs admin on *' });
      const body = await readBody(req, 4096);
      let target: v.InferOutput<typeof revokeSchema>;
      try {
        target = v.parse(revokeSchema, JSON.parse(body?.toString('utf8') ?? ''));
      } catch {
        return json(res, 400, { error: 'expected {"user": …} or {"jti": …}' });
      }
      return json(res, 200, await revokeNow(context.storage, target));
    }
    case '/admin/import': {
      const doc = url.searchParams.get('doc') ?? '';
      if (!isDocName(doc)) return json(res, 400, { error: 'doc must be a document name' });
      if (authorize(payload.grants, doc, payload.sub)?.role !== 'admin')
        return json(res, 403, { error: `importing needs admin on ${doc}` });
      const body = await readBody(req, context.updateLimits.maxDocumentBytes);
      if (body === null) return json(res, 413, { error: `larger than ${context.updateLimits.maxDocumentBytes} bytes` });
      const update = new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
      const result = await importUpdate(
        context.registry,
        doc,
        update,
        { user: payload.sub, name: url.searchParams.get('name') ?? payload.name },
        context.updateLimits,
      );
      if ('refused' in result) return json(res, 422, { error: result.refused });
      return json(res, 200, { doc, seq: result.seq, size: update.byteLength });
    }
    case '/admin/check': {
      if (!adminOnEverything(payload.grants)) return json(res, 403, { error: 'checking needs admin on *' });
      const report = await checkIntegrity(
        context.storage,
        context.dataDir,
        { full: url.searchParams.has('full'), clear: url.searchParams.has('clear') },
        context.health,
      );
      return json(res, 200, report);
    }
    default:
      return json(res, 404, { error: 'not found' });
  }
}

/**
 * A whole update from an administrator, through the same guard and write path as any write:
 * refused if it could not be applied or loaded again, or if it brings new content under someone
 * else's clientID; no cap on its clientIDs (an export carries every author of the document).
 * Connected clients receive it like any edit.
 */
async function importUpdate(
  registry: DocumentRegistry,
  name: string,
  update: Uint8Array,
  who: { user: string; name: string },
  limits: UpdateLimits,
): Promise<{ seq: number } | { refused: string }> {
  const importer: Peer = { user: who.user, awarenessIds: new Set(), send: () => undefined };
  const doc = await registry.open(name, importer);
  try {
    const verdict = doc.guard.check(update, {
      user: who.user,
      bindings: doc.bindings,
      storedBytes: doc.storedBytes,
      limits,
      anyClientCount: true,
    });
    if (!verdict.ok) return { refused: `${verdict.kind}: ${verdict.detail}` };
    if (verdict.empty) return { seq: 0 };
    for (const clientId of verdict.newBindings) doc.bindings.set(clientId, who.user);
    const seq = await registry.commit(
      doc,
      {
        doc: name,
        data: update,
        user: who.user,
        name: who.name,
        time: Date.now(),
        hash: hashUpdate(update),
        clientIds: verdict.clientIds,
        newBindings: verdict.writtenIds,
      },
      importer,
    );
    return { seq };
  } finally {
    registry.leave(doc, importer);
  }
}
