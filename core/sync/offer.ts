import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { messageSync } from 'y-websocket';

/**
 * A document connecting before its database is read offers the state it held last time
 * (state-cache.ts; `offerState` in synced-doc.ts) instead of its empty one, so the server answers
 * with what changed since rather than with everything.
 */

/** Our step 1 as y-websocket sends it, but offering `stateVector` instead of the document's. */
export function step1Offering(stateVector: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, messageSync);
  encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep1);
  encoding.writeVarUint8Array(encoder, stateVector);
  return encoding.toUint8Array(encoder);
}

/**
 * The socket class for a document offering a remembered state (`offerState`): while `offering()`,
 * the step 1 y-websocket sends when a socket opens (the unloaded document's, i.e. "nothing") is
 * replaced by one offering the remembered state vector. Every other message passes unchanged.
 */
export function offeringSocket(Base: typeof WebSocket, offer: Uint8Array, offering: () => boolean): typeof WebSocket {
  const replacement = step1Offering(offer);
  return class extends Base {
    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
      const bytes = data instanceof Uint8Array ? data : undefined;
      const isStep1 =
        bytes !== undefined &&
        bytes.length >= 2 &&
        bytes[0] === messageSync &&
        bytes[1] === syncProtocol.messageYjsSyncStep1;
      super.send(isStep1 && offering() ? replacement : (data as ArrayBufferLike));
    }
  };
}
