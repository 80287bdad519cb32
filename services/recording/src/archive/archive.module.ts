import { Module, type DynamicModule } from '@nestjs/common';
import { CaseStoreModule } from '../cases/case-store.module';
import { CaseArchives1763700007000 } from '../migrations/1763700007000-case-archives';
import { CaseArchiveController } from './case-archive.controller';
import { CaseArchiveEntity } from './case-archive.entity';
import { CaseArchiveRepository } from './case-archive.repository';
import { CASE_ARCHIVE_OPTIONS, CaseArchiverService, type CaseArchiveOptions } from './case-archiver.service';
import { CaseClosedSubscriber } from './case-closed.subscriber';

/** Add to the recording service's entities and migrations with ArchiveModule. */
export const ARCHIVE_ENTITIES = [CaseArchiveEntity];
export const ARCHIVE_MIGRATIONS = [CaseArchives1763700007000];

/**
 * Case archives: CaseArchiverService, made when a case closes (CaseClosed on the DomainEventBus, after commit), and
 * GET /cases/:caseId/archive.
 * Needs the recording entities (cases, case_records, evidence_items, evidence_views, case_archives) and the global
 * OBJECT_STORAGE (StorageModule). Import ArchiveModule for the defaults (evidence bytes included) or
 * ArchiveModule.forRoot({ includeEvidence: false }) where cases are too large to copy their evidence.
 */
@Module({
  imports: [CaseStoreModule],
  controllers: [CaseArchiveController],
  providers: [CaseArchiverService, CaseArchiveRepository, CaseClosedSubscriber],
  exports: [CaseArchiverService],
})
export class ArchiveModule {
  static forRoot(options: Partial<CaseArchiveOptions>): DynamicModule {
    return {
      module: ArchiveModule,
      // Without forRoot, CaseArchiverService falls back to DEFAULT_CASE_ARCHIVE_OPTIONS.
      providers: [{ provide: CASE_ARCHIVE_OPTIONS, useValue: options }],
    };
  }
}
