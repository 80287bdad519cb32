import type { AuthenticatedUser } from '@enforcement/auth';
import { createTestDatabase, type TestDatabase } from '@enforcement/testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { GENESIS_HASH } from '../case-core/hash-chain';
import { CaseEntity } from '../cases/case.entity';
import { CaseDeadlineEntity } from './case-deadline.entity';
import type { DeadlineKind, DeadlineStatus } from './deadline-rules';
import type { DeadlineView } from './deadline-view';
import { DeadlinesController } from './deadlines.controller';
import { startDeadlinesTestApp, type DeadlinesTestApp } from './test-support/deadlines-test-app';

const shanghai = (local: string) => new Date(`${local}+08:00`);
/** Tuesday 2025-09-30, 10:00 in Shanghai, the eve of the National Day holiday (10/1–10/8, 10/11 working). */
const NOW = shanghai('2025-09-30T10:00:00');

const sysadmin: AuthenticatedUser = { userId: 'root', agencyId: '', roles: ['system-admin'] };
const supervisor = (supervisedRegionCode: string): AuthenticatedUser => ({
  userId: `sup-${supervisedRegionCode}`,
  agencyId: 'agency-supervision',
  roles: ['supervisor'],
  supervisedRegionCode,
});
const huangpuAdmin: AuthenticatedUser = { userId: 'adm-hp', agencyId: 'agency-huangpu', roles: ['officer', 'agency-admin'] };
const huangpuOfficer: AuthenticatedUser = { userId: 'officer-hp', agencyId: 'agency-huangpu', roles: ['officer'] };
const pudongOfficer: AuthenticatedUser = { userId: 'officer-pd', agencyId: 'agency-pudong', roles: ['officer'] };

