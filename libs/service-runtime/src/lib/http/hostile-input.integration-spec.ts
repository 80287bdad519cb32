import { Body, Controller, Module, Post, type DynamicModule, type INestApplication } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Public } from '@enforcement/auth';
import { InProcessBroker } from '@enforcement/events';
import * as fs from 'node:fs';
import type { Server } from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { IsOptional, IsString, Length } from 'class-validator';
import request from 'supertest';
import type { App } from 'supertest/types';
import { defineServiceSettings, loadServiceConfig } from '../config/service-config';
import { RuntimeModule } from '../runtime.module';
import { startService, type ServiceContext, type ServiceDefinition } from '../start-service';

class EchoDto {
  @ApiProperty()
  @IsString()
  @Length(1, 50)
  name: string;

  @ApiProperty({ required: false })
  @IsOptional()
  note?: unknown;
}

@Controller('echo')
class EchoController {
  @Public()
  @Post()
  echo(@Body() body: EchoDto): { name: string } {
    return { name: body.name };
  }
}

@Module({})
class EchoAppModule {
  static forRoot(context: ServiceContext): DynamicModule {
    return {
      module: EchoAppModule,
      imports: [RuntimeModule.forRoot({ ...context, entities: [], migrations: [] })],
      controllers: [EchoController],
    };
  }
}

const settings = defineServiceSettings({
  name: 'publicity',
  portVariable: 'PUBLICITY_PORT',
  defaultPort: 3004,
  shape: {},
  build: () => ({}),
});
const echoService: ServiceDefinition = {
  name: 'publicity',
  title: 'echo',
  description: 'test',
  settings,
  rootModule: (context) => EchoAppModule.forRoot(context),
};

class Lines extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(...chunk.toString().split('\n').filter(Boolean));
    done();
  }
}

