/**
 * The gate every write passes before it is stored: an update is refused unless the server is sure
 * it can apply it now and load it again after a restart, and it claims no one else's clientIDs.
 *
 * Each loaded document keeps, from its first write on, a second Y.Doc, the staging copy: the
 * durable state plus the writes accepted but not yet on disk (documents.ts applies those to the
 * durable doc once committed). A candidate update is checked in this order, cheapest first, and
 * refused at the first failure:
 *
 *   malformed          does not decode                                      → close 4400
 *   too-many-clients   more distinct clientIDs (structs or deletes) than
 *                      `maxClientIdsPerUpdate`                              → close 4422
 *   too-large          the document would pass `maxDocumentBytes`, or this user
 *                      would have added more than `maxDailyBytesPerUser` to it
 *                      within 24 hours (so one user alone cannot fill it and
 *                      lock everyone else out)                               → close 4413
 *   too-deep           a Y type nested deeper than `maxTypeDepth`, or a value
 *                      nested deeper than `maxValueDepth`: the document layout
 *                      never nests (core/README.md), and Yjs deletes and
 *                      garbage-collects nested types recursively, so a chain
 *                      of thousands overflows the stack on every later load → close 4422
 *   pending            it would leave structs or deletions waiting for content
 *                      the server does not have: a gap in a clientID's clocks,
 *                      an origin or parent never seen, a deletion of the
 *                      future. Yjs keeps such structs aside for ever (and a
 *                      pending deletion would remove someone's content the
 *                      moment it arrives)                                    → dropped (quietly)
 *   client-id          new content under a clientID bound to another user
 *                      (attribution.ts)                                      → permission denied
 *   unprocessable      applying it to the staging copy throws                → close 4422
 *
 * Only a throw while applying leaves the staging copy in doubt; it is then rebuilt from the
 * durable doc and the writes still in flight. Everything else is decided before applying.
 * "Pending" and "client-id" keep the connection. An honest client meets "pending" right after a
 * reconnect (a live edit overtakes the step 2 carrying the edits before it) or when two tabs share
 * edits through BroadcastChannel, and its next sync exchange sends the update again with what it
 * depends on, so the server drops it without a word (sync.ts); "client-id" is answered with
 * permission-denied.
 */
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { checkBindings } from './attribution.ts';
import { deepType, deepValue } from './nesting.ts';

export { maxTypeDepth, maxValueDepth } from './nesting.ts';

export interface UpdateLimits {
  maxClientIdsPerUpdate: number;
  maxDocumentBytes: number;
  /** What one user may add to one document in 24 hours: a quarter of the cap by default. */
  maxDailyBytesPerUser: number;
}

export const defaultUpdateLimits: UpdateLimits = {
  maxClientIdsPerUpdate: 256,
  maxDocumentBytes: 16 * 1024 * 1024,
  maxDailyBytesPerUser: 4 * 1024 * 1024,
};

export type RefusalKind =
  'malformed' | 'too-many-clients' | 'too-large' | 'too-deep' | 'pending' | 'client-id' | 'unprocessable';

export type Verdict =
  | {
      ok: true;
      empty: boolean;
      /** Every clientID of the update's structs (the audit's list). */
      clientIds: number[];
      /** Those with content the document did not have: all the writer's now. */
      writtenIds: number[];
      /** Those of `writtenIds` nobody had bound yet: bind them to the writer. */
      newBindings: number[];
    }
  | { ok: false; kind: RefusalKind; detail: string };

export interface Writer {
  user: string;
  /** clientID → user, the document's bindings (attribution.ts). */
  bindings: ReadonlyMap<number, string>;
  /** Bytes the document holds in storage now (snapshot and log). */
  storedBytes: number;
  /** Bytes this user added to the document in the last 24 hours (not counted for `anyClientCount`). */
  userBytesToday?: number;
  limits: UpdateLimits;
  /** Skip the clientID cap (an administrator importing a whole document's history). */
  anyClientCount?: boolean;
}

