/**
 * Encryption at rest (README "Encrypted at rest"): the primitives, with WebCrypto only, so the same
 * code runs in the extension's pages, its service worker and Node.
 *
 * - The device's data key: 32 random bytes. It is used as a non-extractable AES-GCM key; its raw
 *   bytes exist only in memory (and the browser's memory-only session storage) and, on disk, only
 *   wrapped.
 * - A record is sealed as `version (1) | IV (12) | AES-GCM ciphertext and tag`, with a fresh random
 *   IV, and bound to where it is kept (associated data: database and key), so a record copied into
 *   another document or slot does not open.
 * - Wrapping: the data key sealed under a key the server releases (device-key.ts on the server), or
 *   under a key stretched from an offline PIN with PBKDF2-SHA-256 (the iteration count is stored
 *   beside it so it can be raised later).
 */

const VERSION = 1;
const IV_BYTES = 12;
export const DATA_KEY_BYTES = 32;
/** OWASP's 2023 figure for PBKDF2-HMAC-SHA256. */
export const PIN_ITERATIONS = 600_000;

const encoder = new TextEncoder();
const bytes = (text: string): Uint8Array<ArrayBuffer> => encoder.encode(text);

/** The seal of one record; `context` says where it is kept (associated data). */
export interface RecordCipher {
  seal(plain: Uint8Array, context: string): Promise<Uint8Array<ArrayBuffer>>;
  open(sealed: Uint8Array, context: string): Promise<Uint8Array<ArrayBuffer>>;
}

export class UnreadableRecordError extends Error {
  constructor(context: string) {
    super(`${context}: this record cannot be opened with this device's key`);
    this.name = 'UnreadableRecordError';
  }
}

export function newDataKey(): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(DATA_KEY_BYTES));
}

const aesKey = (raw: Uint8Array<ArrayBuffer>, usages: KeyUsage[]): Promise<CryptoKey> =>
  crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, usages);

async function sealWith(key: CryptoKey, plain: Uint8Array, context: string): Promise<Uint8Array<ArrayBuffer>> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: bytes(context) },
      key,
      plain as Uint8Array<ArrayBuffer>,
    ),
  );
  const out = new Uint8Array(1 + IV_BYTES + sealed.length);
  out[0] = VERSION;
  out.set(iv, 1);
  out.set(sealed, 1 + IV_BYTES);
  return out;
}

async function openWith(key: CryptoKey, sealed: Uint8Array, context: string): Promise<Uint8Array<ArrayBuffer>> {
  if (sealed.length < 1 + IV_BYTES + 16 || sealed[0] !== VERSION) throw new UnreadableRecordError(context);
  try {
    const iv = sealed.slice(1, 1 + IV_BYTES);
    const body = sealed.slice(1 + IV_BYTES);
    return new Uint8Array(
      await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: bytes(context) }, key, body),
    );
  } catch {
    throw new UnreadableRecordError(context);
  }
}

/** A cipher over the data key; the CryptoKey made from it cannot be exported again. */
export async function recordCipher(dataKey: Uint8Array<ArrayBuffer>): Promise<RecordCipher> {
  const key = await aesKey(dataKey, ['encrypt', 'decrypt']);
  return {
    seal: (plain, context) => sealWith(key, plain, context),
    open: (sealed, context) => openWith(key, sealed, context),
  };
}

export const toBase64 = (data: Uint8Array): string => {
  let s = '';
  for (const b of data) s += String.fromCharCode(b);
  return btoa(s);
};
export const fromBase64 = (text: string): Uint8Array<ArrayBuffer> =>
  Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
export const fromBase64Url = (text: string): Uint8Array<ArrayBuffer> =>
  fromBase64(
    text
      .replace(/-/gu, '+')
      .replace(/_/gu, '/')
      .padEnd(Math.ceil(text.length / 4) * 4, '='),
  );

const SERVER_WRAP = 'dossierlens/data-key/server-wrapped';
const PIN_WRAP = 'dossierlens/data-key/pin-wrapped';

/** The data key sealed under the key the server released (32 bytes). */
export async function wrapForServer(
  dataKey: Uint8Array<ArrayBuffer>,
  serverKey: Uint8Array<ArrayBuffer>,
): Promise<string> {
  return toBase64(await sealWith(await aesKey(serverKey, ['encrypt']), dataKey, SERVER_WRAP));
}

export async function unwrapFromServer(
  wrapped: string,
  serverKey: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  return openWith(await aesKey(serverKey, ['decrypt']), fromBase64(wrapped), SERVER_WRAP);
}

export interface PinWrap {
  salt: string;
  iterations: number;
  wrapped: string;
}

async function pinKey(
  pin: string,
  salt: Uint8Array<ArrayBuffer>,
  iterations: number,
  usages: KeyUsage[],
): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey('raw', bytes(pin.normalize('NFKC')), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    usages,
  );
}

export async function wrapWithPin(
  dataKey: Uint8Array<ArrayBuffer>,
  pin: string,
  iterations = PIN_ITERATIONS,
): Promise<PinWrap> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const key = await pinKey(pin, salt, iterations, ['encrypt']);
  return { salt: toBase64(salt), iterations, wrapped: toBase64(await sealWith(key, dataKey, PIN_WRAP)) };
}

/** The data key, or UnreadableRecordError for a wrong PIN. */
export async function unwrapWithPin(wrap: PinWrap, pin: string): Promise<Uint8Array<ArrayBuffer>> {
  const key = await pinKey(pin, fromBase64(wrap.salt), wrap.iterations, ['decrypt']);
  return openWith(key, fromBase64(wrap.wrapped), PIN_WRAP);
}