describe('hostile and careless input', () => {
  let app: INestApplication<App>;
  const log = new Lines();
  let dataDir: string;
  const broker = new InProcessBroker();

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostile-'));
    const config = loadServiceConfig(settings, { DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    app = (await startService(echoService, { config, broker, listen: false, logDestination: log })) as INestApplication<App>;
    broker.open();
  });

  afterAll(async () => {
    await app?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const post = () => request(app.getHttpServer()).post('/echo');

  it('answers a well-formed body', async () => {
    expect((await post().send({ name: 'a' })).body).toEqual({ name: 'a' });
  });

  it('refuses a URL beyond the parser’s limit, and a request it cannot parse, in the platform error format', async () => {
    const tooLong = await request(app.getHttpServer()).get(`/echo?q=${'x'.repeat(20_000)}`);
    expect([tooLong.status, tooLong.body]).toEqual([431, { code: 'REQUEST_HEADERS_TOO_LARGE', message: expect.any(String) }]);

    const server = app.getHttpServer() as unknown as Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as net.AddressInfo;
      const answer = await new Promise<string>((resolve, reject) => {
        const chunks: Buffer[] = [];
        const socket = net.connect(port, '127.0.0.1', () => socket.write('NOT A REQUEST\r\n\r\n'));
        socket.on('data', (chunk: Buffer) => chunks.push(chunk));
        socket.on('end', () => resolve(Buffer.concat(chunks).toString()));
        socket.on('error', reject);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({ code: 'MALFORMED_REQUEST', message: expect.any(String) });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('takes characters beyond the BMP (a surrogate pair, written raw or escaped) as they are', async () => {
    expect((await post().send({ name: '执法😀𠀀' })).body).toEqual({ name: '执法😀𠀀' });
    const escaped = await post().set('content-type', 'application/json').send('{"name":"\\ud83d\\ude00"}');
    expect(escaped.body).toEqual({ name: '😀' });
  });

  it.each([
    ['a 2 MB body', () => post().send({ name: 'a', note: 'x'.repeat(2_000_000) }), 413, 'PAYLOAD_TOO_LARGE'],
    ['a 200 kB body', () => post().send({ name: 'a', note: 'x'.repeat(200_000) }), 413, 'PAYLOAD_TOO_LARGE'],
    [
      'JSON nested 5000 deep',
      () =>
        post()
          .set('content-type', 'application/json')
          .send(`{"name":"a","note":${'['.repeat(5000)}${']'.repeat(5000)}}`),
      400,
      'JSON_TOO_DEEP',
    ],
    [
      'a body declared gzip that is not',
      () => post().set('content-type', 'application/json').set('content-encoding', 'gzip').send('{"name":"a"}'),
      400,
      'MALFORMED_BODY',
    ],
    [
      'a body with __proto__',
      () => post().set('content-type', 'application/json').send('{"name":"a","__proto__":{"polluted":true}}'),
      400,
      'FORBIDDEN_JSON_KEY',
    ],
    [
      'a nested constructor.prototype',
      () => post().set('content-type', 'application/json').send('{"name":"a","note":{"constructor":{"prototype":{"x":1}}}}'),
      400,
      'FORBIDDEN_JSON_KEY',
    ],
    ['broken JSON', () => post().set('content-type', 'application/json').send('{"name":'), 400, 'MALFORMED_JSON'],
    [
      'a lone surrogate in a value (no UTF-8 form: stored as U+FFFD, it would break a hash taken before)',
      () => post().set('content-type', 'application/json').send('{"name":"a","note":"x\\ud800y"}'),
      400,
      'MALFORMED_TEXT',
    ],
    [
      'a lone low surrogate deep in an array',
      () => post().set('content-type', 'application/json').send('{"name":"a","note":[{"k":["\\udc00"]}]}'),
      400,
      'MALFORMED_TEXT',
    ],
    [
      'a lone surrogate in a key',
      () => post().set('content-type', 'application/json').send('{"name":"a","note":{"\\ud83d":1}}'),
      400,
      'MALFORMED_TEXT',
    ],
    [
      'an unknown content encoding',
      () => post().set('content-type', 'application/json').set('content-encoding', 'br2').send('{"name":"a"}'),
      415,
      'UNSUPPORTED_CONTENT_ENCODING',
    ],
  ])('answers %s with a clear 4xx', async (_what, send, status, code) => {
    const response = await send();

    expect([response.status, response.body.code]).toEqual([status, code]);
    expect(typeof response.body.message).toBe('string');
  });

  it('leaves an access-log line for a request refused while reading its body', async () => {
    await post()
      .send({ name: 'a', note: 'x'.repeat(200_000) })
      .expect(413);

    const line = log.lines
      .map((text) => JSON.parse(text) as Record<string, unknown>)
      .find((entry) => entry['code'] === 'PAYLOAD_TOO_LARGE');
    expect(line).toMatchObject({ service: 'publicity', req: { method: 'POST', url: '/echo' }, res: { statusCode: 413 } });
  });

  it('logs the URLs citizens type with their identifying parts masked', async () => {
    await request(app.getHttpServer()).get('/public/certificates/SH-HP-0001?q=%E7%8E%8B%E6%98%8E').expect(404);

    const logged = log.lines.filter((text) => text.includes('/public/certificates/'));
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.join('\n')).not.toMatch(/SH-HP-0001|%E7%8E%8B/);
    expect(logged.join('\n')).toContain('/public/certificates/***?q=***');
  });

  it('takes a real gzip body', async () => {
    const response = await post()
      .set('content-type', 'application/json')
      .set('content-encoding', 'gzip')
      .serialize((body: string) => body)
      .send(gzipSync('{"name":"zipped"}') as unknown as string);
    expect(response.body).toEqual({ name: 'zipped' });
  });

  it('sends no X-Powered-By, tells browsers not to sniff types, and lets JSON answers load nothing', async () => {
    const response = await post().send({ name: 'a' });

    expect(response.headers['x-powered-by']).toBeUndefined();
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
  });

  it('serves the documentation page under a policy that allows only its own scripts', async () => {
    const config = loadServiceConfig(settings, { DATA_DIR: dataDir, LOG_LEVEL: 'silent', API_DOCS: 'public' });
    const open = (await startService(echoService, { config, broker: new InProcessBroker(), listen: false })) as INestApplication<App>;
    const page = await request(open.getHttpServer()).get('/docs/');
    await open.close();
    const csp = String(page.headers['content-security-policy']);

    expect(page.status).toBe(200);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("script-src 'self' 'unsafe-inline'");
    // The page must work under that policy: no inline script bodies.
    expect(String(page.text).match(/<script(?![^>]*\bsrc=)[^>]*>\s*\S/g)).toBeNull();
  });

  it('gives the API document only to a caller with a valid token unless it is configured public or off', async () => {
    expect((await request(app.getHttpServer()).get('/docs-json')).body.code).toBe('UNAUTHENTICATED');
    expect((await request(app.getHttpServer()).get('/docs/').set('Authorization', 'Bearer forged')).status).toBe(401);

    const off = loadServiceConfig(settings, { DATA_DIR: dataDir, LOG_LEVEL: 'silent', API_DOCS: 'off' });
    const closed = (await startService(echoService, {
      config: off,
      broker: new InProcessBroker(),
      listen: false,
    })) as INestApplication<App>;
    try {
      expect((await request(closed.getHttpServer()).get('/docs-json')).status).toBe(404);
    } finally {
      await closed.close();
    }
  });

  it('sends no CORS headers unless origins are configured, then only for those', async () => {
    const preflight = (origin: string) =>
      request(app.getHttpServer()).options('/echo').set('origin', origin).set('access-control-request-method', 'POST');
    expect((await preflight('https://evil.example')).headers['access-control-allow-origin']).toBeUndefined();

    const configured = loadServiceConfig(settings, {
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      CORS_ORIGINS: 'https://portal.example.gov.cn',
    });
    const other = (await startService(echoService, {
      config: configured,
      broker: new InProcessBroker(),
      listen: false,
    })) as INestApplication<App>;
    try {
      const allowed = await request(other.getHttpServer())
        .options('/echo')
        .set('origin', 'https://portal.example.gov.cn')
        .set('access-control-request-method', 'POST');
      const refused = await request(other.getHttpServer())
        .options('/echo')
        .set('origin', 'https://evil.example')
        .set('access-control-request-method', 'POST');
      expect(allowed.headers['access-control-allow-origin']).toBe('https://portal.example.gov.cn');
      expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await other.close();
    }
    expect(() => loadServiceConfig(settings, { CORS_ORIGINS: 'portal.example.gov.cn/path' })).toThrow(/CORS_ORIGINS/);
  });
});
