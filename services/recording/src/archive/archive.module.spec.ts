import { Global, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ServiceTracing } from '@enforcement/observability';
import { loadServiceConfig, OBJECT_STORAGE, SERVICE_CONFIG } from '@enforcement/service-runtime';
import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import { DataSource } from 'typeorm';
import { recordingSettings } from '../config/recording-settings';
import { ArchiveModule } from './archive.module';
import { CASE_ARCHIVE_OPTIONS, CaseArchiverService } from './case-archiver.service';

/**
 * What the service provides globally: a database, object storage and a tracer (never touched here), and its
 * settings (the case store seals rows with the field key).
 */
@Global()
@Module({
  providers: [
    { provide: DataSource, useValue: {} },
    { provide: OBJECT_STORAGE, useValue: {} },
    { provide: ServiceTracing, useValue: {} },
    {
      provide: SERVICE_CONFIG,
      useValue: loadServiceConfig(recordingSettings, { DATA_DIR: os.tmpdir(), FIELD_ENCRYPTION_KEY: randomBytes(32).toString('base64') }),
    },
  ],
  exports: [DataSource, OBJECT_STORAGE, ServiceTracing, SERVICE_CONFIG],
})
class ServiceStubsModule {}

describe(ArchiveModule.name, () => {
  const contextOf = async (archive: typeof ArchiveModule | ReturnType<typeof ArchiveModule.forRoot>) => {
    @Module({ imports: [ServiceStubsModule, archive] })
    class RootModule {}
    return NestFactory.createApplicationContext(RootModule, { logger: false });
  };

  it('provides CaseArchiverService with the built-in defaults when imported as is', async () => {
    const app = await contextOf(ArchiveModule);
    try {
      expect(app.get(CaseArchiverService)).toBeInstanceOf(CaseArchiverService);
      expect(() => app.get(CASE_ARCHIVE_OPTIONS, { strict: false })).toThrow();
    } finally {
      await app.close();
    }
  });

  it('passes forRoot options to CaseArchiverService', async () => {
    const app = await contextOf(ArchiveModule.forRoot({ includeEvidence: false }));
    try {
      expect(app.get(CaseArchiverService)).toBeInstanceOf(CaseArchiverService);
      expect(app.get(CASE_ARCHIVE_OPTIONS, { strict: false })).toEqual({ includeEvidence: false });
    } finally {
      await app.close();
    }
  });
});
