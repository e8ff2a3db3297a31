/**
 * What every HTTP endpoint (http.ts, admin-http.ts, view-log.ts, sso/http.ts) answers and reads
 * the same way: CORS for the allowed browser origins, JSON bodies never cached, request bodies
 * read up to a limit.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type OriginPolicy, originAllowed } from './origins.ts';

/** The CORS headers for the request's Origin when it is allowed (origins.ts), none otherwise. */
export function corsHeaders(policy: OriginPolicy, req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  if (typeof origin !== 'string' || !originAllowed(policy, origin)) return {};
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Headers': 'Authorization, Content-Type',
    'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
    'Access-Control-Max-Age': '600',
    Vary: 'Origin',
  };
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

/** The request body, or null once it passes `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > limit) {
        resolve(null);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