describe(DeadlinesController.name, () => {
  let database: TestDatabase;
  let sut: DeadlinesTestApp;
  const cases = new Map<string, CaseEntity>();

  beforeAll(async () => {
    database = await createTestDatabase('recording_deadlines_http');
    sut = await startDeadlinesTestApp(database, NOW);
    const manager = sut.app.get(DataSource).manager;
    const addCase = async (name: string, agencyId: string, regionCode: string) => {
      const caseRow: CaseEntity = {
        id: randomUUID(),
        agencyId,
        caseNumber: `案-${name}`,
        domain: 'market-regulation',
        regionCode,
        procedure: 'general',
        status: 'open',
        allegedViolation: '—',
        legalBasis: '—',
        handlingOfficerIds: ['a', 'b'],
        requiresCollectiveDecision: false,
        legalReviewStatus: 'not-required',
        openedAt: shanghai('2025-07-01T09:00:00'),
        openedBy: 'a',
        closedAt: null,
        recordCount: 0,
        chainHead: GENESIS_HASH,
      };
      await manager.insert(CaseEntity, caseRow);
      cases.set(name, caseRow);
    };
    await addCase('huangpu', 'agency-huangpu', '310101');
    await addCase('pudong', 'agency-pudong', '310115');
    await addCase('nanjing', 'agency-nanjing', '320102');

    const deadline = async (
      id: string,
      caseName: string,
      kind: DeadlineKind,
      dueAt: Date,
      status: DeadlineStatus = 'open',
      satisfiedAt: Date | null = null,
    ) => {
      const caseRow = cases.get(caseName);
      if (!caseRow) throw new Error(caseName);
      await manager.insert(CaseDeadlineEntity, {
        id,
        caseId: caseRow.id,
        agencyId: caseRow.agencyId,
        regionCode: caseRow.regionCode,
        kind,
        startedByRecordId: randomUUID(),
        startsAt: shanghai('2025-09-15T09:00:00'),
        dueAt,
        satisfiedAt,
        satisfiedByRecordId: satisfiedAt ? randomUUID() : null,
        calendarCoverage: 'official',
        status,
      });
    };
    // Nearing within 3 working days of 9/30: 10/9, 10/10, 10/11 (Sat, 调休), so up to 10/12 00:00.
    await deadline('a-hp-nearing', 'huangpu', 'evidence-hold-7wd', shanghai('2025-10-09T00:00:00'));
    await deadline('b-pd-nearing-edge', 'pudong', 'service-7wd', shanghai('2025-10-12T00:00:00'));
    await deadline('c-hp-later', 'huangpu', 'payment-15d', shanghai('2025-10-14T00:00:00'));
    // Overdue: past due and open.
    await deadline('d-hp-overdue', 'huangpu', 'decision-90d', shanghai('2025-09-29T00:00:00'));
    await deadline('e-nj-overdue', 'nanjing', 'service-7wd', shanghai('2025-09-30T00:00:00'));
    // Neither: met, or the party's own window.
    await deadline(
      'f-hp-met-late',
      'huangpu',
      'evidence-hold-7wd',
      shanghai('2025-09-20T00:00:00'),
      'satisfied',
      shanghai('2025-09-22T10:00:00'),
    );
    await deadline('g-hp-window-over', 'huangpu', 'hearing-request-5wd', shanghai('2025-09-25T00:00:00'));
    await deadline('h-pd-window-open', 'pudong', 'hearing-request-5wd', shanghai('2025-10-10T00:00:00'));
  });

  afterAll(async () => {
    await sut?.close();
    await database?.drop();
  });

  const list = async (query: string, user: AuthenticatedUser, status: number) =>
    request(sut.app.getHttpServer())
      .get(`/supervision/deadlines${query}`)
      .set(await sut.as(user))
      .expect(status);
  const ids = (items: DeadlineView[]) => items.map((item) => item.id);

  describe('GET /supervision/deadlines', () => {
    it('lists open duties due within 3 working days, counting 10/11 as working and skipping the holiday', async () => {
      const response = await list('?state=nearing', sysadmin, 200);

      expect(response.body).toMatchObject({
        state: 'nearing',
        asOf: NOW.toISOString(),
        withinWorkingDays: 3,
        horizon: shanghai('2025-10-12T00:00:00').toISOString(),
        horizonCoverage: 'official',
        nextCursor: null,
      });
      expect(ids(response.body.items)).toEqual(['a-hp-nearing', 'b-pd-nearing-edge']);
      expect(response.body.items[0]).toEqual({
        id: 'a-hp-nearing',
        caseId: cases.get('huangpu')?.id,
        caseNumber: '案-huangpu',
        agencyId: 'agency-huangpu',
        regionCode: '310101',
        kind: 'evidence-hold-7wd',
        article: '《行政处罚法》第五十六条、第八十五条',
        description: expect.stringContaining('先行登记保存'),
        informational: false,
        startedByRecordId: expect.any(String),
        startsAt: shanghai('2025-09-15T09:00:00').toISOString(),
        dueAt: shanghai('2025-10-09T00:00:00').toISOString(),
        lastDay: '2025-10-08',
        status: 'open',
        overdue: false,
        satisfiedAt: null,
        satisfiedByRecordId: null,
        metInTime: null,
        calendarCoverage: 'official',
        extensionDays: 0,
        suspendedDays: 0,
        suspendedAt: null,
      });
    });

    it('looks further ahead on request', async () => {
      expect(ids((await list('?state=nearing&withinWorkingDays=4', sysadmin, 200)).body.items)).toEqual([
        'a-hp-nearing',
        'b-pd-nearing-edge',
        'c-hp-later',
      ]);
      expect(ids((await list('?state=nearing&withinWorkingDays=0', sysadmin, 200)).body.items)).toEqual([]);
    });

    it('lists open duties past due, most overdue first, without met ones or the party’s windows', async () => {
      const response = await list('?state=overdue', sysadmin, 200);

      expect(ids(response.body.items)).toEqual(['d-hp-overdue', 'e-nj-overdue']);
      expect(response.body.items[0]).toMatchObject({ overdue: true, status: 'open', lastDay: '2025-09-28' });
      expect(response.body.withinWorkingDays).toBeUndefined();
    });

    it.each([
      ['310000', ['a-hp-nearing', 'b-pd-nearing-edge'], ['d-hp-overdue']],
      ['310100', ['a-hp-nearing', 'b-pd-nearing-edge'], ['d-hp-overdue']],
      ['310101', ['a-hp-nearing'], ['d-hp-overdue']],
      ['320000', [], ['e-nj-overdue']],
      ['440000', [], []],
    ])('shows a supervisor of %s only cases in that division and below', async (region, nearing, overdue) => {
      expect(ids((await list('?state=nearing', supervisor(region), 200)).body.items)).toEqual(nearing);
      expect(ids((await list('?state=overdue', supervisor(region), 200)).body.items)).toEqual(overdue);
    });

    it('shows an agency administrator the agency’s cases', async () => {
      expect(ids((await list('?state=nearing', huangpuAdmin, 200)).body.items)).toEqual(['a-hp-nearing']);
      expect(ids((await list('?state=overdue&agencyId=agency-huangpu', huangpuAdmin, 200)).body.items)).toEqual(['d-hp-overdue']);
    });

    it('filters by region and agency within the scope', async () => {
      expect(ids((await list('?state=nearing&regionCode=310115', supervisor('310000'), 200)).body.items)).toEqual(['b-pd-nearing-edge']);
      expect(ids((await list('?state=overdue&agencyId=agency-nanjing', sysadmin, 200)).body.items)).toEqual(['e-nj-overdue']);
      expect(ids((await list('?state=overdue&regionCode=320000', sysadmin, 200)).body.items)).toEqual(['e-nj-overdue']);
    });

    it('refuses a filter outside the scope', async () => {
      expect((await list('?state=overdue&regionCode=320102', supervisor('310000'), 403)).body.code).toBe('DEADLINE_SCOPE');
      expect((await list('?state=overdue&regionCode=310000', supervisor('310101'), 403)).body.code).toBe('DEADLINE_SCOPE');
      expect((await list('?state=overdue&agencyId=agency-pudong', huangpuAdmin, 403)).body.code).toBe('DEADLINE_SCOPE');
    });

    it('refuses an officer', async () => {
      expect((await list('?state=overdue', huangpuOfficer, 403)).body.code).toBe('ROLE_REQUIRED');
    });

    it('pages with the cursor it returns', async () => {
      const first = await list('?state=nearing&withinWorkingDays=4&limit=2', sysadmin, 200);
      const second = await list(`?state=nearing&withinWorkingDays=4&limit=2&cursor=${first.body.nextCursor}`, sysadmin, 200);

      expect([ids(first.body.items), ids(second.body.items)]).toEqual([['a-hp-nearing', 'b-pd-nearing-edge'], ['c-hp-later']]);
      expect(second.body.nextCursor).toBeNull();
    });

    it.each([
      '',
      '?state=late',
      '?state=nearing&withinWorkingDays=31',
      '?state=nearing&withinWorkingDays=x',
      '?state=overdue&limit=0',
      '?state=overdue&regionCode=31',
      '?state=overdue&page=2',
      '?state=overdue&cursor=garbage',
    ])('answers 400 to %s', async (query) => {
      expect((await list(query, sysadmin, 400)).body.code).toBe('VALIDATION_FAILED');
    });

    it('flags a horizon counted without holiday data', async () => {
      sut.clock.now = shanghai('2024-09-30T10:00:00');
      try {
        const response = await list('?state=nearing', sysadmin, 200);
        // 2024 is not loaded: Monday to Friday, so 10/1, 10/2, 10/3 although they were holidays.
        expect(response.body).toMatchObject({ horizon: shanghai('2024-10-04T00:00:00').toISOString(), horizonCoverage: 'weekdays-only' });
      } finally {
        sut.clock.now = NOW;
      }
    });

    it('lists a suspended decision period on its own, never as overdue (Art. 60)', async () => {
      const caseRow = cases.get('nanjing');
      if (!caseRow) throw new Error('nanjing');
      await sut.app.get(DataSource).manager.insert(CaseDeadlineEntity, {
        id: 'i-nj-suspended',
        caseId: caseRow.id,
        agencyId: caseRow.agencyId,
        regionCode: caseRow.regionCode,
        kind: 'decision-90d',
        startedByRecordId: randomUUID(),
        startsAt: shanghai('2025-07-01T09:00:00'),
        dueAt: shanghai('2025-09-30T00:00:00'),
        satisfiedAt: null,
        satisfiedByRecordId: null,
        calendarCoverage: 'official',
        status: 'suspended',
        suspendedAt: shanghai('2025-08-01T09:00:00'),
      });

      const suspended = await list('?state=suspended', sysadmin, 200);
      expect(ids(suspended.body.items)).toEqual(['i-nj-suspended']);
      expect(suspended.body.items[0]).toMatchObject({
        status: 'suspended',
        overdue: false,
        suspendedAt: shanghai('2025-08-01T09:00:00').toISOString(),
      });
      expect(ids((await list('?state=overdue', sysadmin, 200)).body.items)).not.toContain('i-nj-suspended');
    });
  });

  describe('GET /cases/:caseId/deadlines', () => {
    const forCase = async (caseName: string, user: AuthenticatedUser, status: number) =>
      request(sut.app.getHttpServer())
        .get(`/cases/${cases.get(caseName)?.id ?? randomUUID()}/deadlines`)
        .set(await sut.as(user))
        .expect(status);

    it('lists every period of the case as of now for its agency', async () => {
      const response = await forCase('huangpu', huangpuOfficer, 200);
      const byId = new Map<string, DeadlineView>(response.body.map((item: DeadlineView) => [item.id, item]));

      expect([...byId.keys()].sort()).toEqual(['a-hp-nearing', 'c-hp-later', 'd-hp-overdue', 'f-hp-met-late', 'g-hp-window-over']);
      expect(byId.get('d-hp-overdue')).toMatchObject({ status: 'open', overdue: true });
      expect(byId.get('f-hp-met-late')).toMatchObject({ status: 'satisfied', overdue: false, metInTime: false });
      // The party's window ended without a request: it lapsed, nobody is overdue.
      expect(byId.get('g-hp-window-over')).toMatchObject({ status: 'lapsed', overdue: false, informational: true });
      expect(byId.get('a-hp-nearing')?.caseNumber).toBeUndefined();
    });

    it('shows an open window of the party as open until it ends', async () => {
      const response = await forCase('pudong', pudongOfficer, 200);

      expect(response.body.find((item: DeadlineView) => item.id === 'h-pd-window-open')).toMatchObject({ status: 'open', overdue: false });
    });

    it('lets a supervisor of the region read, and refuses another agency', async () => {
      await forCase('huangpu', supervisor('310100'), 200);
      expect((await forCase('huangpu', pudongOfficer, 403)).body.code).toBe('CASE_SCOPE');
      expect((await forCase('huangpu', supervisor('320000'), 403)).body.code).toBe('CASE_SCOPE');
    });

    it('answers 404 for an unknown case', async () => {
      expect((await forCase('nowhere', sysadmin, 404)).body.code).toBe('CASE_NOT_FOUND');
    });

    it('shows the late fee of an unpaid fine: 3% a day after the last day, never more than the fine (Art. 72)', async () => {
      const caseRow = cases.get('nanjing');
      if (!caseRow) throw new Error('nanjing');
      const manager = sut.app.get(DataSource).manager;
      const payment = (id: string, dueAt: Date, amountFen: string) =>
        manager.insert(CaseDeadlineEntity, {
          id,
          caseId: caseRow.id,
          agencyId: caseRow.agencyId,
          regionCode: caseRow.regionCode,
          kind: 'payment-15d',
          startedByRecordId: randomUUID(),
          startsAt: new Date(dueAt.getTime() - 16 * 24 * 3600_000),
          dueAt,
          satisfiedAt: null,
          satisfiedByRecordId: null,
          calendarCoverage: 'official',
          status: 'open',
          amountFen,
        });
      // Last day 9/19: by 9/30 (NOW) eleven days late, 33% of the fine.
      await payment('j-nj-unpaid', shanghai('2025-09-20T00:00:00'), '100000');
      // Last day in May: far more than 34 days late, the fee is the fine itself.
      await payment('k-nj-long-unpaid', shanghai('2025-05-20T00:00:00'), '100000');

      const response = await forCase('nanjing', sysadmin, 200);
      const byId = new Map<string, DeadlineView>(response.body.map((item: DeadlineView) => [item.id, item]));
      expect(byId.get('j-nj-unpaid')).toMatchObject({
        overdue: true,
        payment: { fineFen: '100000', daysLate: 11, lateFeeFen: '33000', capped: false, article: '《行政处罚法》第七十二条' },
      });
      expect(byId.get('k-nj-long-unpaid')?.payment).toMatchObject({ lateFeeFen: '100000', capped: true });
    });
  });
});
