import { Logger } from '@nestjs/common';
import type { AuthenticatedUser } from '@enforcement/auth';
import { dayRange } from '@enforcement/calendar';
import { EVENT_BACKBONE_ENTITIES, EVENT_BACKBONE_MIGRATIONS, TransactionalOutbox, type Transaction } from '@enforcement/events';
import { FieldCipher } from '@enforcement/field-cipher';
import { openDatabase } from '@enforcement/persistence';
import { createTestDatabase, type TestDatabase } from '@enforcement/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { CalendarYearEntity } from '../calendar/calendar-year.entity';
import { CalendarYearRepository } from '../calendar/calendar-year.repository';
import { CalendarService } from '../calendar/calendar.service';
import { DomainEventBus } from '../case-core/domain-event.bus';
import { GENESIS_HASH } from '../case-core/hash-chain';
import { emptyProcedureState } from '../case-core/procedure-state';
import { CaseStateSeal } from '../cases/case-state-seal';
import { CaseEntity } from '../cases/case.entity';
import { CaseRepository } from '../cases/case.repository';
import { CasesAndRecords1763700004000 } from '../migrations/1763700004000-cases-and-records';
import { CaseProcedureStates1763700010000 } from '../migrations/1763700010000-case-procedure-states';
import { CaseStateSeal1764100003000 } from '../migrations/1764100003000-case-state-seal';
import { CaseRecordEntity } from '../records/case-record.entity';
import { CaseRecordRepository } from '../records/case-record.repository';
import { RecordAppenderService } from '../records/record-appender.service';
import { CaseDeadlineEntity } from './case-deadline.entity';
import { CaseDeadlineRepository } from './case-deadline.repository';
import { AgencyDeadlineSettingsEntity } from './deadline-settings.entity';
import { DeadlineSettingsRepository } from './deadline-settings.repository';
import { DeadlineTrackerService } from './deadline-tracker.service';
import { CALENDAR_AND_DEADLINE_ENTITIES, CALENDAR_AND_DEADLINE_MIGRATIONS } from './deadlines.module';

const shanghai = (local: string) => new Date(`${local}+08:00`);
const admin: AuthenticatedUser = { userId: 'root', agencyId: '', roles: ['system-admin'] };

