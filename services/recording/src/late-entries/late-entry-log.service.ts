import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '@enforcement/auth';
import type { Transaction } from '@enforcement/events';
import type { KeysetPage, KeysetPosition } from '@enforcement/service-runtime';
import type { CaseRecord, CaseState } from '../case-core/case.types';
import { DomainEventBus } from '../case-core/domain-event.bus';
import { LATE_ENTRY_FIELD } from '../case-core/procedure-settings';
import { supervisionListScope } from '../cases/supervision-scope';
import type { CaseLateEntryEntity } from './case-late-entry.entity';
import { CaseLateEntryRepository } from './case-late-entry.repository';

/**
 * Steps entered long after they happened (补录): each one, with its reason, gets a row in `case_late_entries` in
 * the appending transaction (RecordAppended), so supervisors can list them without reading every record.
 */
@Injectable()
export class LateEntryLogService {
  constructor(
    private readonly entries: CaseLateEntryRepository,
    events: DomainEventBus<Transaction>,
  ) {
    events.subscribe('RecordAppended', 'in-transaction', (event, tx) => this.onRecord(tx, event.case, event.record));
  }

  private async onRecord(tx: Transaction, found: CaseState, record: CaseRecord): Promise<void> {
    const reason = record.fields[LATE_ENTRY_FIELD];
    if (typeof reason !== 'string' || !reason) return;
    await this.entries.insert(tx, {
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
    return this.entries.page(supervisionListScope(user, { agencyAdmins: true }), page);
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
