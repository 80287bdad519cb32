import { Global, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { OBJECT_STORAGE } from '@enforcement/service-runtime';
import { DataSource } from 'typeorm';
import { ArchiveModule } from './archive.module';
import { CASE_ARCHIVE_OPTIONS, CaseArchiverService } from './case-archiver.service';

/** What the service provides globally: a database and object storage (never touched here). */
@Global()
@Module({
  providers: [
    { provide: DataSource, useValue: {} },
    { provide: OBJECT_STORAGE, useValue: {} },
  ],
  exports: [DataSource, OBJECT_STORAGE],
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