describe(DeadlineTrackerService.name, () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let calendars: CalendarService;
  let sut: DeadlineTrackerService;
  let outbox: TransactionalOutbox;
  // The appender itself tells the tracker about each record, as in the service.
  let appender: RecordAppenderService;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    database = await createTestDatabase('recording_deadline_tracker');
    dataSource = await openDatabase({
      url: database.url,
      sqliteFile: ':memory:',
      entities: [...EVENT_BACKBONE_ENTITIES, CaseEntity, CaseRecordEntity, ...CALENDAR_AND_DEADLINE_ENTITIES],
      migrations: [
        ...EVENT_BACKBONE_MIGRATIONS,
        CasesAndRecords1763700004000,
        CaseProcedureStates1763700010000,
        CaseStateSeal1764100003000,
        ...CALENDAR_AND_DEADLINE_MIGRATIONS,
      ],
    });
    calendars = new CalendarService(new CalendarYearRepository(dataSource), new TransactionalOutbox(dataSource));
    await calendars.onModuleInit();
    const events = new DomainEventBus<Transaction>();
    sut = new DeadlineTrackerService(
      calendars,
      events,
      new CaseRecordRepository(dataSource),
      new CaseDeadlineRepository(dataSource),
      new DeadlineSettingsRepository(dataSource),
    );
    // The tracker follows the appender through the bus it subscribed to.
    appender = new RecordAppenderService(
      events,
      new CaseRepository(dataSource, new CaseStateSeal(new FieldCipher(randomBytes(32)))),
      new CaseRecordRepository(dataSource),
    );
    void sut;
    outbox = new TransactionalOutbox(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  async function openCase(openedAt: Date, regionCode = '310101'): Promise<CaseEntity> {
    const caseRow: CaseEntity = {
      id: randomUUID(),
      agencyId: 'agency-huangpu',
      caseNumber: `沪黄市监案〔2025〕${randomUUID().slice(0, 8)}号`,
      domain: 'market-regulation',
      regionCode,
      procedure: 'general',
      status: 'open',
      allegedViolation: '销售过期食品',
      legalBasis: '《食品安全法》第一百二十四条',
      handlingOfficerIds: ['officer-1', 'officer-2'],
      requiresCollectiveDecision: false,
      legalReviewStatus: 'not-required',
      openedAt,
      openedBy: 'officer-1',
      closedAt: null,
      recordCount: 0,
      chainHead: GENESIS_HASH,
    };
    await dataSource.manager.insert(CaseEntity, caseRow);
    return caseRow;
  }

  /** Appends a record and lets the tracker see it, in one transaction, as the recording flow does. */
  function record(
    caseRow: CaseEntity,
    stepType: string,
    occurredAt: Date,
    fields: Record<string, unknown> = {},
    correctsRecordId: string | null = null,
  ): Promise<CaseRecordEntity> {
    return outbox.run(async (tx) => {
      const appended = await appender.append(tx, caseRow, {
        stepType,
        occurredAt,
        recordedBy: 'officer-1',
        place: '上海市黄浦区',
        actingOfficerIds: ['officer-1', 'officer-2'],
        certificates: [],
        fields,
        text: stepType,
        evidence: [],
        correctsRecordId,
      });
      return appended;
    });
  }

  const deadlinesOf = (caseRow: CaseEntity) =>
    dataSource.manager.find(CaseDeadlineEntity, { where: { caseId: caseRow.id }, order: { startsAt: 'ASC', kind: 'ASC' } });

  it('follows a case from opening to payment with the 2025 holidays', async () => {
    const caseRow = await openCase(shanghai('2025-09-01T09:00:00'));
    const opening = await record(caseRow, 'opening', shanghai('2025-09-01T09:00:00'));
    const hold = await record(caseRow, 'evidence-hold', shanghai('2025-09-26T15:30:00'));
    const notice = await record(caseRow, 'notice', shanghai('2025-10-09T10:00:00'));

    expect(await deadlinesOf(caseRow)).toEqual([
      expect.objectContaining({
        kind: 'decision-90d',
        startedByRecordId: opening.id,
        agencyId: 'agency-huangpu',
        regionCode: '310101',
        // 90 calendar days after 9/1 is Sunday 11/30, a rest day: the period ends on Monday 12/1 (民法典 Art. 203).
        dueAt: shanghai('2025-12-02T00:00:00'),
        status: 'open',
        calendarCoverage: 'official',
      }),
      expect.objectContaining({
        kind: 'evidence-hold-7wd',
        startedByRecordId: hold.id,
        // 7 working days from 9/26: 9/28 (调休), 9/29, 9/30, 10/9, 10/10, 10/11 (调休), 10/13.
        dueAt: shanghai('2025-10-14T00:00:00'),
        status: 'open',
      }),
      expect.objectContaining({
        kind: 'hearing-request-5wd',
        startedByRecordId: notice.id,
        // 10/10, 10/11 (调休), 10/13, 10/14, 10/15.
        dueAt: shanghai('2025-10-16T00:00:00'),
        status: 'open',
      }),
    ]);

    const release = await record(caseRow, 'evidence-hold-release', shanghai('2025-10-10T11:00:00'), { holdRecordId: hold.id });
    await record(caseRow, 'legal-review', shanghai('2025-10-20T11:00:00'));
    const decision = await record(caseRow, 'decision', shanghai('2025-10-21T11:00:00'), { partyPresent: false, fineAmountFen: 500_000 });
    const service = await record(caseRow, 'service', shanghai('2025-10-24T16:00:00'));
    const paid = await record(caseRow, 'execution', shanghai('2025-11-05T09:00:00'), { paid: true });

    const byKind = new Map((await deadlinesOf(caseRow)).map((row) => [row.kind, row]));
    expect(byKind.get('evidence-hold-7wd')).toMatchObject({
      status: 'satisfied',
      satisfiedByRecordId: release.id,
      satisfiedAt: shanghai('2025-10-10T11:00:00'),
    });
    expect(byKind.get('hearing-request-5wd')).toMatchObject({ status: 'lapsed', satisfiedAt: null });
    expect(byKind.get('decision-90d')).toMatchObject({ status: 'satisfied', satisfiedByRecordId: decision.id });
    expect(byKind.get('service-7wd')).toMatchObject({
      startedByRecordId: decision.id,
      dueAt: shanghai('2025-10-31T00:00:00'),
      status: 'satisfied',
      satisfiedByRecordId: service.id,
    });
    expect(byKind.get('payment-15d')).toMatchObject({
      startedByRecordId: service.id,
      // 15 days after 10/24 is Saturday 11/8: the period ends on Monday 11/10 (民法典 Art. 203).
      dueAt: shanghai('2025-11-11T00:00:00'),
      status: 'satisfied',
      satisfiedByRecordId: paid.id,
    });
    // The fine the period is for, kept for the late fee (Art. 72).
    expect(String(byKind.get('payment-15d')?.amountFen)).toBe('500000');
  });

  it('meets a hearing request in time, lapses a late one, and ends everything open at closing', async () => {
    const caseRow = await openCase(shanghai('2026-01-05T09:00:00'));
    await record(caseRow, 'opening', shanghai('2026-01-05T09:00:00'));
    await record(caseRow, 'evidence-hold', shanghai('2026-02-12T09:00:00'));
    const first = await record(caseRow, 'notice', shanghai('2026-02-12T10:00:00'));
    const request = await record(caseRow, 'hearing-request', shanghai('2026-02-26T23:59:00'));
    const second = await record(caseRow, 'notice', shanghai('2026-03-02T10:00:00'));
    await record(caseRow, 'hearing-request', shanghai('2026-03-09T08:00:00'));

    const windows = (await deadlinesOf(caseRow)).filter((row) => row.kind === 'hearing-request-5wd');
    // Notice on 2/12: 2/13, 2/14 (Sat, 调休), [2/15–2/23 春节], 2/24, 2/25, 2/26.
    expect(windows.map((row) => [row.startedByRecordId, row.dueAt, row.status, row.satisfiedByRecordId])).toEqual([
      [first.id, shanghai('2026-02-27T00:00:00'), 'satisfied', request.id],
      // Notice on 3/2: 3/3, 3/4, 3/5, 3/6, 3/9; a request on the last day is in time.
      [second.id, shanghai('2026-03-10T00:00:00'), 'satisfied', expect.any(String)],
    ]);

    const late = await record(caseRow, 'notice', shanghai('2026-03-10T10:00:00'));
    // 3/11, 3/12, 3/13, 3/16, 3/17: a request at midnight after 3/17 is late.
    await record(caseRow, 'hearing-request', shanghai('2026-03-18T00:00:00'));
    expect((await deadlinesOf(caseRow)).find((row) => row.startedByRecordId === late.id)).toMatchObject({
      dueAt: shanghai('2026-03-18T00:00:00'),
      status: 'lapsed',
      satisfiedAt: null,
    });

    const closing = await record(caseRow, 'closing', shanghai('2026-03-20T09:00:00'));
    const closed = await deadlinesOf(caseRow);
    expect(
      closed.filter((row) => row.kind !== 'hearing-request-5wd').map((row) => [row.kind, row.status, row.satisfiedByRecordId]),
    ).toEqual([
      ['decision-90d', 'satisfied', closing.id],
      ['evidence-hold-7wd', 'satisfied', closing.id],
    ]);
  });

  it('counts the hold of 2026-02-12 over the Spring Festival, with 2/14 and 2/28 as working days', async () => {
    const caseRow = await openCase(shanghai('2026-02-01T09:00:00'));
    await record(caseRow, 'evidence-hold', shanghai('2026-02-12T09:00:00'));

    // 2/13, 2/14 (调休), [2/15–2/23], 2/24, 2/25, 2/26, 2/27, 2/28 (调休).
    expect((await deadlinesOf(caseRow))[0]).toMatchObject({ dueAt: shanghai('2026-03-01T00:00:00'), calendarCoverage: 'official' });
  });

  it('serves on the spot: no service period, and the fine is due 15 days after the decision', async () => {
    const caseRow = await openCase(shanghai('2025-06-03T09:00:00'));
    const decision = await record(caseRow, 'decision', shanghai('2025-06-03T10:00:00'), { partyPresent: true, fineAmountFen: '20000' });
    await record(caseRow, 'service', shanghai('2025-06-03T10:05:00'));

    expect((await deadlinesOf(caseRow)).map((row) => [row.kind, row.startedByRecordId, row.dueAt])).toEqual([
      ['payment-15d', decision.id, shanghai('2025-06-19T00:00:00')],
    ]);
  });

  it('rolls back the deadlines with the step when the transaction fails', async () => {
    const caseRow = await openCase(shanghai('2025-06-03T09:00:00'));

    await expect(
      outbox.run(async (tx) => {
        await appender.append(tx, caseRow, {
          stepType: 'opening',
          occurredAt: shanghai('2025-06-03T09:00:00'),
          recordedBy: 'officer-1',
          place: '上海市黄浦区',
          actingOfficerIds: ['officer-1', 'officer-2'],
          certificates: [],
          fields: {},
          text: 'opening',
          evidence: [],
        });
        throw new Error('something later in the request failed');
      }),
    ).rejects.toThrow('something later');

    expect(await deadlinesOf(caseRow)).toEqual([]);
  });

  it("stops the decision period while suspended, extends it by the agency's length, and moves it with a corrected opening (Art. 60)", async () => {
    await dataSource.manager.upsert(
      AgencyDeadlineSettingsEntity,
      { agencyId: 'agency-xuhui', decisionExtensionDays: 45, updatedBy: 'admin', updatedAt: new Date() },
      ['agencyId'],
    );
    const caseRow = { ...(await openCase(shanghai('2025-03-03T09:00:00'))), agencyId: 'agency-xuhui' };
    const opening = await record(caseRow, 'opening', shanghai('2025-03-03T09:00:00'));
    const period = async () => (await deadlinesOf(caseRow)).find((row) => row.kind === 'decision-90d');
    // 90 days after 3/3 is Sunday 6/1, in the Dragon Boat holiday (5/31–6/2): the period ends on Tuesday 6/3.
    expect(await period()).toMatchObject({ dueAt: shanghai('2025-06-04T00:00:00'), status: 'open' });

    await record(caseRow, 'suspension', shanghai('2025-03-10T10:00:00'), { reason: '等待检验结论' });
    expect(await period()).toMatchObject({ status: 'suspended', suspendedAt: shanghai('2025-03-10T10:00:00') });
    await record(caseRow, 'resumption', shanghai('2025-03-20T15:00:00'));
    // Ten days stood still: 100 days after 3/3 is Wednesday 6/11.
    expect(await period()).toMatchObject({ status: 'open', suspendedAt: null, suspendedDays: 10, dueAt: shanghai('2025-06-12T00:00:00') });

    const request = await record(caseRow, 'decision-period-extension', shanghai('2025-05-19T10:00:00'), { reason: '案情复杂' });
    // The officers' request moves nothing: only the head's approval does.
    expect(await period()).toMatchObject({ extensionDays: 0, dueAt: shanghai('2025-06-12T00:00:00') });
    await record(caseRow, 'decision-extension-approval', shanghai('2025-05-20T10:00:00'), {
      extensionRecordId: request.id,
      approverRole: 'agency-head',
    });
    // And 45 more (the agency's length): 145 days after 3/3 is Saturday 7/26: Monday 7/28.
    expect(await period()).toMatchObject({ extensionDays: 45, dueAt: shanghai('2025-07-29T00:00:00') });

    // The case was really opened on 3/1: a correction of the opening record moves the period's start with it.
    await record(caseRow, 'correction', shanghai('2025-05-21T10:00:00'), { correctedOccurredAt: '2025-03-01T09:00:00+08:00' }, opening.id);
    expect(await period()).toMatchObject({ startsAt: shanghai('2025-03-01T09:00:00'), dueAt: shanghai('2025-07-25T00:00:00') });
  });

  it('keeps the fine a payment period is for, and cancels the payment of a revoked decision (Art. 48, 67)', async () => {
    const caseRow = await openCase(shanghai('2025-03-31T09:00:00'));
    await record(caseRow, 'opening', shanghai('2025-03-31T09:00:00'));
    const penalties = [{ kind: 'warning' }, { kind: 'fine', amountFen: 300_000 }, { kind: 'fine', amountFen: 20_000 }];
    await record(caseRow, 'decision', shanghai('2025-04-01T10:00:00'), { penalties, partyPresent: true });
    const payment = async () => (await deadlinesOf(caseRow)).find((row) => row.kind === 'payment-15d');
    expect(await payment()).toMatchObject({ status: 'open', dueAt: shanghai('2025-04-17T00:00:00') });
    expect(String((await payment())?.amountFen)).toBe('320000');

    await record(caseRow, 'decision-alteration', shanghai('2025-04-08T10:00:00'), { kind: 'revoked' });
    expect(await payment()).toMatchObject({ status: 'cancelled' });
  });

  it('has the party pay the decision as changed before it was served (Art. 48, 67)', async () => {
    // With its procedure state, as the service keeps it (RecordAppenderService.withProcedureState): the course it folds.
    const caseRow = { ...(await openCase(shanghai('2025-03-31T09:00:00'))), procedureState: emptyProcedureState('organisation') };
    await record(caseRow, 'opening', shanghai('2025-03-31T09:00:00'));
    const decision = await record(caseRow, 'decision', shanghai('2025-04-01T10:00:00'), {
      penalties: [{ kind: 'fine', amountFen: 500_000 }],
      partyPresent: false,
    });
    await record(caseRow, 'decision-alteration', shanghai('2025-04-02T10:00:00'), {
      kind: 'changed',
      decisionRecordId: decision.id,
      penalties: [{ kind: 'fine', amountFen: 200_000 }],
    });
    await record(caseRow, 'service', shanghai('2025-04-03T10:00:00'));
    const payment = (await deadlinesOf(caseRow)).find((row) => row.kind === 'payment-15d');
    expect(String(payment?.amountFen)).toBe('200000');
  });

  it('flags a period in a year without data, and puts it right when the year is loaded', async () => {
    const caseRow = await openCase(shanghai('2027-01-28T09:00:00'), '310115');
    // 2027 is not loaded: counted Monday to Friday. The real 2027 Spring Festival (2/6–2/13, say) is ignored.
    await record(caseRow, 'evidence-hold', shanghai('2027-02-04T09:00:00'));
    await record(caseRow, 'opening', shanghai('2027-02-04T09:30:00'));
    const [hold, opening] = (await deadlinesOf(caseRow)).sort((a, b) => a.kind.localeCompare(b.kind)).reverse();
    expect(hold).toMatchObject({ kind: 'evidence-hold-7wd', dueAt: shanghai('2027-02-16T00:00:00'), calendarCoverage: 'weekdays-only' });
    // Calendar days end on a working day (民法典 Art. 203): which one needs the year's data too.
    expect(opening).toMatchObject({ kind: 'decision-90d', calendarCoverage: 'weekdays-only' });

    // A made-up 2027 arrangement, for the test only.
    const fake2027 = {
      holidays: [
        '2027-01-01',
        ...['06', '07', '08', '09', '10', '11', '12', '13'].map((d) => `2027-02-${d}`),
        '2027-04-05',
        '2027-05-01',
        '2027-05-03',
      ],
      workingWeekendDays: ['2027-02-14'],
      source: 'test',
    };
    await calendars.loadYear(2027, fake2027, admin);

    // 2/5, [2/6–2/13], 2/14 (Sun, 调休), 2/15, 2/16, 2/17, 2/18, 2/19.
    expect(await dataSource.manager.findOneByOrFail(CaseDeadlineEntity, { id: hold.id })).toMatchObject({
      dueAt: shanghai('2027-02-20T00:00:00'),
      calendarCoverage: 'official',
    });
    // 90 days after 2/4 is Thursday 5/5, a working day in the made-up arrangement: counted as official now.
    expect(await dataSource.manager.findOneByOrFail(CaseDeadlineEntity, { id: opening.id })).toMatchObject({
      dueAt: shanghai('2027-05-06T00:00:00'),
      calendarCoverage: 'official',
    });
  });

  it('puts provisional periods right at start, for a year another process loaded', async () => {
    const caseRow = await openCase(shanghai('2028-03-01T09:00:00'));
    await record(caseRow, 'evidence-hold', shanghai('2028-03-01T09:00:00'));
    const [before] = await deadlinesOf(caseRow);
    expect(before.calendarCoverage).toBe('weekdays-only');

    // Another replica loads 2028 (written straight to the table: this process's cache does not know).
    await dataSource.manager.insert(CalendarYearEntity, {
      year: 2028,
      holidays: ['2028-01-01', '2028-03-02', '2028-03-03', ...dayRange('2028-01-26', '2028-02-02')],
      workingWeekendDays: [],
      source: 'test',
      loadedBy: 'other-replica',
      loadedAt: new Date(),
    });
    const restarted = new CalendarService(new CalendarYearRepository(dataSource), new TransactionalOutbox(dataSource));
    await restarted.onModuleInit();
    await new DeadlineTrackerService(
      restarted,
      new DomainEventBus<Transaction>(),
      new CaseRecordRepository(dataSource),
      new CaseDeadlineRepository(dataSource),
      new DeadlineSettingsRepository(dataSource),
    ).onApplicationBootstrap();

    // 3/2 and 3/3 are holidays in that data: 3/6, 3/7, 3/8, 3/9, 3/10, 3/13, 3/14.
    expect(await dataSource.manager.findOneByOrFail(CaseDeadlineEntity, { id: before.id })).toMatchObject({
      dueAt: shanghai('2028-03-15T00:00:00'),
      calendarCoverage: 'official',
    });
  });
});
