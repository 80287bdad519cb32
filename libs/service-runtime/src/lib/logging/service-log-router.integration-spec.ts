import { Controller, Get, Logger, Module, type DynamicModule, type INestApplication } from '@nestjs/common';
import { Public } from '@enforcement/auth';
import { InProcessBroker } from '@enforcement/events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import request from 'supertest';
import type { App } from 'supertest/types';
import { defineServiceSettings, loadServiceConfig, type ServiceName } from '../config/service-config';
import { RuntimeModule } from '../runtime.module';
import { startService, type ServiceContext, type ServiceDefinition } from '../start-service';

@Controller('fail')
class FailingController {
  private readonly logger = new Logger('Failing');

  @Public()
  @Get()
  fail(): void {
    this.logger.warn('something went wrong here');
    throw new Error('boom');
  }
}

@Module({})
class FailingAppModule {
  static forRoot(context: ServiceContext): DynamicModule {
    return {
      module: FailingAppModule,
      imports: [RuntimeModule.forRoot({ ...context, entities: [], migrations: [] })],
      controllers: [FailingController],
    };
  }
}

function definition(name: ServiceName, portVariable: string): ServiceDefinition {
  const settings = defineServiceSettings({ name, portVariable, defaultPort: 3999, shape: {}, build: () => ({}) });
  return { name, title: name, description: 'test', settings, rootModule: (context) => FailingAppModule.forRoot(context) };
}

class Lines extends Writable {
  readonly lines: Array<Record<string, unknown>> = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString().split('\n').filter(Boolean)) this.lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  }
}

describe('logs of services sharing one process (embedded mode)', () => {
  const apps: INestApplication<App>[] = [];
  const outputs = [new Lines(), new Lines()];
  let dataDir: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'log-router-'));
    const broker = new InProcessBroker();
    for (const [index, [name, portVariable]] of (
      [
        ['legal-review', 'LEGAL_REVIEW_PORT'],
        ['publicity', 'PUBLICITY_PORT'],
      ] as const
    ).entries()) {
      const service = definition(name, portVariable);
      const config = loadServiceConfig(service.settings, { DATA_DIR: dataDir, LOG_LEVEL: 'info' });
      apps.push((await startService(service, { config, broker, listen: false, logDestination: outputs[index] })) as INestApplication<App>);
    }
    broker.open();
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('labels a failure with the service that failed, not the one started last', async () => {
    await request(apps[0].getHttpServer()).get('/fail').expect(500);

    const failed = outputs[0].lines.filter((line) => line['level'] === 50 || line['msg'] === 'something went wrong here');
    expect(failed.length).toBeGreaterThanOrEqual(2);
    expect(failed.every((line) => line['service'] === 'legal-review')).toBe(true);
    expect(
      outputs[1].lines.some((line) => String(line['msg']).includes('something went wrong') || String(line['err'] ?? '').includes('boom')),
    ).toBe(false);
  });
});
