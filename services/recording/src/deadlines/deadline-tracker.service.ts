import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { WorkingDayCalendar } from '@enforcement/calendar';
import type { Transaction } from '@enforcement/events';
import { randomUUID } from 'node:crypto';
import { DataSource, In, type EntityManager } from 'typeorm';
import { CalendarService } from '../calendar/calendar.service';
import type { CaseRecord, CaseState } from '../case-core/case.types';
import { DomainEventBus } from '../case-core/domain-event.bus';
import { CaseRecordRepository } from '../records/case-record.repository';
import { CaseDeadlineEntity } from './case-deadline.entity';
import { DeadlinePolicy } from './deadline-policy';
import { periodEnd, WORKING_DAY_KINDS } from './deadline-rules';

/** Step types whose effects depend on the deadlines the case already has (DeadlinePolicy). */
const READS_DEADLINES: ReadonlySet<string> = new Set([
  'opening',
  'evidence-hold-release',
  'hearing-request',
  'decision',
  'service',
  'execution',
  'closing',
]);
/** Step types that start a period whatever the case already has. */
const STARTS_DEADLINES: ReadonlySet<string> = new Set(['evidence-hold', 'notice']);

/**
 * Keeps `case_deadlines` in step with a case's record: it subscribes to RecordAppended, dispatched inside the
 * appending transaction, so a step and the periods it starts or meets commit together.
 */
@Injectable()
export class DeadlineTracker implements OnApplicationBootstrap {
  private readonly logger = new Logger(DeadlineTracker.name);
  private readonly policy = new DeadlinePolicy();

  constructor(
    private readonly calendars: CalendarService,
    private readonly dataSource: DataSource,
    events: DomainEventBus<Transaction>,
    private readonly records: CaseRecordRepository,
  ) {
    events.subscribe('RecordAppended', 'in-transaction', (event, tx) => this.onRecord(tx, event.case, event.record));
    // A year loaded or corrected changes the working-day periods that count over it, in the same transaction.
    calendars.onChange(async (manager, calendar) => {
      await this.recompute(manager, calendar, 'open-or-provisional');
    });
  }

  /**
   * Periods computed before their year's holiday data was loaded (possibly by another process) are put right
   * at start.
   */
  async onApplicationBootstrap(): Promise<void> {
    const changed = await this.recompute(this.dataSource.manager, await this.calendars.calendar(), 'provisional');
    if (changed > 0) this.logger.log(`recomputed ${changed} deadlines with the loaded holiday arrangement`);
  }

  /**
   * Runs in RecordAppender.append's transaction: its conditional update of the case row locks the row, so the
   * deadlines of one case are read and written by one append at a time.
   */
  async onRecord(tx: Transaction, caseRow: CaseState, record: CaseRecord): Promise<void> {
    // Most steps (inquiries, inspections, …) neither start nor meet a period; they read the case's deadlines only
    // when one of the party's windows may have ended meanwhile, i.e. after a notice (the only informational kind).
    const noticed = caseRow.procedureState ? caseRow.procedureState.latest.notice !== undefined : true;
    if (!READS_DEADLINES.has(record.stepType) && !STARTS_DEADLINES.has(record.stepType) && !noticed) return;
    const deadlines =
      READS_DEADLINES.has(record.stepType) || noticed ? await tx.manager.find(CaseDeadlineEntity, { where: { caseId: caseRow.id } }) : [];
    const decision =
      record.stepType === 'service' ? await this.records.latestOfType(tx, caseRow.id, 'decision', record.sequence) : undefined;
    const effects = this.policy.effectsOf({ step: record, deadlines, decision: decision ?? undefined });

    if (effects.start.length > 0) {
      const calendar = await this.calendars.calendar();
      const rows: CaseDeadlineEntity[] = effects.start.map(({ kind, startsAt }) => {
        const end = periodEnd(kind, startsAt, calendar);
        return {
          id: randomUUID(),
          caseId: caseRow.id,
          agencyId: caseRow.agencyId,
          regionCode: caseRow.regionCode,
          kind,
          startedByRecordId: record.id,
          startsAt,
          dueAt: end.dueAt,
          satisfiedAt: null,
          satisfiedByRecordId: null,
          calendarCoverage: end.coverage,
          status: 'open',
        };
      });
      await tx.manager.insert(CaseDeadlineEntity, rows);
    }
    if (effects.satisfy.length > 0) {
      await tx.manager.update(
        CaseDeadlineEntity,
        { id: In(effects.satisfy), status: 'open' },
        { status: 'satisfied', satisfiedAt: record.occurredAt, satisfiedByRecordId: record.id },
      );
    }
    if (effects.lapse.length > 0) {
      await tx.manager.update(CaseDeadlineEntity, { id: In(effects.lapse), status: 'open' }, { status: 'lapsed' });
    }
  }

  /**
   * Recomputes the working-day periods with `calendar`: 'provisional' those counted without official data,
   * 'open-or-provisional' also every open one (after a year was corrected). Returns how many changed.
   */
  private async recompute(
    manager: EntityManager,
    calendar: WorkingDayCalendar,
    which: 'provisional' | 'open-or-provisional',
  ): Promise<number> {
    const kinds = [...WORKING_DAY_KINDS];
    const rows = await manager.find(CaseDeadlineEntity, {
      where:
        which === 'provisional'
          ? { kind: In(kinds), calendarCoverage: 'weekdays-only' }
          : [
              { kind: In(kinds), status: 'open' },
              { kind: In(kinds), calendarCoverage: 'weekdays-only' },
            ],
    });
    let changed = 0;
    for (const row of rows) {
      const end = periodEnd(row.kind, row.startsAt, calendar);
      if (end.dueAt.getTime() === row.dueAt.getTime() && end.coverage === row.calendarCoverage) continue;
      await manager.update(CaseDeadlineEntity, { id: row.id }, { dueAt: end.dueAt, calendarCoverage: end.coverage });
      changed++;
    }
    return changed;
  }
}
