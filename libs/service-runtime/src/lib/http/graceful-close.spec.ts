import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { drainKeptAliveConnectionsOnClose } from './graceful-close';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Reply {
  status: number;
  connection: string | undefined;
  body: string;
}

function get(port: number, agent: http.Agent, path = '/'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    http
      .get({ port, agent, path }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, connection: response.headers.connection, body }));
      })
      .on('error', reject);
  });
}

/** A plain Node server standing in for a service's HTTP server, with a client that keeps its connection alive. */
describe(drainKeptAliveConnectionsOnClose.name, () => {
  let server: http.Server;
  let agent: http.Agent;
  let port: number;

  beforeEach(async () => {
    server = http.createServer((request, response) => {
      const delay = Number(new URL(request.url ?? '/', 'http://x').searchParams.get('ms') ?? 0);
      setTimeout(() => response.end('done'), delay);
    });
    // Node's default; the point is that close() must not wait for it.
    server.keepAliveTimeout = 5000;
    drainKeptAliveConnectionsOnClose(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  });

  afterEach(() => {
    agent.destroy();
    server.closeAllConnections();
    if (server.listening) server.close();
  });

  const close = () =>
    new Promise<number>((resolve) => {
      const started = Date.now();
      server.close(() => resolve(Date.now() - started));
    });

  it('lets a request in flight finish, tells its client to close the connection, and closes without waiting for it to idle out', async () => {
    expect((await get(port, agent)).connection).toBe('keep-alive');
    const inFlight = get(port, agent, '/?ms=300');
    await sleep(50);

    const closing = close();
    const reply = await inFlight;

    expect(reply).toEqual({ status: 200, connection: 'close', body: 'done' });
    expect(await closing).toBeLessThan(4000); // the idle wait it must not do is 5 s
  });

  it('is not held off by a client that keeps sending on its kept-alive connection', async () => {
    let sending = true;
    const replies: Reply[] = [];
    const client = (async () => {
      while (sending) {
        try {
          replies.push(await get(port, agent, '/?ms=20'));
        } catch {
          break; // refused: the server is gone
        }
      }
    })();
    await sleep(200);

    const tookMs = await close();
    sending = false;
    await client;

    // Far under the keep-alive timeout (5 s) a close that waited for idle connections would take.
    expect(tookMs).toBeLessThan(4000);
    expect(replies.length).toBeGreaterThan(3);
    expect(replies.every((reply) => reply.status === 200)).toBe(true);
  });

  it('serves kept-alive connections as usual when listening again after a close', async () => {
    await close();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;

    expect((await get(port, agent)).connection).toBe('keep-alive');
  });
});
