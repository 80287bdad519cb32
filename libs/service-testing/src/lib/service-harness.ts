import type { INestApplication } from '@nestjs/common';
import { LocalIssuer, type AuthenticatedUser } from '@enforcement/auth';
import { CO_OFFICER_TOKENS_HEADER } from '@enforcement/certificates';
import { InProcessBroker } from '@enforcement/events';
import { loadServiceConfig, startService, type ServiceConfig, type ServiceDefinition } from '@enforcement/service-runtime';
import { createTestDatabase, type TestDatabase } from '@enforcement/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DestinationStream } from 'pino';

export interface ServiceUnderTest {
  /** A bearer token for the given user from the service's local issuer. */
  tokenFor(user: AuthenticatedUser): Promise<string>;
  /**
   * The header with each co-officer's own fresh token, to `.set()` on an action they take part in (Art. 42); a
   * new token every call, as each proof is spent once.
   */
  coOfficerProofs(...users: AuthenticatedUser[]): Promise<Record<string, string>>;
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
  options: { logDestination?: DestinationStream } = {},
): Promise<ServiceUnderTest> {
  const database = await createTestDatabase(`svc_${service.name.replace('-', '_')}`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `${service.name}-`));
  const config = loadServiceConfig(service.settings, { DATABASE_URL: database.url, DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env });
  const broker = new InProcessBroker();
  let app: INestApplication;
  try {
    app = await startService(service, { config, broker, listen: false, logDestination: options.logDestination });
  } catch (error) {
    await database.drop();
    throw error;
  }
  broker.open();
  const issuer = LocalIssuer.fromConfig(config.auth);
  return {
    tokenFor: (user) => issuer.sign(user, { ttlSeconds: 600 }),
    coOfficerProofs: async (...users) => ({
      [CO_OFFICER_TOKENS_HEADER]: (await Promise.all(users.map((user) => issuer.sign(user, { ttlSeconds: 300 })))).join(','),
    }),
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
