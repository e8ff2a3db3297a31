/**
 * Who may talk to the server from where: the request target, the `Origin` of browser requests and
 * the `Host` they were addressed to. Checked for every HTTP request and every WebSocket upgrade,
 * before any token is looked at.
 *
 * - Request target: anything but a path (`/…`, not `//…`) that parses as a URL is a 400.
 *   (`GET //x:y` once made `new URL` throw on a code path without a catch and stopped the server.)
 * - Origin: browsers send it on cross-origin fetches and on every WebSocket upgrade; Node clients
 *   (stock y-websocket, the CLI) send none and are allowed. An origin is allowed when it matches
 *   one of `allowedOrigins`: an exact origin (`chrome-extension://abcdefghijklmnopabcdefghijklmnop`,
 *   `https://portal.example.gov.cn`) or a whole scheme (`chrome-extension://*`). The default allows
 *   any browser-extension origin and no web page; deployments pin their extension's ID.
 * - Host: DNS rebinding makes a browser send a request for `http://attacker.example:1234/` to a
 *   server on loopback, with `Host: attacker.example:1234`. An IP literal or `localhost` cannot be
 *   rebound, so those pass; any other name must be listed in `allowedHosts` (a reverse proxy's
 *   public name, for instance).
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

export const defaultAllowedOrigins = ['chrome-extension://*', 'moz-extension://*', 'safari-web-extension://*'] as const;

export interface OriginPolicy {
  allowedOrigins: readonly string[];
  allowedHosts: readonly string[];
}

/**
 * The request target as a URL, or null (answer 400) unless it is a path: `/…` but not `//…`, which
 * `new URL(target, base)` reads as a host (`//x:y` throws there) and nothing here ever serves.
 */
export function requestUrl(target: string | undefined): URL | null {
  if (target === undefined || !target.startsWith('/') || target.startsWith('//')) return null;
  try {
    return new URL(`http://localhost${target}`);
  } catch {
    return null;
  }
}

/** `scheme://*` or an exact origin, as the options take them. */
export function isOriginPattern(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/(\*|[^\s/*]+)$/u.test(text);
}

export function originAllowed(policy: OriginPolicy, origin: string | undefined): boolean {
  if (origin === undefined) return true;
  return policy.allowedOrigins.some((pattern) => {
    if (!pattern.endsWith('://*')) return origin === pattern;
    const scheme = pattern.slice(0, -1); // 'chrome-extension://'
    return origin.startsWith(scheme) && /^[^\s/]+$/u.test(origin.slice(scheme.length));
  });
}

/** The host part of a Host header (`[::1]:80` → `::1`, `example:80` → `example`), lower-cased. */
function hostName(header: string): string {
  const text = header.trim().toLowerCase();
  if (text.startsWith('[')) return text.slice(1, text.indexOf(']') >>> 0);
  const colon = text.lastIndexOf(':');
  return colon === -1 ? text : text.slice(0, colon);
}

export function hostAllowed(policy: OriginPolicy, header: string | undefined): boolean {
  // HTTP/1.1 requires Host; an HTTP/1.0 client without one cannot be a rebinding browser.
  if (header === undefined) return true;
  const name = hostName(header);
  if (name === '') return false;
  if (name === 'localhost' || isIP(name) !== 0) return true;
  return policy.allowedHosts.some((allowed) => allowed.toLowerCase() === name);
}

export type RequestRefusal = { status: 400 | 403 | 421; reason: 'bad-request' | 'origin' | 'host'; detail: string };

/** The first reason to refuse this request before looking at anything else, or null. */
export function refuseRequest(policy: OriginPolicy, req: IncomingMessage, url: URL | null): RequestRefusal | null {
  if (url === null) return { status: 400, reason: 'bad-request', detail: 'request target is not a path' };
  if (!hostAllowed(policy, req.headers.host)) return { status: 421, reason: 'host', detail: 'Host is not this server' };
  const origin = req.headers.origin;
  if (!originAllowed(policy, origin)) return { status: 403, reason: 'origin', detail: 'Origin not allowed' };
  return null;
}
