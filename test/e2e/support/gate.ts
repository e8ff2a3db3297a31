import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy in front of the real server that can hold WebSocket upgrades: the browser's socket is
 * accepted but its handshake is not forwarded until released, so a test sees a first sync that has
 * not happened yet (or has happened for some documents only) for as long as it needs, without
 * timers. Plain HTTP (GET /whoami, /history) always passes.
 */

export interface Gate {
  /** ws://127.0.0.1:PORT of the proxy. */
  url: string;
  /** Hold upgrades whose request path matches (default: all), from now on. */
  hold(match?: (path: string) => boolean): void;
  /** Let held and future upgrades whose path matches through (default: all). */
  release(match?: (path: string) => boolean): void;
  close(): Promise<void>;
}

interface Pending {
  path: string;
  client: Socket;
  head: Buffer;
}

export async function gatedProxy(targetPort: number): Promise<Gate> {
  let holding: ((path: string) => boolean) | undefined;
  const released: ((path: string) => boolean)[] = [];
  const pending: Pending[] = [];
  const sockets = new Set<Socket>();

  const forward = (client: Socket, head: Buffer) => {
    const upstream = connect(targetPort, '127.0.0.1', () => {
      upstream.write(head);
      client.pipe(upstream);
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
      const path = decodeURIComponent(/^[A-Z]+ (\S+)/.exec(request)?.[1] ?? '/');
      const upgrade = /^upgrade:\s*websocket/im.test(request);
      if (upgrade && holding?.(path) && !released.some((r) => r(path))) pending.push({ path, client, head });
      else forward(client, head);
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
        if (match(p.path)) forward(p.client, p.head);
        else pending.push(p);
      }
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
