/**
 * `startServer`: wires the pieces together, after taking the data directory's lock and checking
 * the store's integrity. HTTP requests go to http.ts; every upgrade goes through one `upgrade()`:
 * request target, Host and Origin (origins.ts), the token (auth.ts), the document's grant (a
 * per-document socket) and the connection caps (one slot per socket, whatever it carries), before
 * the WebSocket handshake completes, refused with a plain HTTP 400/401/403/421/429/503 otherwise.
 * An accepted socket carries the document of its URL (socket.ts), or, when the client offers the
 * multiplexed subprotocol, any number of documents it opens, each authorised then (multiplex.ts);
 * either way each document is a `Connection` with the same guard, presence rules and limits.
 *
 * A sweep every `pollIntervalMs` picks up writes and revocations made by other processes (the
 * CLI) and closes connections whose token was revoked or has expired (4401, which stops a
 * y-websocket 3 client from reconnecting).
 */
import { type IncomingMessage, createServer } from 'node:http';
import type { Duplex } from 'node:stream';
import * as v from 'valibot';
import { type WebSocket, WebSocketServer } from 'ws';
import { type DataDirLock, lockDataDir } from './datadir-lock.ts';
import { Health } from './health.ts';
import { checkIntegrity } from './integrity.ts';
import { isDocName } from './access.ts';
import { authenticate, authorize, offersMultiplex, revocationCovers, subprotocol, tokenFromRequest } from './auth.ts';
import type { ConnectionContext } from './connection.ts';
import { DocumentRegistry } from './documents.ts';
import { handleHttp } from './http.ts';
import {
  ConnectionCounter,
  type Limits,
  defaultConnectionCaps,
  defaultConnectionsPerUserWithoutMultiplex,
  defaultLimits,
} from './limits.ts';
import { type LogLevel, type LogSink, type Logger, createLogger } from './log.ts';
import { Metrics, type RefusalReason } from './metrics.ts';
import { openMultiplexedSocket } from './multiplex.ts';
import { type OriginPolicy, defaultAllowedOrigins, isOriginPattern, refuseRequest, requestUrl } from './origins.ts';
import { MULTIPLEX_SUBPROTOCOL, closeCodes } from './protocol.ts';
import { type ClientSocket, openDocumentSocket } from './socket.ts';
import { openSharedStores } from './scaleout.ts';
import { openSqliteStorage } from './storage/sqlite.ts';
import type { Storage } from './storage/types.ts';
import { loadSsoConfig } from './sso/config.ts';
import { SsoService } from './sso/service.ts';
import { loadOrCreateSecret } from './token.ts';
import { type UpdateLimits, defaultUpdateLimits } from './update-guard.ts';

const positiveInt = v.pipe(v.number(), v.integer(), v.minValue(1));
/** A list, given as an array or (flags, environment) as comma-separated text. */
const list = <T extends v.GenericSchema<string, string>>(item: T, what: string) =>
  v.pipe(
    v.union([
      v.array(v.string()),
      v.pipe(
        v.string(),
        v.transform((text) =>
          text
            .split(',')
            .map((part) => part.trim())
            .filter(Boolean),
        ),
      ),
    ]),
    v.check((items) => items.every((entry) => v.is(item, entry)), what),
  );

