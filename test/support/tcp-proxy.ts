import * as net from 'node:net';

/**
 * A TCP proxy in front of one server (e.g. MariaDB), which a test can cut and heal to play a network partition
 * between one client and that server: `cut()` resets every connection it carries and resets each new one at
 * once, so the client sees its connections drop and reconnects fail fast (as with a firewall that rejects);
 * `heal()` lets connections through again. The proxy keeps its port the whole time, so the client's
 * configuration never changes.
 */
export interface TcpProxy {
  readonly host: string;
  readonly port: number;
  /** Connections carried now. */
  connections(): number;
  /** Connections accepted since start, and those refused while cut. */
  stats(): { accepted: number; refused: number };
  isCut(): boolean;
  cut(): void;
  heal(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }, listenHost = '127.0.0.1'): Promise<TcpProxy> {
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  let cut = false;
  let accepted = 0;
  let refused = 0;

  const reset = (socket: net.Socket): void => {
    // An RST, not a FIN: the client learns at once that the connection is gone, as on a real partition.
    if (!socket.destroyed) socket.resetAndDestroy();
  };

  const server = net.createServer((client) => {
    if (cut) {
      refused++;
      client.on('error', () => undefined);
      reset(client);
      return;
    }
    accepted++;
    const upstream = net.connect(target.port, target.host);
    const pair = { client, upstream };
    pairs.add(pair);
    const close = (): void => {
      pairs.delete(pair);
      reset(client);
      reset(upstream);
    };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    client.pipe(upstream);
    upstream.pipe(client);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, listenHost, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as net.AddressInfo;

  return {
    host: listenHost,
    port: address.port,
    connections: () => pairs.size,
    stats: () => ({ accepted, refused }),
    isCut: () => cut,
    cut: () => {
      cut = true;
      for (const { client, upstream } of [...pairs]) {
        reset(client);
        reset(upstream);
      }
      pairs.clear();
    },
    heal: () => {
      cut = false;
    },
    close: async () => {
      cut = true;
      for (const { client, upstream } of pairs) {
        reset(client);
        reset(upstream);
      }
      pairs.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
