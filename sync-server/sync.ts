/**
 * Sync messages (y-protocols sync): answering a client's step 1, and accepting its step 2 and
 * updates. Read-only handling lives here and only here: a connection without write access has
 * its non-empty step 2 and updates dropped and answered with a permission-denied auth message.
 */
import * as Y from 'yjs';
import { checkBindings, decodeUpdate, hashUpdate } from './attribution.ts';
import type { Connection } from './connection.ts';
import { MalformedFrame, encodePermissionDenied, encodeSyncStep1, encodeSyncStep2 } from './protocol.ts';

/**
 * Step 2 with what the client lacks, then our own step 1. Everything in memory is already
 * committed (documents.ts), so our state vector is the durable acknowledgement.
 */
export function answerSyncStep1(conn: Connection, stateVector: Uint8Array): void {
  const { ydoc } = conn.document();
  let missing: Uint8Array;
  try {
    Y.decodeStateVector(stateVector);
    missing = Y.encodeStateAsUpdate(ydoc, stateVector);
  } catch (error) {
    throw new MalformedFrame(`bad state vector (${(error as Error).message})`);
  }
  conn.send(encodeSyncStep2(missing));
  conn.send(encodeSyncStep1(Y.encodeStateVector(ydoc)));
}

/** A step 2 or an update: check, commit, apply, broadcast (the last three in documents.ts). */
export async function receiveUpdate(conn: Connection, update: Uint8Array): Promise<void> {
  let decoded;
  try {
    decoded = decodeUpdate(update);
  } catch (error) {
    throw new MalformedFrame(`garbage update (${(error as Error).message})`);
  }
  // Stock clients answer our step 1 with an empty step 2: nothing to store or refuse.
  if (decoded.empty) return;
  const doc = conn.document();
  if (!conn.access.canWrite) {
    conn.refuse('read-only', `role ${conn.access.role} cannot write ${doc.name}`);
    conn.send(encodePermissionDenied(`read-only: your role on ${doc.name} is ${conn.access.role}`));
    return;
  }
  const binding = checkBindings(doc.bindings, decoded.clientIds, conn.user);
  if (!binding.ok) {
    conn.refuse('client-id', `clientID ${binding.clientId} belongs to another user`);
    conn.send(encodePermissionDenied(`clientID ${binding.clientId} belongs to another user`));
    return;
  }
  // Reserve the new bindings now: a later update (from this pipeline or another user) is checked
  // before this one is on disk, and must already see who owns these clientIDs.
  for (const clientId of binding.newBindings) doc.bindings.set(clientId, conn.user);
  await conn.context.registry.commit(
    doc,
    {
      doc: doc.name,
      data: update,
      user: conn.user,
      name: conn.token.name,
      time: Date.now(),
      hash: hashUpdate(update),
      clientIds: decoded.clientIds,
      newBindings: binding.newBindings,
    },
    conn,
  );
  conn.context.metrics.updatesTotal++;
  conn.context.metrics.updateBytesTotal += update.byteLength;
}