const refuse = (kind: RefusalKind, detail: string): Verdict => ({ ok: false, kind, detail });

export interface DecodedUpdate {
  structs: (Y.Item | Y.GC | Y.Skip)[];
  ds: { clients: Map<number, { clock: number; len: number }[]> };
}

/** `Y.decodeUpdate`, typed; throws on garbage. */
export const decodeStructs = (update: Uint8Array): DecodedUpdate => Y.decodeUpdate(update) as DecodedUpdate;

/** True when the update neither adds content nor deletes anything (a stock client's empty step 2). */
export const isEmptyUpdate = ({ structs, ds }: DecodedUpdate): boolean => structs.length === 0 && ds.clients.size === 0;

export class StagedDocument {
  /**
   * Made on the first write, not on load: copying a document costs an encode and an apply of all
   * of it (~0.6 s of CPU for the 10,000-cadre city's 99 documents, BENCHMARKS.md "Sync server"),
   * and a new device only reads. Until then the durable doc is all there is (nothing in flight).
   */
  private copy: Y.Doc | null = null;
  /** Accepted updates the durable doc has not applied yet, oldest first. */
  private readonly inFlight: Uint8Array[] = [];

  constructor(private readonly durable: Y.Doc) {}

  private get staging(): Y.Doc {
    this.copy ??= copyOf(this.durable, this.inFlight);
    return this.copy;
  }

  /**
   * Decide about `update`; when it is accepted it is already applied to the staging copy, and the
   * caller must report its fate with `stored` (applied to the durable doc) or `lost` (not stored).
   */
  check(update: Uint8Array, writer: Writer, decoded?: DecodedUpdate): Verdict {
    if (decoded === undefined) {
      try {
        decoded = decodeStructs(update);
      } catch (error) {
        return refuse('malformed', `garbage update (${(error as Error).message})`);
      }
    }
    const { structs, ds } = decoded;
    const clientIds = [...new Set(structs.filter((s) => !(s instanceof Y.Skip)).map((s) => s.id.client))];
    if (isEmptyUpdate(decoded)) return { ok: true, empty: true, clientIds: [], writtenIds: [], newBindings: [] };
    if (
      !writer.anyClientCount &&
      new Set([...clientIds, ...ds.clients.keys()]).size > writer.limits.maxClientIdsPerUpdate
    ) {
      return refuse('too-many-clients', `more than ${writer.limits.maxClientIdsPerUpdate} clientIDs in one update`);
    }
    const inFlightBytes = this.inFlight.reduce((sum, pending) => sum + pending.byteLength, 0);
    if (writer.storedBytes + inFlightBytes + update.byteLength > writer.limits.maxDocumentBytes) {
      return refuse('too-large', `the document would exceed ${writer.limits.maxDocumentBytes} bytes`);
    }
    if (
      writer.userBytesToday !== undefined &&
      writer.userBytesToday + update.byteLength > writer.limits.maxDailyBytesPerUser
    ) {
      return refuse(
        'too-large',
        `you would have added more than ${writer.limits.maxDailyBytesPerUser} bytes to this document within 24 hours`,
      );
    }
    const tooDeep = deepValue(structs) ?? deepType(structs, this.staging.store);
    if (tooDeep !== null) return refuse('too-deep', tooDeep);

    const known = Y.decodeStateVector(Y.encodeStateVector(this.staging));
    const reach = reachOf(structs, known);
    if (typeof reach === 'string') return refuse('pending', reach);
    const missing = missingReference(structs, ds.clients, reach);
    if (missing !== null) return refuse('pending', missing);

    const withNewContent = clientIds.filter((client) => (reach.get(client) ?? 0) > (known.get(client) ?? 0));
    const binding = checkBindings(writer.bindings, withNewContent, writer.user);
    if (!binding.ok) return refuse('client-id', `clientID ${binding.clientId} belongs to another user`);

    try {
      Y.applyUpdate(this.staging, update);
    } catch (error) {
      this.rebuild();
      return refuse('unprocessable', `update does not apply (${(error as Error).message})`);
    }
    if (this.staging.store.pendingStructs !== null || this.staging.store.pendingDs !== null) {
      // The analysis above should have seen it; never store what would stay pending.
      this.rebuild();
      return refuse('pending', 'update leaves structs waiting for content the server does not have');
    }
    this.inFlight.push(update);
    return { ok: true, empty: false, clientIds, writtenIds: withNewContent, newBindings: binding.newBindings };
  }

