/**
 * The CLI side of admin-http.ts: a writing command sent to the server that holds the data
 * directory. The CLI proves it may by minting a one-minute token with the directory's secret (the
 * same file access every admin command needs), as `cli:<command>` with admin on everything.
 */
import { loadOrCreateSecret, mintToken } from './token.ts';

/** The server's HTTP address from its WebSocket URL, reaching a wildcard bind over loopback. */
export function adminBase(serverUrl: string): string {
  return serverUrl.replace(/^ws/u, 'http').replace('//0.0.0.0:', '//127.0.0.1:').replace('//[::]:', '//[::1]:');
}

export async function postAdmin<T>(
  dataDir: string,
  serverUrl: string,
  path: string,
  user: string,
  body?: Uint8Array | string,
): Promise<T> {
  const { token } = mintToken(loadOrCreateSecret(dataDir), {
    user,
    grants: [{ role: 'admin', doc: '*' }],
    ttlSeconds: 60,
  });
  const res = await fetch(`${adminBase(serverUrl)}${path}`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': typeof body === 'string' ? 'application/json' : 'application/octet-stream',
    },
    // A copy into a plain ArrayBuffer: what fetch's BodyInit takes.
    ...(body !== undefined ? { body: typeof body === 'string' ? body : new Blob([new Uint8Array(body)]) } : {}),
    signal: AbortSignal.timeout(60_000),
  });
  const answer = (await res.json().catch(() => ({}))) as T & { error?: string };
  if (!res.ok) throw new Error(`the running server refused: ${answer.error ?? `HTTP ${res.status}`}`);
  return answer;
}
