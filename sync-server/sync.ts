/**
 * Sync messages (y-protocols sync): answering a client's step 1, and accepting its step 2 and
 * updates. Read-only handling lives here and only here: a connection without write access has
 * its non-empty step 2 and updates dropped and answered with a permission-denied auth message.
 * Every write then passes the update guard (update-guard.ts) before it is committed.
 */
import * as Y from 'yjs';
import { hashUpdate } from './attribution.ts';
import type { Connection } from './connection.ts';
import { ClientIdTaken } from './documents.ts';
import type { RefusalReason } from './metrics.ts';
import { MalformedFrame, closeCodes, encodePermissionDenied, encodeSyncStep1, encodeSyncStep2 } from './protocol.ts';
import {
  type DecodedUpdate,
  type RefusalKind,
  decodeStructs,
  isEmptyUpdate,
  structClientCount,
} from './update-guard.ts';

/**
 * What each guard refusal does to the connection: a permission-denied answer, a close, or (quiet)
 * nothing the client sees. Pending updates are dropped quietly: an honest client meets them in the
 * moment after a reconnect (a live edit overtakes the step 2 that carries the edits before it),
 * and that step 2, or the next sync exchange, brings the update again with what it depends on. A
 * permission-denied would stay on the officer's screen as an error for a race that repairs itself.
 */
const onRefusal: Record<Exclude<RefusalKind, 'malformed'>, { metric: RefusalReason; close?: number; quiet?: true }> = {
  'client-id': { metric: 'client-id' },
  pending: { metric: 'pending', quiet: true },
  'too-many-clients': { metric: 'too-many-clients', close: closeCodes.unprocessable },
  'too-deep': { metric: 'unprocessable', close: closeCodes.unprocessable },
  unprocessable: { metric: 'unprocessable', close: closeCodes.unprocessable },
  'too-large': { metric: 'too-large', close: closeCodes.documentFull },
};

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
  const limits = conn.context.updateLimits;
  // Before decoding: 60,000 clientIDs in one frame cost more to decode than to refuse. (A count
  // the frame has no room for, at least 3 bytes a client, is garbage: the decoder says so below.)
  const clientCount = structClientCount(update);
  if (clientCount > limits.maxClientIdsPerUpdate && clientCount * 3 <= update.byteLength) {
    return conn.close(
      closeCodes.unprocessable,
      `more than ${limits.maxClientIdsPerUpdate} clientIDs in one update`,
      'too-many-clients',
    );
  }
  let decoded: DecodedUpdate;
  try {
    decoded = decodeStructs(update);
  } catch (error) {
    throw new MalformedFrame(`garbage update (${(error as Error).message})`);
  }
  // Stock clients answer our step 1 with an empty step 2: nothing to store or refuse.
  if (isEmptyUpdate(decoded)) return;
  const doc = conn.document();
  if (!conn.access.canWrite) {
    conn.refuse('read-only', `role ${conn.access.role} cannot write ${doc.name}`);
    conn.send(encodePermissionDenied(`read-only: your role on ${doc.name} is ${conn.access.role}`));
    return;
  }
  const now = Date.now();
  const verdict = doc.guard.check(
    update,
    {
      user: conn.user,
      bindings: doc.bindings,
      storedBytes: doc.storedBytes,
      userBytesToday: doc.addedToday(conn.user, now),
      limits,
    },
    decoded,
  );
  if (!verdict.ok) {
    if (verdict.kind === 'malformed') throw new MalformedFrame(verdict.detail);
    const { metric, close, quiet } = onRefusal[verdict.kind];
    if (close !== undefined) return conn.close(close, verdict.detail.slice(0, 120), metric);
    conn.refuse(metric, verdict.detail);
    if (!quiet) conn.send(encodePermissionDenied(verdict.detail));
    return;
  }
  if (verdict.empty) return;
  doc.noteAdded(conn.user, update.byteLength, now);
  // Reserve the new bindings now: a later update (from this pipeline or another user) is checked
  // before this one is on disk, and must already see who owns these clientIDs.
  for (const clientId of verdict.newBindings) doc.bindings.set(clientId, conn.user);
  const committed = conn.context.registry.commit(
    doc,
    {
      doc: doc.name,
      data: update,
      user: conn.user,
      name: conn.token.name,
      time: now,
      hash: hashUpdate(update),
      clientIds: verdict.clientIds,
      newBindings: verdict.writtenIds,
    },
    conn,
  );
  try {
    await committed;
  } catch (error) {
    if (!(error instanceof ClientIdTaken)) throw error;
    // Another instance bound one of these clientIDs first (storage/postgres.ts): refused like the
    // guard refuses it, and the bindings this instance reserved for it are forgotten.
    for (const clientId of verdict.newBindings)
      if (doc.bindings.get(clientId) === conn.user) doc.bindings.delete(clientId);
    conn.refuse('client-id', error.message);
    conn.send(encodePermissionDenied(error.message));
    return;
  }
  conn.context.metrics.updatesTotal++;
  conn.context.metrics.updateBytesTotal += update.byteLength;
}
