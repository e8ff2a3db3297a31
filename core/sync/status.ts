/**
 * What the user sees about sync, per document and for the whole workspace. Pure functions: the
 * connection code reports facts, these decide the words.
 */

/**
 * `connecting`: a connection is wanted and being set up (the document loading from this device, the
 * socket opening) and no attempt has failed yet, so nothing says we are offline. A failed attempt or
 * a dropped connection is `offline` (the client keeps retrying); success is `syncing`, then `online`.
 */
export type Connection = 'online' | 'offline' | 'syncing' | 'connecting';

export interface DocStatus {
  name: string;
  connection: Connection;
  /** Local changes the server has not durably acknowledged yet (see confirmation.ts). */
  unconfirmed: number;
  /** The server's last permission-denied answer on this document, e.g. "read-only: your role … is viewer". */
  denied?: string;
  /**
   * The server closed the connection for good (4400–4499, e.g. 4401 token expired or revoked), or
   * refused the document: `httpStatus` 403 when the token has no grant on it (a 4403 close on the
   * shared connection, which browsers see too; an HTTP 403 upgrade on a socket of its own), 401 when
   * the upgrade was refused for the token (code 1006, the close the client saw). Browsers do not see
   * a refused upgrade's status and keep retrying; Node clients do.
   */
  closed?: { code: number; reason: string; httpStatus?: 401 | 403 };
  /** Loaded from this device's storage (or nothing to load). */
  loaded: boolean;
  /** The document was written by a newer schema: read-only here. */
  newerSchema?: number;
}

export interface ConnectionFacts {
  connected: boolean;
  /** Wanted and under way, no attempt failed since connecting was asked for (or last succeeded). */
  connecting?: boolean;
  synced: boolean;
  unconfirmed: number;
}

export function connectionOf(f: ConnectionFacts): Connection {
  if (!f.connected) return f.connecting ? 'connecting' : 'offline';
  if (!f.synced || f.unconfirmed > 0) return 'syncing';
  return 'online';
}

export interface WorkspaceStatus {
  connection: Connection;
  unconfirmed: number;
  denied: { doc: string; reason: string }[];
  closed: { doc: string; code: number; reason: string; httpStatus?: 401 | 403 }[];
  docs: DocStatus[];
}

/**
 * Offline when no document is connected or connecting; connecting while some are being connected
 * and none is yet; online when all are; syncing in between.
 */
export function aggregate(docs: readonly DocStatus[]): WorkspaceStatus {
  const count = (c: Connection) => docs.filter((d) => d.connection === c).length;
  const online = count('online');
  const offline = count('offline');
  const connecting = count('connecting');
  const connection: Connection =
    docs.length === 0 || offline === docs.length
      ? 'offline'
      : online === docs.length
        ? 'online'
        : offline + connecting === docs.length
          ? 'connecting'
          : 'syncing';
  return {
    connection,
    unconfirmed: docs.reduce((n, d) => n + d.unconfirmed, 0),
    denied: docs.flatMap((d) => (d.denied ? [{ doc: d.name, reason: d.denied }] : [])),
    closed: docs.flatMap((d) => (d.closed ? [{ doc: d.name, ...d.closed }] : [])),
    docs: [...docs],
  };
}
