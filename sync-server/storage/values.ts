/**
 * Values as both engines (sqlite.ts, postgres.ts) store and return them: bytes without copying,
 * and the SHA-256 recorded beside every update and snapshot (and checked by `verify`).
 */
import { createHash } from 'node:crypto';

/** A driver's Buffer as the Uint8Array the rest of the server passes around (same memory). */
export const toBytes = (buffer: Buffer): Uint8Array =>
  new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);

/** A Uint8Array as the Buffer a driver binds (same memory). */
export const toBuffer = (data: Uint8Array): Buffer => Buffer.from(data.buffer, data.byteOffset, data.byteLength);

/** Lower-case hex SHA-256: what the `hash` columns hold. */
export const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');