export const serverOptionsSchema = v.object({
  host: v.optional(v.string(), '127.0.0.1'),
  /** 0 picks a free port. */
  port: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(65535)), 1234),
  dataDir: v.pipe(v.string(), v.minLength(1)),
  /** SQLite `synchronous`: 'normal' survives kill -9, 'full' also survives power loss. */
  synchronous: v.optional(v.picklist(['normal', 'full']), 'normal'),
  idleUnloadMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0)), 30_000),
  compactEvery: v.optional(positiveInt, 500),
  pollIntervalMs: v.optional(positiveInt, 250),
  pingIntervalMs: v.optional(positiveInt, 30_000),
  maxFrameBytes: v.optional(positiveInt, defaultLimits.maxFrameBytes),
  messagesPerSecond: v.optional(positiveInt, defaultLimits.messagesPerSecond),
  messageBurst: v.optional(positiveInt, defaultLimits.messageBurst),
  bytesPerSecond: v.optional(positiveInt, defaultLimits.bytesPerSecond),
  byteBurst: v.optional(positiveInt, defaultLimits.byteBurst),
  handshakeTimeoutMs: v.optional(positiveInt, defaultLimits.handshakeTimeoutMs),
  maxQueuedMessages: v.optional(positiveInt, defaultLimits.maxQueuedMessages),
  maxBufferedBytes: v.optional(positiveInt, defaultLimits.maxBufferedBytes),
  maxDocumentsPerConnection: v.optional(positiveInt, defaultLimits.maxDocumentsPerConnection),
  /** Accept multiplexed connections (many documents over one socket); false answers like a server without them. */
  multiplex: v.optional(v.boolean(), true),
  closeTimeoutMs: v.optional(positiveInt, defaultLimits.closeTimeoutMs),
  maxPresenceBytes: v.optional(positiveInt, defaultLimits.maxPresenceBytes),
  maxDocumentBytes: v.optional(positiveInt, defaultUpdateLimits.maxDocumentBytes),
  maxClientIdsPerUpdate: v.optional(positiveInt, defaultUpdateLimits.maxClientIdsPerUpdate),
  maxDailyBytesPerUser: v.optional(positiveInt, defaultUpdateLimits.maxDailyBytesPerUser),
  /** WebSockets open at once, whatever each carries (limits.ts). */
  maxConnections: v.optional(positiveInt, defaultConnectionCaps.maxConnections),
  /** Per user; by default 32, or 1000 with `multiplex: false` (a socket per document then; limits.ts). */
  maxConnectionsPerUser: v.optional(positiveInt),
  /** Browser origins allowed to upgrade and to read the HTTP API: exact origins or `scheme://*`. */
  allowedOrigins: v.optional(
    list(v.pipe(v.string(), v.check(isOriginPattern)), 'each origin is scheme://host[:port] or scheme://*'),
    [...defaultAllowedOrigins],
  ),
  /** Host names (besides IP literals and localhost) requests may be addressed to. */
  allowedHosts: v.optional(list(v.pipe(v.string(), v.regex(/^[A-Za-z0-9.-]+$/u)), 'each host is a DNS name'), []),
  logLevel: v.optional(v.picklist(['debug', 'info', 'warn', 'error']), 'info'),
  /** The packaged extension and its update manifests (`npm run package`), served at GET /extension/<file>. */
  extensionDir: v.optional(v.pipe(v.string(), v.minLength(1))),
  /** Single sign-on through the organisation's OpenID Connect provider: a JSON file (sso/config.ts, README). */
  ssoConfig: v.optional(v.pipe(v.string(), v.minLength(1))),
  /** Several instances (scaleout.ts): a shared PostgreSQL store instead of SQLite in `dataDir`. */
  store: v.optional(v.pipe(v.string(), v.regex(/^postgres(?:ql)?:\/\//u, 'the store is a postgres:// URL'))),
  /** Several instances: Redis for fan-out between them (needs a postgres `store`). */
  pubsub: v.optional(v.pipe(v.string(), v.regex(/^rediss?:\/\//u, 'pubsub is a redis:// URL'))),
  /** How often the database and Redis are checked for /healthz and /metrics. */
  dependencyCheckMs: v.optional(positiveInt, 2000),
});
export type ServerOptions = v.InferInput<typeof serverOptionsSchema> & {
  /** Where JSON log lines go (default: stdout). */
  logSink?: LogSink;
  /** Another storage engine; by default SQLite in `dataDir`. */
  storage?: Storage;
};

export interface RunningServer {
  host: string;
  port: number;
  /** ws://host:port — append `/<document name>`. */
  url: string;
  metrics: Metrics;
  log: Logger;
  /** Stop accepting, close every connection (1001), compact and unload documents, close storage. */
  close(): Promise<void>;
}

export async function startServer(input: ServerOptions): Promise<RunningServer> {
  const options = v.parse(serverOptionsSchema, input);
  // Before anything touches the directory: a second server on it would lose writes (datadir-lock.ts).
  const lock = lockDataDir(options.dataDir, 'server');
  try {
    return await start(input, options, lock);
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function start(
  input: ServerOptions,
  options: v.InferOutput<typeof serverOptionsSchema>,
  lock: DataDirLock,
): Promise<RunningServer> {
  const log = createLogger(input.logSink, options.logLevel as LogLevel);
  const limits: Limits = {
    maxFrameBytes: options.maxFrameBytes,
    messagesPerSecond: options.messagesPerSecond,
    messageBurst: options.messageBurst,
    bytesPerSecond: options.bytesPerSecond,
    byteBurst: options.byteBurst,
    handshakeTimeoutMs: options.handshakeTimeoutMs,
    maxQueuedMessages: options.maxQueuedMessages,
    maxBufferedBytes: options.maxBufferedBytes,
    maxDocumentsPerConnection: options.maxDocumentsPerConnection,
    closeTimeoutMs: options.closeTimeoutMs,
    maxPresenceBytes: options.maxPresenceBytes,
  };
  const updateLimits: UpdateLimits = {
    maxDocumentBytes: options.maxDocumentBytes,
    maxClientIdsPerUpdate: options.maxClientIdsPerUpdate,
    maxDailyBytesPerUser: options.maxDailyBytesPerUser,
  };
  const policy: OriginPolicy = { allowedOrigins: options.allowedOrigins, allowedHosts: options.allowedHosts };
  const counter = new ConnectionCounter({
    maxConnections: options.maxConnections,
    maxConnectionsPerUser:
      options.maxConnectionsPerUser ??
      (options.multiplex ? defaultConnectionCaps.maxConnectionsPerUser : defaultConnectionsPerUserWithoutMultiplex),
  });
  // Read before the store opens: a configuration that does not parse stops the start, with its reason.
  const ssoConfig = options.ssoConfig === undefined ? undefined : loadSsoConfig(options.ssoConfig);
  const secret = loadOrCreateSecret(options.dataDir);
  const metrics = new Metrics();
  const health = new Health(log, metrics);
  const shared = await openSharedStores(options, log, health);
  const storage =
    input.storage ??
    shared?.storage ??
    openSqliteStorage(options.dataDir, { synchronous: options.synchronous, backgroundCheckpoints: true });
  const sso = ssoConfig && new SsoService(ssoConfig, secret, storage, log);
  // Damage found now is reported (log, /healthz, /metrics) and remembered; see integrity.ts.
  await checkIntegrity(storage, options.dataDir, { full: false }, health);
  // Presence-only clientID bindings a month old belong to page loads long gone (presence.ts).
  await storage.pruneReservations(Date.now() - 30 * 24 * 3600 * 1000);
  const registry = new DocumentRegistry({
    storage,
    metrics,
    log,
    health,
    idleUnloadMs: options.idleUnloadMs,
    compactEvery: options.compactEvery,
    fanout: shared?.pubsub?.hooks,
  });
  await registry.start();
  shared?.pubsub?.attach(registry, { resync: () => void sweep(), revoked: () => void sweep() });
  const context: ConnectionContext = { registry, storage, metrics, log, limits, updateLimits };
  const connections = new Set<ClientSocket>();

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: limits.maxFrameBytes,
    perMessageDeflate: false,
    // Echo a protocol name, never the `auth.<token>` entry. Offered the multiplexed protocol, the
    // upgrade below has already decided to accept it (or the server does not multiplex).
    handleProtocols: (protocols) =>
      options.multiplex && protocols.has(MULTIPLEX_SUBPROTOCOL)
        ? MULTIPLEX_SUBPROTOCOL
        : protocols.has(subprotocol)
          ? subprotocol
          : false,
  });

  const http = createServer(
    {
      // The deadline for the HTTP part of the handshake (slow or silent clients). Node checks it
      // every `connectionsCheckingInterval` (30 s by default), so check often enough to mean it.
      headersTimeout: limits.handshakeTimeoutMs,
      requestTimeout: limits.handshakeTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, limits.handshakeTimeoutMs),
    },
    (req, res) => {
      handleHttp(
        {
          secret,
          storage,
          metrics,
          policy,
          health,
          registry,
          dataDir: options.dataDir,
          updateLimits,
          log,
          extensionDir: options.extensionDir,
          sso,
        },
        req,
        res,
      ).catch((error: Error) => {
        log.error('http handler failed', { method: req.method ?? '', error: error.message });
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    },
  );
  // Sockets beyond every connection we would accept, plus room for the HTTP API.
  http.maxConnections = options.maxConnections + 256;

  const refuseUpgrade = (
    socket: Duplex,
    status: 400 | 401 | 403 | 421 | 429 | 503,
    reason: RefusalReason,
    detail: string,
  ) => {
    metrics.refuse(reason);
    log.warn('upgrade refused', { status, reason, detail });
    const text = {
      400: 'Bad Request',
      401: 'Unauthorized',
      403: 'Forbidden',
      421: 'Misdirected Request',
      429: 'Too Many Requests',
      503: 'Service Unavailable',
    }[status];
    socket.end(
      `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${text.length}\r\n\r\n${text}`,
    );
  };

  /** Complete the handshake; `release` gives the socket's slot back (connection caps) when it ends. */
  const accept = (
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    release: () => void,
    open: (ws: WebSocket) => ClientSocket,
    fields: Record<string, unknown>,
  ) => {
    socket.once('close', release);
    wss.handleUpgrade(req, socket, head, (ws) => {
      const client = open(ws);
      connections.add(client);
      ws.on('close', () => {
        connections.delete(client);
        release();
      });
      log.info('connected', { ...fields, conn: client.id });
    });
  };

  const upgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = requestUrl(req.url);
    const refusal = refuseRequest(policy, req, url);
    if (refusal !== null || url === null) {
      return refuseUpgrade(
        socket,
        refusal?.status ?? 400,
        refusal?.reason ?? 'bad-request',
        refusal?.detail ?? 'request target is not a path',
      );
    }
    let docName: string;
    try {
      docName = decodeURIComponent(url.pathname.slice(1));
    } catch {
      return refuseUpgrade(socket, 400, 'bad-request', 'undecodable path');
    }
    const multiplexed = options.multiplex && offersMultiplex(req);
    // A multiplexed socket's path names no document (protocol.ts); any document's URL, or `/`, will do.
    if (!isDocName(docName) && !(multiplexed && docName === ''))
      return refuseUpgrade(socket, 400, 'bad-request', 'not a document name');
    const auth = await authenticate(secret, storage, tokenFromRequest(req, url));
    if (!auth.ok)
      return refuseUpgrade(
        socket,
        401,
        auth.reason === 'revoked' ? 'revoked' : auth.reason === 'expired' ? 'expired' : 'unauthorized',
        auth.reason,
      );
    const token = auth.payload;
    const access = multiplexed ? null : authorize(token.grants, docName, token.sub);
    if (!multiplexed && access === null)
      return refuseUpgrade(socket, 403, 'forbidden', `${token.sub} has no grant on ${docName}`);
    // One slot per socket, whatever it carries: a multiplexed socket takes one however many documents it opens.
    const slot = counter.admit(token.sub);
    if (!slot.ok) {
      return slot.full === 'user'
        ? refuseUpgrade(socket, 429, 'connection-limit', `${token.sub} holds too many connections`)
        : refuseUpgrade(socket, 503, 'connection-limit', 'too many connections');
    }
    if (access === null)
      return accept(req, socket, head, slot.release, (ws) => openMultiplexedSocket(ws, token, context), {
        multiplexed: true,
        user: token.sub,
      });
    accept(req, socket, head, slot.release, (ws) => openDocumentSocket(ws, token, access, docName, context), {
      doc: docName,
      user: token.sub,
      role: access.role,
    });
  };

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    upgrade(req, socket, head).catch((error: Error) => {
      log.error('upgrade failed', { error: error.message });
      socket.destroy();
    });
  });

  // Revocations, expiry and other processes' writes.
  let sweeping = false;
  // A sweep asked for while one runs (another instance's revocation, pubsub.ts) runs right after it.
  let sweepAgain = false;
  const sweep = async (): Promise<void> => {
    if (sweeping) {
      sweepAgain = true;
      return;
    }
    sweeping = true;
    sweepAgain = false;
    try {
      const revocations = await registry.pullExternalChanges();
      const now = Date.now();
      for (const conn of connections) {
        if (!conn.isOpen) continue;
        if (revocations.some((revocation) => revocationCovers(revocation, conn.token))) {
          conn.close(closeCodes.unauthorized, 'token revoked', 'revoked');
        } else if (conn.token.exp * 1000 <= now) {
          conn.close(closeCodes.unauthorized, 'token expired', 'expired');
        }
      }
    } catch (error) {
      log.error('sweep failed', { error: (error as Error).message });
    } finally {
      sweeping = false;
    }
    if (sweepAgain) return sweep();
  };
  const sweepTimer = setInterval(() => void sweep(), options.pollIntervalMs);

  // Dead peers: no pong since the last ping.
  const pingTimer = setInterval(() => {
    for (const conn of connections) conn.heartbeat();
  }, options.pingIntervalMs);

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const address = http.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `ws://${hostForUrl}:${port}`;
  lock.announce(url);
  log.announce(`listening ${url}`, { host: options.host, port, dataDir: options.dataDir });

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      clearInterval(sweepTimer);
      clearInterval(pingTimer);
      shared?.stopChecks();
      const stopped = new Promise<void>((resolve) => http.close(() => resolve()));
      for (const conn of connections) conn.close(closeCodes.goingAway, 'server shutting down');
      http.closeAllConnections();
      await registry.closeAll();
      await storage.close();
      await shared?.pubsub?.close();
      await stopped;
      lock.release();
      log.info('stopped', {});
    })();
    return closing;
  };

  return { host: options.host, port, url, metrics, log, close };
}
