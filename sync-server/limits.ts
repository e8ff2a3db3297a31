/**
 * Limits. Frame size is enforced by `ws` itself (`maxPayload`, close 1009); here: message and byte
 * rates per connection (token buckets, so short bursts such as an offline client's catch-up pass),
 * the queue of messages waiting for their turn, how long a closing peer is waited for, and how many
 * sockets one user and everybody together may hold (`ConnectionCounter`), and the size of one
 * presence state (presence.ts applies it). What one update or one document may hold is
 * update-guard.ts's. A connection is one client on one document: each document open on a
 * multiplexed socket has the per-connection limits of its own, as it would with a socket of its own.
 */
export interface Limits {
  /** Largest frame accepted, bytes. */
  maxFrameBytes: number;
  /** Sustained messages per second per connection, and the burst allowed above it. */
  messagesPerSecond: number;
  messageBurst: number;
  /** Sustained bytes per second per connection, and the burst allowed above it. */
  bytesPerSecond: number;
  byteBurst: number;
  /** Time a new connection has to send its first sync step 1. */
  handshakeTimeoutMs: number;
  /** Messages received but not yet handled before the connection is considered flooding. */
  maxQueuedMessages: number;
  /** A peer that does not read its socket is dropped once this much is buffered for it. */
  maxBufferedBytes: number;
  /** Documents open at once on one multiplexed socket (each has the limits above of its own). */
  maxDocumentsPerConnection: number;
  /**
   * After we send a close frame, the peer has this long to answer before its socket is destroyed
   * (ws would wait 30 s, reading whatever a flooder keeps sending).
   */
  closeTimeoutMs: number;
  /** Largest presence (awareness) state of one client, in bytes of JSON; larger ones are dropped. */
  maxPresenceBytes: number;
}

export const defaultLimits: Limits = {
  maxFrameBytes: 1024 * 1024,
  messagesPerSecond: 300,
  messageBurst: 1000,
  bytesPerSecond: 2 * 1024 * 1024,
  byteBurst: 16 * 1024 * 1024,
  handshakeTimeoutMs: 10_000,
  maxQueuedMessages: 10_000,
  maxBufferedBytes: 32 * 1024 * 1024,
  maxDocumentsPerConnection: 10_000,
  closeTimeoutMs: 1000,
  maxPresenceBytes: 8 * 1024,
};

/** WebSockets open at once (whatever each carries): in all, and per user (token `sub`). */
export interface ConnectionCaps {
  maxConnections: number;
  maxConnectionsPerUser: number;
}

/**
 * The caps count sockets. The extension opens one multiplexed socket per browser profile, carrying
 * every document it has open (about 200 for the demo city); a stock y-websocket client opens one
 * socket per document. So a user with a few devices, a script or two and a reconnect overlapping
 * the socket it replaces stays well under 32. When the server does not multiplex (`multiplex:
 * false`), clients fall back to a socket per document, and the per-user cap defaults to 1000
 * instead (several workspaces' worth). The total keeps one user to a small share of it either way.
 */
export const defaultConnectionCaps: ConnectionCaps = { maxConnections: 10_000, maxConnectionsPerUser: 32 };
export const defaultConnectionsPerUserWithoutMultiplex = 1000;

/**
 * Counts open connections. `admit` takes a slot or says which cap is full; the slot is given back
 * with the function it returns, once, when the connection ends (or never opened).
 */
export class ConnectionCounter {
  private total = 0;
  private readonly perUser = new Map<string, number>();

  constructor(private readonly caps: ConnectionCaps) {}

  admit(user: string): { ok: true; release: () => void } | { ok: false; full: 'total' | 'user' } {
    if (this.total >= this.caps.maxConnections) return { ok: false, full: 'total' };
    const mine = this.perUser.get(user) ?? 0;
    if (mine >= this.caps.maxConnectionsPerUser) return { ok: false, full: 'user' };
    this.total++;
    this.perUser.set(user, mine + 1);
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        this.total--;
        const left = (this.perUser.get(user) ?? 1) - 1;
        if (left > 0) this.perUser.set(user, left);
        else this.perUser.delete(user);
      },
    };
  }
}

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  /** Take `amount` tokens; false when the bucket is empty (the caller refuses). */
  take(amount: number, now: number): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
    this.last = now;
    if (this.tokens < amount) return false;
    this.tokens -= amount;
    return true;
  }
}

export class ConnectionLimiter {
  private readonly messages: TokenBucket;
  private readonly bytes: TokenBucket;

  constructor(limits: Limits, now: number) {
    this.messages = new TokenBucket(limits.messagesPerSecond, limits.messageBurst, now);
    this.bytes = new TokenBucket(limits.bytesPerSecond, limits.byteBurst, now);
  }

  allow(byteLength: number, now: number): boolean {
    return this.messages.take(1, now) && this.bytes.take(byteLength, now);
  }
}
