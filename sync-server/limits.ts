/**
 * Per-connection limits. Frame size is enforced by `ws` itself (`maxPayload`, close 1009);
 * here: message and byte rates (token buckets, so short bursts such as an offline client's
 * catch-up pass) and the queue of messages waiting for their turn. A connection is one client on
 * one document: each document open on a multiplexed socket has limits of its own, as it would
 * with a socket of its own.
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
};

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
