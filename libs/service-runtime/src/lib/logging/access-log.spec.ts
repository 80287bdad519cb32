import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { accessLog } from './access-log';

/** A plain Node server with the access log in front of `answer`; the lines it writes, parsed. */
async function serverWith(answer: (url: string, response: import('node:http').ServerResponse) => void) {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ base: undefined }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  const log = accessLog(logger);
  const server: Server = createServer((request, response) => log(request, response, () => answer(request.url ?? '', response)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const get = (path: string, headers: Record<string, string> = {}) =>
    new Promise<number>((resolve, reject) => {
      httpRequest({ port, path, headers }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      })
        .on('error', reject)
        .end();
    });
  return { lines, get, port, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe(accessLog.name, () => {
  it('writes one line per answered request, with its masked URL, status, time and a number of its own', async () => {
    const server = await serverWith((_url, response) => response.writeHead(201).end('{}'));
    try {
      expect(await server.get('/cases?partyName=%E7%8E%8B&state=open', { 'user-agent': 'field-app/2' })).toBe(201);
      expect(await server.get('/cases/7b1c/steps')).toBe(201);

      expect(server.lines).toEqual([
        expect.objectContaining({
          msg: 'request completed',
          req: { id: 1, method: 'GET', url: '/cases?partyName=***&state=open', remoteAddress: '127.0.0.1', userAgent: 'field-app/2' },
          res: { statusCode: 201 },
          responseTime: expect.any(Number),
        }),
        expect.objectContaining({ msg: 'request completed', req: expect.objectContaining({ id: 2, url: '/cases/7b1c/steps' }) }),
      ]);
    } finally {
      await server.close();
    }
  });

  it('says a request failed on a 5xx answer, and writes nothing for probes and scrapes', async () => {
    const server = await serverWith((url, response) => response.writeHead(url === '/broken' ? 503 : 200).end());
    try {
      await server.get('/health');
      await server.get('/health?full=1');
      await server.get('/metrics');
      expect(await server.get('/broken')).toBe(503);

      expect(server.lines).toEqual([
        expect.objectContaining({
          msg: 'request errored',
          res: { statusCode: 503 },
          err: expect.objectContaining({ message: 'failed with status code 503' }),
        }),
      ]);
    } finally {
      await server.close();
    }
  });

  it('says a request was aborted when the client went away before the answer', async () => {
    let arrived!: () => void;
    const received = new Promise<void>((resolve) => (arrived = resolve));
    let closed!: () => void;
    const gone = new Promise<void>((resolve) => (closed = resolve));
    const server = await serverWith((_url, response) => {
      // Runs after the access log's own listener, which was added first.
      response.on('close', () => setImmediate(closed));
      arrived();
    });
    try {
      const client = httpRequest({ port: server.port, path: '/slow' }).on('error', () => undefined);
      client.end();
      await received;
      client.destroy();
      await gone;

      expect(server.lines).toEqual([expect.objectContaining({ msg: 'request aborted', req: expect.objectContaining({ url: '/slow' }) })]);
    } finally {
      await server.close();
    }
  });
});
