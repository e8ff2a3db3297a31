/**
 * `startServer`: wires the pieces together, after taking the data directory's lock and checking
 * the store's integrity. HTTP requests go to http.ts; every upgrade goes through upgrade.ts, which
 * checks it before the WebSocket handshake completes. An accepted socket carries one document
 * (socket.ts) or many (multiplex.ts); either way each document is a `Connection` with the same
 * guard, presence rules and limits.
 *
 * A sweep every `pollIntervalMs` (sweep.ts) picks up writes and revocations made by other
 * processes and closes connections whose token was revoked or has expired.
 */
import { createServer } from 'node:http';
import * as v from 'valibot';
import { type DataDirLock, lockDataDir } from './datadir-lock.ts';
import { Health } from './health.ts';
import { checkIntegrity } from './integrity.ts';
import type { ConnectionContext } from './connection.ts';
import { DocumentRegistry } from './documents.ts';
import { handleHttp } from './http.ts';
import { ConnectionCounter } from './limits.ts';
import { type LogLevel, type Logger, createLogger } from './log.ts';
import { Metrics } from './metrics.ts';
import { closeCodes } from './protocol.ts';
import {
  type ParsedServerOptions,
  type ServerOptions,
  connectionCapsOf,
  limitsOf,
  originPolicyOf,
  serverOptionsSchema,
  updateLimitsOf,
} from './server-options.ts';
import type { ClientSocket } from './socket.ts';
import { openSharedStores } from './scaleout.ts';
import { openSqliteStorage } from './storage/sqlite.ts';
import { loadSsoConfig } from './sso/config.ts';
import { SsoService } from './sso/service.ts';
import { createSweep } from './sweep.ts';
import { loadOrCreateSecret } from './token.ts';
import { createUpgradeHandler } from './upgrade.ts';

/** What `startServer` takes (server-options.ts). */
export type { ServerOptions };

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

async function start(input: ServerOptions, options: ParsedServerOptions, lock: DataDirLock): Promise<RunningServer> {
  const log = createLogger(input.logSink, options.logLevel as LogLevel);
  const limits = limitsOf(options);
  const updateLimits = updateLimitsOf(options);
  const policy = originPolicyOf(options);
  const counter = new ConnectionCounter(connectionCapsOf(options));
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
  const connections = new Set<ClientSocket>();
  // Revocations, expiry and other processes' writes.
  const sweep = createSweep(registry, connections, log);
  shared?.pubsub?.attach(registry, { resync: () => void sweep(), revoked: () => void sweep() });
  const context: ConnectionContext = { registry, storage, metrics, log, limits, updateLimits };

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

  http.on(
    'upgrade',
    createUpgradeHandler({ multiplex: options.multiplex, policy, secret, counter, connection: context, connections }),
  );

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
