// Test support for the calendar and deadline specs: the two modules in a small Nest app of their own, with
// the platform's authentication (embedded local issuer), validation and error format, on a given database.
import { Global, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { AuthModule, LocalIssuer, type AuthenticatedUser } from '@enforcement/auth';
import { EVENT_BACKBONE_ENTITIES, EVENT_BACKBONE_MIGRATIONS, TransactionalOutbox } from '@enforcement/events';
import { ServiceTracing } from '@enforcement/observability';
import { PersistenceModule } from '@enforcement/persistence';
import { ApiErrorFilter, createValidationPipe, FASTIFY_OPTIONS, loadServiceConfig, SERVICE_CONFIG } from '@enforcement/service-runtime';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { CalendarModule } from '../../calendar/calendar.module';
import { CaseEntity } from '../../cases/case.entity';
import { recordingSettings } from '../../config/recording-settings';
import { CasesAndRecords1763700004000 } from '../../migrations/1763700004000-cases-and-records';
import { CaseProcedureStates1763700010000 } from '../../migrations/1763700010000-case-procedure-states';
import { CaseTraceParent1764100001000 } from '../../migrations/1764100001000-case-trace-parent';
import { CaseStateSeal1764100003000 } from '../../migrations/1764100003000-case-state-seal';
import { CaseRecordEntity } from '../../records/case-record.entity';
import { DEADLINE_CLOCK } from '../deadline-clock';
import { CALENDAR_AND_DEADLINE_ENTITIES, CALENDAR_AND_DEADLINE_MIGRATIONS, DeadlinesModule } from '../deadlines.module';

const ISSUER = 'enforcement-platform';
const AUDIENCE = 'enforcement-platform';

export interface DeadlinesTestApp {
  app: INestApplication<App>;
  /** `Authorization` header of a token for `user`. */
  as(user: AuthenticatedUser): Promise<Record<string, string>>;
  /** What the app takes for "now". */
  clock: { now: Date };
  close(): Promise<void>;
}

/** On MariaDB at `database.url`, or on a SQLite file (embedded mode) at `database.sqliteFile`. */
export async function startDeadlinesTestApp(database: { url: string } | { sqliteFile: string }, now: Date): Promise<DeadlinesTestApp> {
  const authDir = fs.mkdtempSync(path.join(os.tmpdir(), 'recording-deadlines-auth-'));
  const clock = { now };

  // The clock, and the service's settings and tracer as RuntimeModule provides them (the case store seals rows with
  // its key and knows each case's trace).
  const config = loadServiceConfig(recordingSettings, { DATA_DIR: authDir, FIELD_ENCRYPTION_KEY: randomBytes(32).toString('base64') });
  @Global()
  @Module({
    providers: [
      { provide: DEADLINE_CLOCK, useValue: () => clock.now },
      { provide: SERVICE_CONFIG, useValue: config },
      { provide: ServiceTracing, useValue: new ServiceTracing({ serviceName: config.service.name, exporter: 'none' }) },
    ],
    exports: [DEADLINE_CLOCK, SERVICE_CONFIG, ServiceTracing],
  })
  class ClockModule {}

  // Loading a calendar year emits CalendarYearLoaded through the outbox, as in the service.
  @Global()
  @Module({
    providers: [
      { provide: TransactionalOutbox, useFactory: (dataSource: DataSource) => new TransactionalOutbox(dataSource), inject: [DataSource] },
    ],
    exports: [TransactionalOutbox],
  })
  class OutboxModule {}

  @Module({
    imports: [
      PersistenceModule.forRootAsync({
        useFactory: () => ({
          url: 'url' in database ? database.url : undefined,
          sqliteFile: 'sqliteFile' in database ? database.sqliteFile : ':memory:',
          entities: [...EVENT_BACKBONE_ENTITIES, CaseEntity, CaseRecordEntity, ...CALENDAR_AND_DEADLINE_ENTITIES],
          migrations: [
            ...EVENT_BACKBONE_MIGRATIONS,
            CasesAndRecords1763700004000,
            CaseProcedureStates1763700010000,
            CaseTraceParent1764100001000,
            CaseStateSeal1764100003000,
            ...CALENDAR_AND_DEADLINE_MIGRATIONS,
          ],
        }),
      }),
      AuthModule.forRoot({ issuer: ISSUER, audience: AUDIENCE, verification: { kind: 'local', dir: authDir } }),
      ClockModule,
      OutboxModule,
      CalendarModule,
      DeadlinesModule,
    ],
  })
  class TestAppModule {}

  const app = await NestFactory.create<INestApplication<App>>(TestAppModule, new FastifyAdapter(FASTIFY_OPTIONS), { logger: false });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ApiErrorFilter());
  await app.init();
  await (app.getHttpAdapter().getInstance() as { ready(): Promise<unknown> }).ready();
  const issuer = new LocalIssuer({ dir: authDir, issuer: ISSUER, audience: AUDIENCE });
  return {
    app,
    clock,
    as: async (user) => ({ Authorization: `Bearer ${await issuer.sign(user, { ttlSeconds: 600 })}` }),
    close: async () => {
      await app.close();
      fs.rmSync(authDir, { recursive: true, force: true });
    },
  };
}
