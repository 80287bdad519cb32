import { openDatabase } from '@enforcement/persistence';
import { createTestDatabase, type TestDatabase } from '@enforcement/testing';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { CalendarYearEntity } from '../calendar/calendar-year.entity';
import type { CaseCourse } from '../case-core/case-course';
import { GENESIS_HASH } from '../case-core/hash-chain';
import { emptyProcedureState } from '../case-core/procedure-state';
import { CasePartyEntity } from '../cases/case-party.entity';
import { CaseEntity } from '../cases/case.entity';
import { CaseDeadlineEntity } from '../deadlines/case-deadline.entity';
import { AgencyDeadlineSettingsEntity } from '../deadlines/deadline-settings.entity';
import { CaseRecordEntity } from '../records/case-record.entity';
import { CasesAndRecords1763700004000 } from './1763700004000-cases-and-records';
import { CalendarAndDeadlines1763700006000 } from './1763700006000-calendar-and-deadlines';
import { CaseProcedureStates1763700010000 } from './1763700010000-case-procedure-states';
import { DeadlineClockAndPayments1763700013500 } from './1763700013500-deadline-clock-and-payments';
import { CaseCourse1763700013600 } from './1763700013600-case-course';
import { CaseStateSeal1764100003000 } from './1764100003000-case-state-seal';

/** The two migrations of issue #10 on MariaDB: what up adds, and that down takes it away again. */
describe('migrations 1763700013500 (deadline clock, payments) and 1763700013600 (case course)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase('recording_course_migrations');
    dataSource = await openDatabase({
      url: database.url,
      sqliteFile: ':memory:',
      entities: [CaseEntity, CasePartyEntity, CaseRecordEntity, CalendarYearEntity, CaseDeadlineEntity, AgencyDeadlineSettingsEntity],
      migrations: [
        CasesAndRecords1763700004000,
        CalendarAndDeadlines1763700006000,
        CaseProcedureStates1763700010000,
        CaseStateSeal1764100003000,
        DeadlineClockAndPayments1763700013500,
        CaseCourse1763700013600,
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('folds the course of a case decided before it existed, and takes it out on the way down', async () => {
    const caseId = randomUUID();
    const decisionId = randomUUID();
    const openedAt = new Date('2026-03-02T01:00:00Z');
    // A procedure state written before the course: the case looks undecided to the closing and alteration rules.
    const { course: _none, ...stateWithoutCourse } = emptyProcedureState('organisation');
    await dataSource.manager.insert(CaseEntity, {
      id: caseId,
      agencyId: 'agency-1',
      caseNumber: `案-${caseId.slice(0, 8)}`,
      domain: 'market-regulation',
      regionCode: '310101',
      procedure: 'general',
      status: 'decided',
      allegedViolation: '—',
      legalBasis: '—',
      handlingOfficerIds: ['o1', 'o2'],
      requiresCollectiveDecision: false,
      legalReviewStatus: 'not-required',
      openedAt,
      openedBy: 'o1',
      closedAt: null,
      recordCount: 2,
      chainHead: GENESIS_HASH,
      procedureState: stateWithoutCourse,
    });
    await dataSource.manager.insert(CasePartyEntity, {
      caseId,
      kind: 'organisation',
      name: '某公司',
      identifierEncrypted: 'enc:v1:x',
      contactEncrypted: 'enc:v1:y',
      isMinor: false,
    });
    const record = (id: string, sequence: number, stepType: string, fields: Record<string, unknown>): CaseRecordEntity => ({
      id,
      caseId,
      sequence,
      stepType,
      occurredAt: new Date(openedAt.getTime() + sequence * 3600_000),
      recordedAt: new Date(openedAt.getTime() + sequence * 3600_000),
      recordedBy: 'o1',
      place: '',
      actingOfficerIds: ['o1', 'o2'],
      certificates: [],
      fields,
      text: '',
      evidence: [],
      correctsRecordId: null,
      previousHash: GENESIS_HASH,
      hash: `${sequence}`.padStart(64, '0'),
    });
    // Saved as the repository saves records (fields are JSON, which TypeORM's insert typing cannot express).
    await dataSource
      .getRepository(CaseRecordEntity)
      .save([
        record(randomUUID(), 1, 'opening', {}),
        record(decisionId, 2, 'decision', { penalties: [{ kind: 'fine', amountFen: 500_000 }], partyPresent: false }),
      ]);
    const course = async () =>
      (await dataSource.manager.findOneByOrFail(CaseEntity, { id: caseId })).procedureState?.course as CaseCourse | undefined;

    const runner = dataSource.createQueryRunner();
    try {
      await new CaseCourse1763700013600().up(runner);
      expect(await course()).toMatchObject({
        decision: { recordId: decisionId, standing: 'in-force', partyPresent: false, fineFen: '500000' },
        served: false,
        finePaid: false,
      });
      await new CaseCourse1763700013600().down(runner);
      expect(await course()).toBeUndefined();
      await new CaseCourse1763700013600().up(runner);
    } finally {
      await runner.release();
    }
  });

  it('adds the clock and payment columns and the settings table, and drops them on the way down', async () => {
    const runner = dataSource.createQueryRunner();
    try {
      expect(await runner.hasColumn('case_deadlines', 'amount_fen')).toBe(true);
      expect(await runner.hasTable('agency_deadline_settings')).toBe(true);
      // The case state seal (1764100003000, which the entity needs) first, then the case course, then the clock.
      for (let migration = 0; migration < 3; migration++) await dataSource.undoLastMigration({ transaction: 'each' });
      for (const column of ['extension_days', 'suspended_days', 'suspended_at', 'amount_fen']) {
        expect(await runner.hasColumn('case_deadlines', column)).toBe(false);
      }
      expect(await runner.hasTable('agency_deadline_settings')).toBe(false);
      await dataSource.runMigrations({ transaction: 'each' });
      expect(await runner.hasColumn('case_deadlines', 'suspended_days')).toBe(true);
    } finally {
      await runner.release();
    }
  });
});
