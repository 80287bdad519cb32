import { HttpStatus, Injectable } from '@nestjs/common';
import { Events, timestampFromDate } from '@enforcement/contracts';
import type { Transaction } from '@enforcement/events';
import { DomainError } from '@enforcement/service-runtime';
import { randomUUID } from 'node:crypto';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { chainedContentOf, recordHash } from '../case-core/hash-chain';
import { CaseEntity } from '../cases/case.entity';
import { DeadlineTracker } from '../deadlines/deadline-tracker.service';
import { CaseRecordEntity, type ShownCertificate } from './case-record.entity';

export interface NewRecord {
  stepType: string;
  occurredAt: Date;
  recordedBy: string;
  place: string;
  actingOfficerIds: string[];
  certificates: ShownCertificate[];
  fields: Record<string, unknown>;
  text: string;
  evidence: Array<{ evidenceId: string; sha256: string }>;
  correctsRecordId?: string | null;
}

/**
 * Appends a record to a case's hash chain inside the caller's transaction, emits StepRecorded with it
 * and updates the case's deadlines. The chain head moves only if nobody appended meanwhile, so two concurrent appends cannot fork it.
 */
@Injectable()
export class RecordAppender {
  constructor(private readonly deadlines: DeadlineTracker) {}

  async append(tx: Transaction, caseRow: CaseEntity, input: NewRecord): Promise<CaseRecordEntity> {
    const record: CaseRecordEntity = {
      id: randomUUID(),
      caseId: caseRow.id,
      sequence: caseRow.recordCount + 1,
      stepType: input.stepType,
      occurredAt: input.occurredAt,
      recordedAt: new Date(),
      recordedBy: input.recordedBy,
      place: input.place,
      actingOfficerIds: input.actingOfficerIds,
      certificates: input.certificates.map(({ officerId, certificateId, number }) => ({ officerId, certificateId, number })),
      // Stored as JSON, so hashed as JSON: a Date or undefined inside fields must not hash differently from what is read back.
      fields: JSON.parse(JSON.stringify(input.fields)) as Record<string, unknown>,
      text: input.text,
      evidence: input.evidence,
      correctsRecordId: input.correctsRecordId ?? null,
      previousHash: caseRow.chainHead,
      hash: '',
    };
    record.hash = recordHash(chainedContentOf(record));
    const moved = await tx.manager.update(
      CaseEntity,
      { id: caseRow.id, recordCount: caseRow.recordCount },
      { recordCount: record.sequence, chainHead: record.hash },
    );
    if (!moved.affected) {
      throw new DomainError('CONCURRENT_CHANGE', '案件记录刚被他人更新，请刷新后重试', HttpStatus.CONFLICT);
    }
    await tx.manager.insert(CaseRecordEntity, record as QueryDeepPartialEntity<CaseRecordEntity>);
    caseRow.recordCount = record.sequence;
    caseRow.chainHead = record.hash;
    // Every record may start or satisfy a statutory period (Art. 56, 60, 61, 64, 67), in the same transaction.
    await this.deadlines.onRecord(tx, caseRow, record);
    await tx.emit(
      Events.StepRecorded,
      {
        caseId: caseRow.id,
        recordId: record.id,
        stepType: record.stepType,
        certificates: record.certificates.map(({ officerId, number }) => ({ officerId, certificateNumber: number })),
        occurredAt: timestampFromDate(record.occurredAt),
        chainHash: record.hash,
        correctsRecordId: record.correctsRecordId ?? '',
      },
      { partitionKey: caseRow.id, agencyId: caseRow.agencyId, actingUserId: input.recordedBy },
    );
    return record;
  }
}
