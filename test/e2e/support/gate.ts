import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { MULTIPLEX_SUBPROTOCOL, readEnvelope } from '../../../core/sync/multiplex-wire.ts';

/**
 * A TCP proxy in front of the real server that holds chosen documents back, so a test sees a first
 * sync that has not happened yet (or has happened for some documents only) for as long as it needs,
 * without timers. Documents are held by name, whichever way they travel:
 *
 * - a WebSocket upgrade is held whole while the document its URL names is held (a socket of its
 *   own, or the shared socket, whose URL names the first document the client needed);
 * - on a shared socket (`dossierlens.mux.1`, wire format in sync-server/protocol.ts) every
 *   client frame names its document: the frames of a held document (its open, its sync step 1,
 *   everything after) wait in order while the others pass, and go on when it is released. The
 *   server never hears of the document until then, exactly as if its socket were still connecting.
 *
 * Plain HTTP (GET /whoami, /history) and everything the server sends always pass.
 */

export interface Gate {
  /** ws://127.0.0.1:PORT of the proxy. */
  url: string;
  /** Hold the documents `match` accepts (default: all), from now on. */
  hold(match?: (doc: string) => boolean): void;
  /** Let held and future traffic of the documents `match` accepts through (default: all). */
  release(match?: (doc: string) => boolean): void;
  /** The documents whose frames are waiting on a shared socket right now. */
  heldFrames(): string[];
  close(): Promise<void>;
}

/** The document a WebSocket URL path names (`/<doc>[?…]`, percent-encoded). */
function documentOfPath(path: string): string {
  const bare = path.split('?')[0]!;
  return decodeURIComponent(bare.slice(bare.lastIndexOf('/') + 1));
}

/**
 * One client's frames on a shared socket, read off the TCP stream (RFC 6455 framing; client frames
 * are masked). A message split into fragments is held or passed as a whole, as its first fragment
 * decides; control frames (ping, pong, close) always pass.
 */
class FrameGate {
  private buffer: Buffer = Buffer.alloc(0);
  /** The document of the fragmented message under way, if its first fragment was held. */
  private fragmentOf: { doc: string; held: boolean } | undefined;
  readonly waiting: { doc: string; frame: Buffer }[] = [];

  constructor(
    private readonly upstream: Socket,
    private readonly isHeld: (doc: string) => boolean,
  ) {}

  receive(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const frame = this.nextFrame();
      if (!frame) return;
      this.route(frame);
    }
  }

  /** Passes on what waits for the documents now released, in the order it came. */
  flush(): void {
    const still = this.waiting.filter(({ doc, frame }) => {
      if (this.isHeld(doc)) return true;
      this.upstream.write(frame);
      return false;
    });
    this.waiting.splice(0, this.waiting.length, ...still);
  }

  private nextFrame(): { bytes: Buffer; opcode: number; fin: boolean; payload: Buffer } | undefined {
    const b = this.buffer;
    if (b.length < 2) return undefined;
    const fin = (b[0]! & 0x80) !== 0;
    const opcode = b[0]! & 0x0f;
    const masked = (b[1]! & 0x80) !== 0;
    let length = b[1]! & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (b.length < 4) return undefined;
      length = b.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (b.length < 10) return undefined;
      length = Number(b.readBigUInt64BE(2));
      offset = 10;
    }
    const mask = masked ? b.subarray(offset, offset + 4) : undefined;
    if (masked) offset += 4;
    if (b.length < offset + length) return undefined;
    const bytes = b.subarray(0, offset + length);
    const payload = Buffer.from(b.subarray(offset, offset + length));
    if (mask) for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i % 4]!;
    this.buffer = b.subarray(offset + length);
    return { bytes: Buffer.from(bytes), opcode, fin, payload };
  }

  private route(frame: { bytes: Buffer; opcode: number; fin: boolean; payload: Buffer }): void {
    if (frame.opcode >= 0x8) return void this.upstream.write(frame.bytes); // control frame
    let doc: string;
    if (frame.opcode === 0 && this.fragmentOf) doc = this.fragmentOf.doc;
    else {
      try {
        doc = readEnvelope(new Uint8Array(frame.payload)).doc;
      } catch {
        doc = ''; // not an envelope: the server closes the socket for it, as it would without us
      }
    }
    const held =
      frame.opcode === 0 && this.fragmentOf
        ? this.fragmentOf.held
        : doc !== '' && (this.isHeld(doc) || this.waiting.some((w) => w.doc === doc));
    this.fragmentOf = frame.fin ? undefined : { doc, held };
    if (held) this.waiting.push({ doc, frame: frame.bytes });
    else this.upstream.write(frame.bytes);
  }
}

interface PendingUpgrade {
  doc: string;
  client: Socket;
  head: Buffer;
  multiplexed: boolean;
}

export async function gatedProxy(targetPort: number): Promise<Gate> {
  let holding: ((doc: string) => boolean) | undefined;
  const released: ((doc: string) => boolean)[] = [];
  const isHeld = (doc: string) => (holding?.(doc) ?? false) && !released.some((r) => r(doc));
  const pending: PendingUpgrade[] = [];
  const gates = new Set<FrameGate>();
  const sockets = new Set<Socket>();

  const forward = ({ client, head, multiplexed }: Omit<PendingUpgrade, 'doc'>) => {
    const upstream = connect(targetPort, '127.0.0.1', () => {
      const end = head.indexOf('\r\n\r\n') + 4;
      upstream.write(head.subarray(0, end));
      if (multiplexed) {
        const gate = new FrameGate(upstream, isHeld);
        gates.add(gate);
        // Frames come after the server's answer; anything read with the request is framed too.
        if (head.length > end) gate.receive(head.subarray(end));
        client.on('data', (chunk: Buffer) => gate.receive(chunk));
        client.on('close', () => gates.delete(gate));
      } else {
        if (head.length > end) upstream.write(head.subarray(end));
        client.pipe(upstream);
      }
      upstream.pipe(client);
      client.resume();
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.on('close', () => upstream.destroy());
  };

  const server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      client.off('data', onData);
      client.pause();
      const request = head.subarray(0, end).toString('latin1');
      const doc = documentOfPath(/^[A-Z]+ (\S+)/.exec(request)?.[1] ?? '/');
      const upgrade = /^upgrade:\s*websocket/im.test(request);
      const protocols =
        /^sec-websocket-protocol:(.*)$/im
          .exec(request)?.[1]
          ?.split(',')
          .map((p) => p.trim()) ?? [];
      const upgradeRequest = { client, head, multiplexed: upgrade && protocols.includes(MULTIPLEX_SUBPROTOCOL) };
      if (upgrade && isHeld(doc)) pending.push({ doc, ...upgradeRequest });
      else forward(upgradeRequest);
    };
    client.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `ws://127.0.0.1:${port}`,
    hold(match = () => true) {
      holding = match;
      released.length = 0;
    },
    release(match = () => true) {
      released.push(match);
      for (const p of pending.splice(0)) {
        if (isHeld(p.doc)) pending.push(p);
        else forward(p);
      }
      for (const gate of gates) gate.flush();
    },
    heldFrames: () => [...new Set([...gates].flatMap((g) => g.waiting.map((w) => w.doc)))],
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
