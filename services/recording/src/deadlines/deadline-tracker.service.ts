import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { chinaDayOf, type WorkingDayCalendar } from '@enforcement/calendar';
import type { Transaction } from '@enforcement/events';
import { randomUUID } from 'node:crypto';
import { CalendarService } from '../calendar/calendar.service';
import type { CaseRecord, CaseState } from '../case-core/case.types';
import { DomainEventBus } from '../case-core/domain-event.bus';
import { fineFenOf } from '../case-core/fines';
import type { TransactionScope } from '../case-core/ports';
import { CaseRecordRepository } from '../records/case-record.repository';
import { CaseDeadlineEntity } from './case-deadline.entity';
import { CaseDeadlineRepository } from './case-deadline.repository';
import { DeadlinePolicy, type DeadlineEffects } from './deadline-policy';
import { DEFAULT_DECISION_EXTENSION_DAYS, periodEnd } from './deadline-rules';
import { DeadlineSettingsRepository } from './deadline-settings.repository';

const DAY_MS = 24 * 3600 * 1000;

/** Whole Shanghai days from the day of `from` to the day of `to` (0 on the same day). */
function daysBetween(from: Date, to: Date): number {
  return Math.max(0, Math.round((Date.parse(`${chinaDayOf(to)}T00:00:00Z`) - Date.parse(`${chinaDayOf(from)}T00:00:00Z`)) / DAY_MS));
}

/**
 * The decision as it stands (Art. 48): a decision changed before it was served is served, and paid, as changed, so
 * its penalties are the ones the case's course holds, not the ones first recorded.
 */
function asItStands(caseRow: CaseState, decision: CaseRecord | undefined): CaseRecord | undefined {
  const standing = caseRow.procedureState?.course?.decision;
  if (!decision || !standing || standing.recordId !== decision.id) return decision;
  return { ...decision, fields: { ...decision.fields, penalties: standing.penalties, fineAmountFen: standing.fineFen } };
}

/** The days a period runs beyond its statutory length: an extension, and the days it stood suspended. */
function extraDaysOf(row: Pick<CaseDeadlineEntity, 'extensionDays' | 'suspendedDays'>): number {
  return (row.extensionDays ?? 0) + (row.suspendedDays ?? 0);
}

/** Step types whose effects depend on the deadlines the case already has (DeadlinePolicy). */
const READS_DEADLINES: ReadonlySet<string> = new Set([
  'opening',
  'evidence-hold-release',
  'hearing-request',
  'decision',
  'service',
  'execution',
  'closing',
  'decision-alteration',
  'decision-extension-approval',
  'suspension',
  'resumption',
  'correction',
]);
/** Step types that start a period whatever the case already has. */
const STARTS_DEADLINES: ReadonlySet<string> = new Set(['evidence-hold', 'notice']);

/**
 * Keeps `case_deadlines` in step with a case's record: it subscribes to RecordAppended, dispatched inside the
 * appending transaction, so a step and the periods it starts or meets commit together.
 */
@Injectable()
export class DeadlineTrackerService implements OnApplicationBootstrap {
  private readonly logger = new Logger(DeadlineTrackerService.name);
  private readonly policy = new DeadlinePolicy();

  constructor(
    private readonly calendars: CalendarService,
    events: DomainEventBus<Transaction>,
    private readonly records: CaseRecordRepository,
    private readonly deadlines: CaseDeadlineRepository,
    private readonly settings: DeadlineSettingsRepository,
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
    const changed = await this.recompute(undefined, await this.calendars.calendar(), 'provisional');
    if (changed > 0) this.logger.log(`recomputed ${changed} deadlines with the loaded holiday arrangement`);
  }

