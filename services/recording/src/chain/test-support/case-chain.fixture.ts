import { TransactionalOutbox, type Transaction } from '@enforcement/events';
import { FieldCipher } from '@enforcement/field-cipher';
import type { ObjectStorage } from '@enforcement/storage';
import { randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { Case } from '../../case-core/case';
import { DomainEventBus } from '../../case-core/domain-event.bus';
import { GENESIS_HASH } from '../../case-core/hash-chain';
import { CaseStateSeal } from '../../cases/case-state-seal';
import { CaseEntity } from '../../cases/case.entity';
import { CaseRepository } from '../../cases/case.repository';
import { EvidenceItemEntity } from '../../evidence/evidence-item.entity';
import type { CaseRecordEntity } from '../../records/case-record.entity';
import { CaseRecordRepository } from '../../records/case-record.repository';
import { RecordAppenderService, type NewRecord } from '../../records/record-appender.service';

/**
 * Test fixture (used by the chain and archive specs): a case whose records are appended with the real
 * RecordAppenderService through a TransactionalOutbox, and whose evidence is stored in object storage and sealed
 * by a record, as the service does it.
 */
export interface SeededCase {
  caseRow: CaseEntity;
  records: CaseRecordEntity[];
  evidence: EvidenceItemEntity[];
}

/**
 * The chain does not depend on statutory deadlines; appending without tracking them keeps these fixtures to
 * the chain's own tables (cases, case_records, evidence_items) instead of the calendar's as well.
 */
const WITHOUT_DEADLINES = new DomainEventBus<Transaction>();

export const FIXTURE_AGENCY_ID = '3d0f5a52-1f0e-4c36-9b0a-6a7cfb1d0a01';

const officers = ['7b5f2b7e-2a4c-4b59-8f3e-0c6b8d5e1a01', '7b5f2b7e-2a4c-4b59-8f3e-0c6b8d5e1a02'];

function step(stepType: string, text: string, evidence: NewRecord['evidence'] = []): NewRecord {
  return {
    stepType,
    occurredAt: new Date(),
    recordedBy: officers[0],
    place: '上海市黄浦区南京东路 100 号',
    actingOfficerIds: officers,
    certificates: officers.map((officerId, index) => ({ officerId, certificateId: randomUUID(), number: `SH-HP-000${index + 1}` })),
    fields: { note: '现场检查', amounts: [200, 3000] },
    text,
    evidence,
  };
}

export async function seedCase(
  dataSource: DataSource,
  storage: ObjectStorage,
  options: {
    evidence?: Array<{ bytes: Buffer; mediaType?: string }>;
    caseNumber?: string;
    seal?: CaseStateSeal;
    /** The last record closes the case (结案) instead of deciding it: an archivable case, closed as the service closes one. */
    close?: boolean;
  } = {},
): Promise<SeededCase> {
  const caseId = randomUUID();
  const caseRow: CaseEntity = {
    id: caseId,
    agencyId: FIXTURE_AGENCY_ID,
    caseNumber: options.caseNumber ?? `沪黄市监案〔2026〕${caseId.slice(0, 8)}号`,
    domain: 'market-regulation',
    regionCode: '310101',
    procedure: 'general',
    status: 'open',
    allegedViolation: '销售不合格产品',
    legalBasis: '《产品质量法》第四十九条',
    handlingOfficerIds: officers,
    requiresCollectiveDecision: false,
    legalReviewStatus: 'not-required',
    openedAt: new Date(),
    openedBy: officers[0],
    closedAt: null,
    recordCount: 0,
    chainHead: GENESIS_HASH,
  };
  // Sealed as the service seals it (its own key when the spec passes the service's seal).
  const seal = options.seal ?? new CaseStateSeal(new FieldCipher(randomBytes(32)));
  await dataSource.manager.insert(CaseEntity, { ...caseRow, stateSeal: seal.of(caseRow) });
  const outbox = new TransactionalOutbox(dataSource);
  const cases = new CaseRepository(dataSource, seal);
  const appender = new RecordAppenderService(WITHOUT_DEADLINES, cases, new CaseRecordRepository(dataSource));
  const records: CaseRecordEntity[] = [];
  const evidence: EvidenceItemEntity[] = [];

  records.push(
    await outbox.run((tx) =>
      appender.append(tx, caseRow, step('opening', '立案：经初步调查，当事人涉嫌销售不合格产品，罚款 200 元以上。')),
    ),
  );
  for (const [index, item] of (options.evidence ?? []).entries()) {
    const evidenceId = randomUUID();
    const objectKey = `cases/${caseId}/evidence/${evidenceId}`;
    const stored = await storage.putStream(objectKey, Readable.from([item.bytes]), { contentType: item.mediaType ?? 'video/mp4' });
    records.push(
      await outbox.run(async (tx) => {
        const sealing = await appender.append(
          tx,
          caseRow,
          step('evidence-collection', `封存执法记录仪视频 ${index + 1}`, [{ evidenceId, sha256: stored.sha256 }]),
        );
        const row: EvidenceItemEntity = {
          id: evidenceId,
          caseId,
          objectKey,
          sha256: stored.sha256,
          sizeBytes: String(stored.size),
          mediaType: item.mediaType ?? 'video/mp4',
          deviceId: 'DSJ-0001',
          officerId: officers[0],
          recordingStartedAt: new Date(Date.now() - 60_000),
          recordingEndedAt: new Date(Date.now() - 1_000),
          stepRecordId: records[0].id,
          lateEntryReason: null,
          sealedAt: new Date(),
          sealRecordId: sealing.id,
        };
        await tx.manager.insert(EvidenceItemEntity, { ...row });
        evidence.push(row);
        return sealing;
      }),
    );
  }
  records.push(
    await outbox.run((tx) => appender.append(tx, caseRow, step('notice', '告知：拟处罚款 200 元，当事人享有陈述、申辩的权利。'))),
  );
  // The last record moves the case's status as the service moves it, so the row agrees with its records (and its seal).
  const last = options.close ? step('closing', '结案：罚款已缴纳，执行完毕。') : step('decision', '决定：罚款 200 元。');
  records.push(
    await outbox.run(async (tx) => {
      const aggregate = Case.restore(caseRow);
      const record = await appender.append(tx, aggregate, last);
      aggregate.stepRecorded(options.close ? 'closing' : 'decision', record, 'organisation');
      await cases.saveChanges(tx, aggregate.state, aggregate.pullChanges());
      return record;
    }),
  );
  return { caseRow, records, evidence };
}
