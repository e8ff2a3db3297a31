/**
 * One document as a test's attempt sees it, whichever way it was opened: on a socket of its own
 * or on a multiplexed one (authz-matrix.test.ts tries every cell both ways), and a write sent on
 * it with the server's verdict.
 */
import * as Y from 'yjs';
import { encodeSyncStep1, encodeUpdate, messageAuth, syncStep1 } from './protocol.ts';
import { muxClient, rawClient, waitFor } from './testing.ts';
import { syncPayloads } from './testing-frames.ts';

/** One document as the row's attempt sees it, on a socket of its own or opened on a multiplexed one. */
export interface Channel {
  frames(): Uint8Array[];
  send(message: Uint8Array): void;
  /** The server closed this document: its code. */
  closedWith(): number | undefined;
  close(): void;
}

export async function connect(
  url: string,
  transport: 'socket' | 'multiplexed',
  doc: string,
  token: string,
): Promise<Channel | string> {
  try {
    if (transport === 'socket') {
      const client = await rawClient(url, doc, token);
      let code: number | undefined;
      void client.closed.then((closed) => (code = closed.code));
      return {
        frames: () => client.frames,
        send: (m) => client.ws.send(m),
        closedWith: () => code,
        close: () => client.ws.close(),
      };
    }
    const mux = await muxClient(url, token, '');
    mux.open(doc);
    return {
      frames: () => mux.messages(doc),
      send: (m) => mux.send(doc, m),
      closedWith: () => mux.closes.get(doc)?.code,
      close: () => mux.ws.close(),
    };
  } catch (error) {
    const status = /HTTP (\d{3})/u.exec((error as Error).message)?.[1];
    if (status === undefined) throw error;
    return status;
  }
}

/** Send `update`, then wait for the verdict: refused in-band, or on disk (the server's step 1 covers it). */
export async function sendWrite(channel: Channel, author: Y.Doc, update: Uint8Array): Promise<'✓' | '✗'> {
  const deniedBefore = channel.frames().filter((frame) => frame[0] === messageAuth).length;
  const answersBefore = syncPayloads(channel.frames(), syncStep1).length;
  channel.send(encodeUpdate(update));
  channel.send(encodeSyncStep1(Y.encodeStateVector(author)));
  await waitFor(
    () => syncPayloads(channel.frames(), syncStep1).length > answersBefore,
    'the server’s state vector',
    15_000,
  );
  if (channel.frames().filter((frame) => frame[0] === messageAuth).length > deniedBefore) return '✗';
  const vector = Y.decodeStateVector(syncPayloads(channel.frames(), syncStep1).at(-1)!);
  return (vector.get(author.clientID) ?? 0) > 0 ? '✓' : '✗';
}
