/**
 * The periodic sweep (`pollIntervalMs`, and on demand when another instance says so, pubsub.ts):
 * picks up writes and revocations made by other processes (the CLI, other instances) and closes
 * connections whose token was revoked or has expired (4401, which stops a y-websocket 3 client
 * from reconnecting).
 */
import { revocationCovers } from './auth.ts';
import type { DocumentRegistry } from './documents.ts';
import type { Logger } from './log.ts';
import { closeCodes } from './protocol.ts';
import type { ClientSocket } from './socket.ts';

/** A sweep function: never two at once, and one asked for while another runs runs right after it. */
export function createSweep(
  registry: DocumentRegistry,
  connections: ReadonlySet<ClientSocket>,
  log: Logger,
): () => Promise<void> {
  let sweeping = false;
  let sweepAgain = false;
  const sweep = async (): Promise<void> => {
    if (sweeping) {
      sweepAgain = true;
      return;
    }
    sweeping = true;
    sweepAgain = false;
    try {
      const revocations = await registry.pullExternalChanges();
      const now = Date.now();
      for (const conn of connections) {
        if (!conn.isOpen) continue;
        if (revocations.some((revocation) => revocationCovers(revocation, conn.token))) {
          conn.close(closeCodes.unauthorized, 'token revoked', 'revoked');
        } else if (conn.token.exp * 1000 <= now) {
          conn.close(closeCodes.unauthorized, 'token expired', 'expired');
        }
      }
    } catch (error) {
      log.error('sweep failed', { error: (error as Error).message });
    } finally {
      sweeping = false;
    }
    if (sweepAgain) return sweep();
  };
  return sweep;
}
