import { Injectable } from '@nestjs/common';
import { DataSource, LessThanOrEqual } from 'typeorm';
import { CaseEntity } from '../cases/case.entity';
import { EvidenceItemEntity } from '../evidence/evidence-item.entity';
import { EvidenceViewEntity } from '../evidence/evidence-view.entity';
import { CaseRecordEntity } from '../records/case-record.entity';
import { CaseArchiveEntity } from './case-archive.entity';
import type { RecordLink } from './case-archive.writer';

/** What one archive is made of, read in one snapshot with the case row. */
export interface ArchiveSnapshot {
  caseRow: CaseEntity;
  links: RecordLink[];
  evidence: EvidenceItemEntity[];
  /** The case's archives made before this one, oldest first. */
  earlier: CaseArchiveEntity[];
}

/** Case archives (`case_archives`) and the reads an archive is made of, in TypeORM. */
@Injectable()
export class CaseArchiveRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records 1..record_count as read in one transaction with the case row, so a record appended meanwhile is not
   * half in the archive; undefined if there is no such case.
   */
  snapshot(caseId: string): Promise<ArchiveSnapshot | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const caseRow = await manager.findOneBy(CaseEntity, { id: caseId });
      if (!caseRow) return undefined;
      const links: RecordLink[] = await manager.find(CaseRecordEntity, {
        select: { id: true, sequence: true, stepType: true, occurredAt: true, correctsRecordId: true, previousHash: true, hash: true },
        where: { caseId, sequence: LessThanOrEqual(caseRow.recordCount) },
        order: { sequence: 'ASC' },
      });
      const evidence = await manager.find(EvidenceItemEntity, { where: { caseId }, order: { sealedAt: 'ASC', id: 'ASC' } });
      const earlier = await manager.find(CaseArchiveEntity, { where: { caseId }, order: { createdAt: 'ASC', objectKey: 'ASC' } });
      return { caseRow, links, evidence, earlier };
    });
  }

  /** Records `from`..`to` of a case with their fields, in order. */
  records(caseId: string, from: number, to: number): Promise<CaseRecordEntity[]> {
    return this.dataSource.manager
      .createQueryBuilder(CaseRecordEntity, 'record')
      .where('record.caseId = :caseId', { caseId })
      .andWhere('record.sequence BETWEEN :from AND :to', { from, to })
      .orderBy('record.sequence', 'ASC')
      .getMany();
  }

  async insert(archive: CaseArchiveEntity): Promise<void> {
    await this.dataSource.manager.insert(CaseArchiveEntity, archive);
  }

  /** Every archive of the case, oldest first. */
  all(caseId: string): Promise<CaseArchiveEntity[]> {
    return this.dataSource.manager.find(CaseArchiveEntity, { where: { caseId }, order: { createdAt: 'ASC', objectKey: 'ASC' } });
  }

  async latest(caseId: string): Promise<CaseArchiveEntity | undefined> {
    const found = await this.dataSource.manager.findOne(CaseArchiveEntity, {
      where: { caseId },
      order: { createdAt: 'DESC', objectKey: 'DESC' },
    });
    return found ?? undefined;
  }

  async find(caseId: string, archiveId: string): Promise<CaseArchiveEntity | undefined> {
    return (await this.dataSource.manager.findOneBy(CaseArchiveEntity, { caseId, id: archiveId })) ?? undefined;
  }

  /** The evidence items sealed into the case by `until` (those an archive made then holds). */
  async evidenceSealedBy(caseId: string, until: Date): Promise<string[]> {
    const items = await this.dataSource.manager.find(EvidenceItemEntity, {
      select: { id: true },
      where: { caseId, sealedAt: LessThanOrEqual(until) },
    });
    return items.map((item) => item.id);
  }

  async logViews(views: EvidenceViewEntity[]): Promise<void> {
    if (views.length > 0) await this.dataSource.manager.insert(EvidenceViewEntity, views);
  }
}
