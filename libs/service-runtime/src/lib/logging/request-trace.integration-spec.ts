import { Controller, Get, Logger, Module, type DynamicModule, type INestApplication } from '@nestjs/common';
import { Public } from '@enforcement/auth';
import { InProcessBroker } from '@enforcement/events';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import request from 'supertest';
import type { App } from 'supertest/types';
import { defineServiceSettings, loadServiceConfig } from '../config/service-config';
import { RuntimeModule } from '../runtime.module';
import { startService, type ServiceContext, type ServiceDefinition } from '../start-service';

@Controller('work')
class WorkController {
  private readonly logger = new Logger('Work');

  @Public()
  @Get()
  async work(): Promise<{ done: true }> {
    await new Promise((resolve) => setTimeout(resolve, 2));
    this.logger.log('working');
    return { done: true };
  }
}

@Module({})
class WorkAppModule {
  static forRoot(context: ServiceContext): DynamicModule {
    return {
      module: WorkAppModule,
      imports: [RuntimeModule.forRoot({ ...context, entities: [], migrations: [] })],
      controllers: [WorkController],
    };
  }
}

class Lines extends Writable {
  readonly lines: Array<Record<string, unknown>> = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString().split('\n').filter(Boolean)) this.lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  }
}

/** A request's log lines, its handler's and the access log's, carry its trace id; a caller's traceparent is honoured. */
describe('trace ids in a request`s log lines', () => {
  let app: INestApplication<App>;
  let dataDir: string;
  const output = new Lines();

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'request-trace-'));
    const settings = defineServiceSettings({
      name: 'publicity',
      portVariable: 'PUBLICITY_PORT',
      defaultPort: 3999,
      shape: {},
      build: () => ({}),
    });
    const service: ServiceDefinition = {
      name: 'publicity',
      title: 'publicity',
      description: 'test',
      settings,
      rootModule: WorkAppModule.forRoot,
    };
    const config = loadServiceConfig(service.settings, { DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    const broker = new InProcessBroker();
    app = (await startService(service, { config, broker, listen: false, logDestination: output })) as INestApplication<App>;
    broker.open();
  });

  afterAll(async () => {
    await app?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** The handler's line and the access log's line of one request. */
  async function linesOf(headers: Record<string, string>) {
    const from = output.lines.length;
    const answer = await request(app.getHttpServer()).get('/work').set(headers).expect(200);
    const lines = output.lines.slice(from);
    return {
      answer,
      handler: lines.find((line) => line['msg'] === 'working'),
      access: lines.find((line) => line['msg'] === 'request completed'),
    };
  }

  it('continues the caller`s trace, in the handler`s line and in the access log', async () => {
    const trace = randomBytes(16).toString('hex');
    const caller = randomBytes(8).toString('hex');

    const { handler, access } = await linesOf({ traceparent: `00-${trace}-${caller}-01` });

    expect(handler).toMatchObject({ trace_id: trace, span_id: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(handler?.['span_id']).not.toBe(caller);
    expect(access).toMatchObject({ trace_id: trace, span_id: handler?.['span_id'] });
  });

  it('logs the answer`s status, not its headers, and makes no ETag of an answer (routes that want one set it)', async () => {
    const { answer, access } = await linesOf({});

    expect(access?.['res']).toEqual({ statusCode: 200 });
    expect(answer.headers['etag']).toBeUndefined();
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
  });

  it('starts a trace of its own for each request without (or with a malformed) traceparent', async () => {
    const first = await linesOf({});
    const second = await linesOf({ traceparent: 'junk' });

    expect(first.handler?.['trace_id']).toMatch(/^[0-9a-f]{32}$/);
    expect(second.handler?.['trace_id']).toMatch(/^[0-9a-f]{32}$/);
    expect(first.handler?.['trace_id']).not.toBe(second.handler?.['trace_id']);
    expect(first.access?.['trace_id']).toBe(first.handler?.['trace_id']);
  });
});
