import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '@enforcement/auth';
import { coveragePrefix, isDivisionCode } from '@enforcement/certificates';
import type { Transaction } from '@enforcement/events';
import { applyKeyset, keysetPage, type KeysetPage, type KeysetPosition } from '@enforcement/service-runtime';
import { Brackets, DataSource } from 'typeorm';
import type { CaseRecord, CaseState } from '../case-core/case.types';
import { DomainEventBus } from '../case-core/domain-event.bus';
import { LATE_ENTRY_FIELD } from '../case-core/procedure-settings';
import { RecordingError } from '../case-core/recording.error';
import { managerOf } from '../cases/case.repository';
import { CaseLateEntryEntity } from './case-late-entry.entity';

/**
 * Steps entered long after they happened (补录): each one, with its reason, gets a row in `case_late_entries` in
 * the appending transaction (RecordAppended), so supervisors can list them without reading every record.
 */
@Injectable()
export class LateEntryLogService {
  constructor(
    private readonly dataSource: DataSource,
    events: DomainEventBus<Transaction>,
  ) {
    events.subscribe('RecordAppended', 'in-transaction', (event, tx) => this.onRecord(tx, event.case, event.record));
  }

  private async onRecord(tx: Transaction, found: CaseState, record: CaseRecord): Promise<void> {
    const reason = record.fields[LATE_ENTRY_FIELD];
    if (typeof reason !== 'string' || !reason) return;
    await managerOf(this.dataSource, tx).insert(CaseLateEntryEntity, {
      recordId: record.id,
      caseId: record.caseId,
      agencyId: found.agencyId,
      regionCode: found.regionCode,
      stepType: record.stepType,
      recordedBy: record.recordedBy,
      occurredAt: lateSince(record),
      recordedAt: record.recordedAt,
      reason,
    });
  }

  /**
   * Newest first, a page at a time: a system administrator sees all, a supervisor their division and below, an agency
   * administrator their agency; nobody else.
   */
  async list(user: AuthenticatedUser, page: { after?: KeysetPosition; limit: number }): Promise<KeysetPage<CaseLateEntryEntity>> {
    const builder = applyKeyset(
      this.dataSource.getRepository(CaseLateEntryEntity).createQueryBuilder('l'),
      { at: 'l.recorded_at', id: 'l.record_id', order: 'DESC' },
      page,
    );
    if (!user.roles.includes('system-admin')) {
      const region =
        user.roles.includes('supervisor') && user.supervisedRegionCode && isDivisionCode(user.supervisedRegionCode)
          ? coveragePrefix(user.supervisedRegionCode)
          : undefined;
      const agencyId = user.roles.includes('agency-admin') && user.agencyId ? user.agencyId : undefined;
      if (!region && !agencyId) throw new RecordingError('LATE_ENTRY_SCOPE', '无权查看补录记录', 'forbidden');
      builder.andWhere(
        new Brackets((where) => {
          where.where('1 = 0');
          // Division codes are digits only, so the prefix needs no LIKE escaping.
          if (region) where.orWhere('l.region_code LIKE :region', { region: `${region}%` });
          if (agencyId) where.orWhere('l.agency_id = :agencyId', { agencyId });
        }),
      );
    }
    return keysetPage(await builder.getMany(), page.limit, (row) => ({ at: row.recordedAt, id: row.recordId }));
  }
}

/**
 * What was late: the step itself, or for sealed footage (recorded when sealed) the recording, which ended at the
 * time its fields name.
 */
function lateSince(record: CaseRecord): Date {
  const endedAt = record.fields['recordingEndedAt'];
  const parsed = typeof endedAt === 'string' ? new Date(endedAt) : undefined;
  return parsed && !Number.isNaN(parsed.getTime()) ? parsed : record.occurredAt;
}