  /**
   * Runs in RecordAppenderService.append's transaction: its conditional update of the case row locks the row, so the
   * deadlines of one case are read and written by one append at a time.
   */
  async onRecord(tx: Transaction, caseRow: CaseState, record: CaseRecord): Promise<void> {
    // Most steps (inquiries, inspections, …) neither start nor meet a period; they read the case's deadlines only
    // when one of the party's windows may have ended meanwhile, i.e. after a notice (the only informational kind).
    const noticed = caseRow.procedureState ? caseRow.procedureState.latest.notice !== undefined : true;
    if (!READS_DEADLINES.has(record.stepType) && !STARTS_DEADLINES.has(record.stepType) && !noticed) return;
    const deadlines = READS_DEADLINES.has(record.stepType) || noticed ? await this.deadlines.ofCase(caseRow.id, tx) : [];
    const decision =
      record.stepType === 'service'
        ? asItStands(caseRow, await this.records.latestOfType(tx, caseRow.id, 'decision', record.sequence))
        : undefined;
    const decisionExtensionDays =
      record.stepType === 'decision-extension-approval' ? await this.extensionDaysOf(tx, caseRow.agencyId) : undefined;
    const effects = this.policy.effectsOf({ step: record, deadlines, decision: decision ?? undefined, decisionExtensionDays });

    if (effects.start.length > 0) {
      const calendar = await this.calendars.calendar();
      // Art. 67, 72: the payment period keeps the fine it is for, so the late fee can be counted on it.
      const fine = fineFenOf((record.stepType === 'service' ? decision?.fields : record.fields) ?? {});
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
          extensionDays: 0,
          suspendedDays: 0,
          suspendedAt: null,
          amountFen: kind === 'payment-15d' && fine > 0n ? fine.toString() : null,
        };
      });
      await this.deadlines.insert(tx, rows);
    }
    await this.applyClock(tx, record, deadlines, effects);
    await this.deadlines.changeWhile(tx, effects.satisfy, 'open', {
      status: 'satisfied',
      satisfiedAt: record.occurredAt,
      satisfiedByRecordId: record.id,
    });
    await this.deadlines.changeWhile(tx, effects.lapse, 'open', { status: 'lapsed' });
  }

  /** Extensions, suspensions and resumptions (Art. 60), cancellations and new amounts (Art. 48), corrected times. */
  private async applyClock(tx: Transaction, record: CaseRecord, deadlines: CaseDeadlineEntity[], effects: DeadlineEffects): Promise<void> {
    const { extend = [], suspend = [], resume = [], cancel = [], move = [], amount = [] } = effects;
    if (extend.length + resume.length + move.length === 0 && suspend.length + cancel.length + amount.length === 0) return;
    const byId = new Map(deadlines.map((row) => [row.id, row]));
    const calendar = extend.length + resume.length + move.length > 0 ? await this.calendars.calendar() : undefined;
    const reschedule = async (row: CaseDeadlineEntity, changes: Partial<CaseDeadlineEntity>) => {
      const next = { ...row, ...changes };
      const end = calendar ? periodEnd(next.kind, next.startsAt, calendar, extraDaysOf(next)) : undefined;
      const update = { ...changes, ...(end ? { dueAt: end.dueAt, calendarCoverage: end.coverage } : {}) };
      await this.deadlines.change(tx, row.id, update);
      byId.set(row.id, { ...next, ...update });
    };
    for (const { id, days } of extend) {
      const row = byId.get(id);
      if (row) await reschedule(row, { extensionDays: (row.extensionDays ?? 0) + days });
    }
    await this.deadlines.changeWhile(tx, suspend, 'open', { status: 'suspended', suspendedAt: record.occurredAt });
    for (const id of resume) {
      const row = byId.get(id);
      if (!row || row.status !== 'suspended') continue;
      const stood = row.suspendedAt ? daysBetween(row.suspendedAt, record.occurredAt) : 0;
      await reschedule(row, { status: 'open', suspendedAt: null, suspendedDays: (row.suspendedDays ?? 0) + stood });
    }
    await this.deadlines.changeWhile(tx, cancel, 'open', { status: 'cancelled' });
    for (const { id, amountFen } of amount) await this.deadlines.change(tx, id, { amountFen });
    for (const { id, startsAt, satisfiedAt } of move) {
      const row = byId.get(id);
      if (!row) continue;
      if (startsAt) await reschedule(row, { startsAt });
      if (satisfiedAt) await this.deadlines.change(tx, id, { satisfiedAt });
    }
  }

  private async extensionDaysOf(tx: Transaction, agencyId: string): Promise<number> {
    const settings = await this.settings.of(agencyId, tx);
    return settings?.decisionExtensionDays ?? DEFAULT_DECISION_EXTENSION_DAYS;
  }

  /**
   * Recomputes the periods with `calendar`: 'provisional' those counted without official data, 'open-or-provisional'
   * also every open or suspended one (after a year was loaded or corrected). Returns how many changed.
   */
  private async recompute(
    tx: TransactionScope | undefined,
    calendar: WorkingDayCalendar,
    which: 'provisional' | 'open-or-provisional',
  ): Promise<number> {
    // Every kind: the working-day periods count working days, and a calendar-day period ends on a working day.
    const rows = await this.deadlines.toRecompute(tx, which);
    let changed = 0;
    for (const row of rows) {
      const end = periodEnd(row.kind, row.startsAt, calendar, extraDaysOf(row));
      if (end.dueAt.getTime() === row.dueAt.getTime() && end.coverage === row.calendarCoverage) continue;
      await this.deadlines.change(tx, row.id, { dueAt: end.dueAt, calendarCoverage: end.coverage });
      changed++;
    }
    return changed;
  }
}
