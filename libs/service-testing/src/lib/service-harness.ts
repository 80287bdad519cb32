import type { INestApplication } from '@nestjs/common';
import { InProcessBroker } from '@enforcement/events';
import { loadServiceConfig, startService, type ServiceConfig, type ServiceDefinition } from '@enforcement/service-runtime';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTestDatabase, type TestDatabase } from '@enforcement/testing';

export interface ServiceUnderTest {
  app: INestApplication;
  config: ServiceConfig;
  broker: InProcessBroker;
  database: TestDatabase;
  close(): Promise<void>;
}

/**
 * One service on its own MariaDB database (real migrations) and a private in-process broker, with no
 * listening port: pass `app.getHttpServer()` to supertest.
 */
export async function startServiceForTest(
  service: ServiceDefinition,
  env: Record<string, string> = {},
): Promise<ServiceUnderTest> {
  const database = await createTestDatabase(`svc_${service.name.replace('-', '_')}`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `${service.name}-`));
  const config = loadServiceConfig(service.name, { DATABASE_URL: database.url, DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env });
  const broker = new InProcessBroker();
  let app: INestApplication;
  try {
    app = await startService(service, { config, broker, listen: false });
  } catch (error) {
    await database.drop();
    throw error;
  }
  broker.open();
  return {
    app,
    config,
    broker,
    database,
    close: async () => {
      await app.close();
      await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