  /** The durable doc applied `update` (committed). */
  stored(update: Uint8Array): void {
    const index = this.inFlight.indexOf(update);
    if (index !== -1) this.inFlight.splice(index, 1);
  }

  /** `update` was accepted but not stored (storage failed): forget it. */
  lost(update: Uint8Array): void {
    this.stored(update);
    this.rebuild();
  }

  /** A change the durable doc received from elsewhere (another process's write). */
  external(update: Uint8Array): void {
    // Not copied yet: the copy, when made, is made from the durable doc, which has it.
    if (this.copy === null) return;
    try {
      Y.applyUpdate(this.staging, update);
    } catch {
      this.rebuild();
    }
  }

  destroy(): void {
    this.copy?.destroy();
    this.copy = null;
  }

  /** Forget the copy; the next check makes it again from the durable doc and what is in flight. */
  private rebuild(): void {
    this.destroy();
  }
}

function copyOf(durable: Y.Doc, inFlight: readonly Uint8Array[]): Y.Doc {
  const copy = new Y.Doc({ gc: durable.gc });
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(durable));
  for (const update of inFlight) Y.applyUpdate(copy, update);
  return copy;
}

/** The number of clientIDs with structs, read from the update's first varint without decoding it. */
export function structClientCount(update: Uint8Array): number {
  try {
    return decoding.readVarUint(decoding.createDecoder(update));
  } catch {
    return 0; // garbage: the decoder says so next
  }
}

/**
 * How far each clientID's clock reaches once the update is applied, or why it would leave a gap:
 * each clientID's structs must continue where the document (staging copy) stands.
 */
function reachOf(
  structs: readonly (Y.Item | Y.GC | Y.Skip)[],
  known: ReadonlyMap<number, number>,
): Map<number, number> | string {
  const reach = new Map(known);
  const byClient = new Map<number, (Y.Item | Y.GC)[]>();
  for (const struct of structs) {
    if (struct instanceof Y.Skip) continue;
    const list = byClient.get(struct.id.client) ?? [];
    list.push(struct);
    byClient.set(struct.id.client, list);
  }
  for (const [client, list] of byClient) {
    list.sort((a, b) => a.id.clock - b.id.clock);
    let end = reach.get(client) ?? 0;
    for (const struct of list) {
      if (struct.id.clock > end) return `clientID ${client} jumps from clock ${end} to ${struct.id.clock}`;
      end = Math.max(end, struct.id.clock + struct.length);
    }
    reach.set(client, end);
  }
  return reach;
}

/** An origin, parent or deletion the document would not have after the update, described; else null. */
function missingReference(
  structs: readonly (Y.Item | Y.GC | Y.Skip)[],
  deletions: Map<number, { clock: number; len: number }[]>,
  reach: ReadonlyMap<number, number>,
): string | null {
  const has = (id: Y.ID | null) => id === null || id.clock < (reach.get(id.client) ?? 0);
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    const parent = struct.parent as unknown;
    if (!has(struct.origin) || !has(struct.rightOrigin) || (parent instanceof Y.ID && !has(parent))) {
      return `content at ${struct.id.client}:${struct.id.clock} refers to content the server does not have`;
    }
  }
  for (const [client, ranges] of deletions) {
    for (const { clock, len } of ranges) {
      if (clock + len > (reach.get(client) ?? 0)) return `deletes ${client}:${clock} which the server does not have`;
    }
  }
  return null;
}
