/**
 * Fan-out across instances through Redis pub/sub (`--pubsub redis://…`), for servers sharing a
 * PostgreSQL store. Redis is the fast path only; the database is the truth:
 *
 * - After its commit, an instance publishes each update with its `seq` on the document's channel;
 *   the instances that have the document loaded apply and broadcast it at once
 *   (`DocumentRegistry.applyRemote`), and their storage poll skips it later.
 * - Presence set by local peers is published the same way; an instance that loads a document asks
 *   the others for the presence they hold, so a newcomer sees colleagues on other instances at once.
 * - A revocation is announced on the control channel: every instance sweeps (reads revocations from
 *   the database, closes the sockets they cover) immediately, not at its next poll.
 * - Messages lost (Redis restarted, a subscription dropped) cost latency, not data: every instance
 *   also follows the database's `seq` cursor (sweep.ts, `pollIntervalMs`), and when its
 *   subscription comes back it pulls from the database at once and asks for presence again.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import type { DocumentRegistry, FanoutHooks } from './documents.ts';
import type { SharedDocument } from './shared-document.ts';
import type { Logger } from './log.ts';

const kind = { update: 0, awareness: 1, presenceQuery: 2, revocation: 3 } as const;
/** Origin of presence applied from another instance: never published again. */
const remote = 'remote-instance';

export interface PubSubOptions {
  url: string;
  /** Channel names start with it: deployments sharing one Redis stay apart. */
  prefix: string;
  log: Logger;
}

export interface PubSub {
  readonly hooks: FanoutHooks;
  /** Subscribed and able to publish. */
  readonly up: boolean;
  /** Start applying what other instances publish to `registry`; `resync` runs when messages may have been missed. */
  attach(registry: DocumentRegistry, events: { resync(): void; revoked(): void }): void;
  announceRevocation(): void;
  /** The subscriber connection's name in Redis (CLIENT LIST), for operators and tests. */
  readonly connectionName: string;
  close(): Promise<void>;
}

function frame(type: number, from: string, seq: number, payload: Uint8Array): Buffer {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  encoding.writeVarString(encoder, from);
  encoding.writeVarUint(encoder, seq);
  encoding.writeVarUint8Array(encoder, payload);
  return Buffer.from(encoding.toUint8Array(encoder));
}

function readFrame(message: Buffer): { type: number; from: string; seq: number; payload: Uint8Array } {
  const decoder = decoding.createDecoder(new Uint8Array(message.buffer, message.byteOffset, message.byteLength));
  return {
    type: decoding.readVarUint(decoder),
    from: decoding.readVarString(decoder),
    seq: decoding.readVarUint(decoder),
    payload: decoding.readVarUint8Array(decoder),
  };
}

export async function openPubSub(options: PubSubOptions): Promise<PubSub> {
  const instance = randomBytes(8).toString('hex');
  const connectionName = `dossierlens-${instance}`;
  const docChannel = (name: string) => `${options.prefix}doc:${name}`;
  const controlChannel = `${options.prefix}control`;
  const retryStrategy = (times: number) => Math.min(50 * times, 1000);
  // Publishing never waits for a Redis that is away: the database poll delivers meanwhile.
  const publisher = new Redis(options.url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy,
  });
  const subscriber = new Redis(options.url, {
    lazyConnect: true,
    connectionName,
    retryStrategy,
    autoResubscribe: true,
  });
  let subscribed = false;
  let everReady = false;
  const report = (which: string) => (error: Error) =>
    options.log.warn('redis connection problem', { connection: which, error: error.message });
  publisher.on('error', report('publisher'));
  subscriber.on('error', report('subscriber'));
  subscriber.on('close', () => {
    if (subscribed) options.log.warn('redis subscription lost; following the database until it is back', {});
    subscribed = false;
  });
  await Promise.all([publisher.connect(), subscriber.connect()]);
  await subscriber.subscribe(controlChannel);
  subscribed = true;
  everReady = true;

  const loaded = new Map<string, SharedDocument>();
  let registry: DocumentRegistry | null = null;
  let events: { resync(): void; revoked(): void } | null = null;

  const publish = (channel: string, message: Buffer) => {
    if (publisher.status !== 'ready') return;
    publisher.publish(channel, message).catch(() => undefined);
  };
  const publishPresence = (doc: SharedDocument, ids: number[]) => {
    if (ids.length > 0)
      publish(docChannel(doc.name), frame(kind.awareness, instance, 0, encodeAwarenessUpdate(doc.awareness, ids)));
  };
  const askForPresence = (name: string) =>
    publish(docChannel(name), frame(kind.presenceQuery, instance, 0, new Uint8Array()));

  subscriber.on('ready', () => {
    // ioredis subscribes again by itself; what was published meanwhile comes from the database.
    if (!everReady) return;
    subscribed = true;
    options.log.info('redis subscription back; catching up from the database', {});
    events?.resync();
    for (const name of loaded.keys()) askForPresence(name);
  });

  subscriber.on('messageBuffer', (channelBuffer: Buffer, message: Buffer) => {
    const channel = channelBuffer.toString();
    let parsed;
    try {
      parsed = readFrame(message);
    } catch {
      return options.log.warn('unreadable pub/sub message', { channel });
    }
    // Revocations: this instance sweeps on its own announcement too, so it acts as fast as the others.
    if (channel === controlChannel) {
      if (parsed.type === kind.revocation) events?.revoked();
      return;
    }
    if (parsed.from === instance) return;
    const name = channel.slice(`${options.prefix}doc:`.length);
    const doc = loaded.get(name);
    if (parsed.type === kind.update) registry?.applyRemote({ seq: parsed.seq, doc: name, data: parsed.payload });
    else if (doc === undefined) return;
    else if (parsed.type === kind.awareness) {
      try {
        applyAwarenessUpdate(doc.awareness, parsed.payload, remote);
      } catch (error) {
        options.log.warn('unreadable presence from another instance', { doc: name, error: (error as Error).message });
      }
    } else if (parsed.type === kind.presenceQuery) publishPresence(doc, [...doc.awareness.getStates().keys()]);
  });

  const hooks: FanoutHooks = {
    loaded(doc) {
      loaded.set(doc.name, doc);
      // Presence set through this instance's sockets (their origin is the connection) goes out.
      doc.awareness.on(
        'update',
        ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
          if (typeof origin === 'object' && origin !== null) publishPresence(doc, added.concat(updated, removed));
        },
      );
      subscriber.subscribe(docChannel(doc.name)).then(
        () => askForPresence(doc.name),
        () => undefined,
      );
    },
    unloaded(name) {
      loaded.delete(name);
      subscriber.unsubscribe(docChannel(name)).catch(() => undefined);
    },
    committed(doc, seq, update) {
      publish(docChannel(doc), frame(kind.update, instance, seq, update));
    },
  };

  return {
    hooks,
    connectionName,
    get up() {
      return subscribed && subscriber.status === 'ready' && publisher.status === 'ready';
    },
    attach(target, handlers) {
      registry = target;
      events = handlers;
    },
    announceRevocation() {
      publish(controlChannel, frame(kind.revocation, instance, 0, new Uint8Array()));
    },
    async close() {
      subscribed = false;
      everReady = false;
      // Not QUIT: with Redis away it would wait for a reconnection that may never come.
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}
