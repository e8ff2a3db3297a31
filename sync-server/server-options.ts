/**
 * The server's options (`startServer`, and as flags and environment variables main.ts), with
 * their defaults, and the limit sets each part of the server takes from them.
 */
import * as v from 'valibot';
import {
  type ConnectionCaps,
  type Limits,
  defaultConnectionCaps,
  defaultConnectionsPerUserWithoutMultiplex,
  defaultLimits,
} from './limits.ts';
import type { LogSink } from './log.ts';
import { type OriginPolicy, defaultAllowedOrigins, isOriginPattern } from './origins.ts';
import type { Storage } from './storage/types.ts';
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

export type ParsedServerOptions = v.InferOutput<typeof serverOptionsSchema>;

/** Per-connection limits (limits.ts). */
export const limitsOf = (options: ParsedServerOptions): Limits => ({
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
});

/** What the update guard enforces per document and per user (update-guard.ts). */
export const updateLimitsOf = (options: ParsedServerOptions): UpdateLimits => ({
  maxDocumentBytes: options.maxDocumentBytes,
  maxClientIdsPerUpdate: options.maxClientIdsPerUpdate,
  maxDailyBytesPerUser: options.maxDailyBytesPerUser,
});

/** Sockets open at once, in all and per user; without multiplexing a client holds one per document. */
export const connectionCapsOf = (options: ParsedServerOptions): ConnectionCaps => ({
  maxConnections: options.maxConnections,
  maxConnectionsPerUser:
    options.maxConnectionsPerUser ??
    (options.multiplex ? defaultConnectionCaps.maxConnectionsPerUser : defaultConnectionsPerUserWithoutMultiplex),
});

export const originPolicyOf = (options: ParsedServerOptions): OriginPolicy => ({
  allowedOrigins: options.allowedOrigins,
  allowedHosts: options.allowedHosts,
});
