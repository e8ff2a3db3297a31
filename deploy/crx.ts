import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import crx3 from 'crx3';

/**
 * The Chromium package: a CRX3 file signed with the organisation's private key, whose public key
 * is the extension's identity — the extension ID is derived from it, so every release signed with
 * the same key updates the same installed extension. The key file is the organisation's: never in
 * the repository, never served, kept like any signing key.
 */

/** The Chromium extension ID of a key: SHA-256 of the public key (DER), first 16 bytes, hex digits as a–p. */
export function extensionId(privateKeyPem: string): string {
  const der = createPublicKey(privateKeyPem).export({ type: 'spki', format: 'der' });
  const hex = createHash('sha256').update(der).digest('hex').slice(0, 32);
  return [...hex].map((d) => String.fromCharCode(97 + parseInt(d, 16))).join('');
}

/**
 * Writes a new RSA-2048 key (as Chrome's own packer makes; PKCS#8 PEM, mode 0600). Refuses to
 * overwrite: a new key is a new extension.
 */
export function createSigningKey(path: string): void {
  if (existsSync(path))
    throw new Error(`${path} exists: a signing key is never replaced (the extension ID would change)`);
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
}

/**
 * Packs `dir` (an unpacked Chromium build) into `crxPath`, signed with `keyPath`, and writes the
 * update manifest (`xmlPath`, gupdate XML) that points at `crxUrl`. Resolves with the extension ID.
 */
export async function packCrx(
  dir: string,
  opts: { keyPath: string; crxPath: string; xmlPath: string; crxUrl: string },
): Promise<string> {
  if (!existsSync(opts.keyPath)) throw new Error(`${opts.keyPath}: no signing key (make one once with --new-key)`);
  const { appId } = await crx3([join(dir, 'manifest.json')], {
    keyPath: opts.keyPath,
    crxPath: opts.crxPath,
    xmlPath: opts.xmlPath,
    crxURL: opts.crxUrl,
  });
  const expected = extensionId(readFileSync(opts.keyPath, 'utf8'));
  if (appId !== expected) throw new Error(`crx3 signed as ${appId}, the key's ID is ${expected}`);
  return appId;
}
