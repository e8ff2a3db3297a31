/**
 * How a server says no for good, as the sync client sees it: a refused upgrade (HTTP 401 or 403,
 * Node clients only), a document refused on a multiplexed connection (close code 4403), or a
 * write refused (the confirmation protocol). Reconnecting with the same token cannot change
 * these, so the client stops and says why (SyncRefusedError) instead of retrying.
 */

/**
 * The HTTP statuses of a refused upgrade that reconnecting with the same token cannot change: 401
 * (the token is not accepted: forged, expired or revoked) and 403 (no grant on the document).
 */
export type RefusalStatus = 401 | 403;

/** The close code of a document refused for lack of a grant on a multiplexed connection. */
export const FORBIDDEN_CLOSE = 4403;

export const REFUSAL_REASONS: Record<RefusalStatus, string> = {
  401: 'HTTP 401: the server does not accept the token (invalid, expired or revoked)',
  403: 'HTTP 403: the token has no grant on this document',
};

/**
 * The status of a definitively refused upgrade (401 or 403), read from a y-websocket
 * 'connection-error' event; undefined for anything else. Only Node clients can tell: the `ws`
 * package reports "Unexpected server response: 403". A browser's error event carries no status, and
 * 5xx answers, refused connections and timeouts are transient: those keep retrying.
 */
export function definitiveRefusal(event: unknown): RefusalStatus | undefined {
  const e = event as { message?: unknown; error?: { message?: unknown } | null } | null | undefined;
  const message = typeof e?.message === 'string' && e.message !== '' ? e.message : e?.error?.message;
  const match = typeof message === 'string' ? /^Unexpected server response: (\d{3})$/u.exec(message) : null;
  const status = Number(match?.[1]);
  return status === 401 || status === 403 ? status : undefined;
}

/**
 * The server will not let this wait end: it closed the connection for good ('closed'), refused the
 * upgrade with 401 or 403 ('refused', Node clients only: `httpStatus` says which), or refused a
 * write ('denied').
 */
export class SyncRefusedError extends Error {
  constructor(
    readonly doc: string,
    readonly kind: 'closed' | 'denied' | 'refused',
    readonly reason: string,
    readonly httpStatus?: RefusalStatus,
  ) {
    const what = {
      closed: 'connection closed by the server',
      denied: 'permission denied',
      refused: 'refused by the server',
    }[kind];
    super(`${doc}: ${what} (${reason})`);
    this.name = 'SyncRefusedError';
  }
}

/** Why a wait ends once the server has closed the document for good, or refused it (DocStatus `closed`). */
export function closedError(doc: string, closed: { code: number; reason: string; httpStatus?: RefusalStatus }) {
  return closed.httpStatus !== undefined
    ? new SyncRefusedError(doc, 'refused', closed.reason, closed.httpStatus)
    : new SyncRefusedError(doc, 'closed', `${closed.code} ${closed.reason}`);
}
