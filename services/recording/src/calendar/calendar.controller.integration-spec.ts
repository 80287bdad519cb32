import type { AuthenticatedUser } from '@enforcement/auth';
import { dayRange, OFFICIAL_CALENDAR_YEARS } from '@enforcement/calendar';
import { decodeEnvelope, decodePayload, Events } from '@enforcement/contracts';
import { createTestDatabase, type TestDatabase } from '@enforcement/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { startDeadlinesTestApp, type DeadlinesTestApp } from '../deadlines/test-support/deadlines-test-app';
import { CalendarController } from './calendar.controller';
import { CalendarService } from './calendar.service';

const sysadmin: AuthenticatedUser = { userId: 'root', agencyId: '', roles: ['system-admin'] };
const officer: AuthenticatedUser = { userId: 'officer-1', agencyId: 'agency-huangpu', roles: ['officer', 'agency-admin'] };

/** A plausible arrangement for a year nobody published yet, for the test only. */
const year2027 = {
  holidays: ['2027-01-01', ...dayRange('2027-02-06', '2027-02-13'), ...dayRange('2027-05-01', '2027-05-05')],
  workingWeekendDays: ['2027-02-14', '2027-05-08'],
  source: '测试数据',
};

describe(CalendarController.name, () => {
  let database: TestDatabase;
  let sut: DeadlinesTestApp;

  beforeAll(async () => {
    database = await createTestDatabase('recording_calendar_http');
    sut = await startDeadlinesTestApp(database, new Date('2025-09-30T02:00:00Z'));
  });

  afterAll(async () => {
    await sut?.close();
    await database?.drop();
  });

  const http = () => request(sut.app.getHttpServer());

  it('ships the official 2025 and 2026 arrangements, marked as the platform seed', async () => {
    const response = await http()
      .get('/calendar/years')
      .set(await sut.as(officer))
      .expect(200);

    expect(response.body.map((year: { year: number }) => year.year)).toEqual([2025, 2026]);
    for (const [index, official] of OFFICIAL_CALENDAR_YEARS.entries()) {
      expect(response.body[index]).toEqual({
        year: official.year,
        holidays: [...official.holidays].sort(),
        workingWeekendDays: [...official.workingWeekendDays].sort(),
        source: expect.stringMatching(/^平台预置：国务院办公厅关于\d{4}年部分节假日安排的通知/),
        loadedBy: 'platform-seed',
        loadedAt: expect.any(String),
      });
    }
  });

  it('gives one year, and 404 for a year without data', async () => {
    const headers = await sut.as(officer);

    expect((await http().get('/calendar/years/2025').set(headers).expect(200)).body.workingWeekendDays).toEqual([
      '2025-01-26',
      '2025-02-08',
      '2025-04-27',
      '2025-09-28',
      '2025-10-11',
    ]);
    expect((await http().get('/calendar/years/2024').set(headers).expect(404)).body).toEqual({
      code: 'CALENDAR_YEAR_NOT_FOUND',
      message: expect.stringContaining('2024'),
    });
    expect((await http().get('/calendar/years/twenty').set(headers).expect(400)).body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'year', problems: [expect.any(String)] }],
    });
  });

  it('answers 401 without a token', async () => {
    expect((await http().get('/calendar/years').expect(401)).body.code).toBe('UNAUTHENTICATED');
  });

  it('lets only a system administrator load a year', async () => {
    const response = await http()
      .put('/calendar/years/2027')
      .set(await sut.as(officer))
      .send(year2027)
      .expect(403);

    expect(response.body.code).toBe('ROLE_REQUIRED');
  });

  it('loads a year, sorted, and counts with it at once', async () => {
    const response = await http()
      .put('/calendar/years/2027')
      .set(await sut.as(sysadmin))
      .send({ ...year2027, holidays: [...year2027.holidays].reverse() })
      .expect(200);

    expect(response.body).toEqual({
      year: 2027,
      holidays: year2027.holidays,
      workingWeekendDays: year2027.workingWeekendDays,
      source: '测试数据',
      loadedBy: 'root',
      loadedAt: expect.any(String),
    });
    const calendar = await sut.app.get(CalendarService).calendar();
    expect(calendar.coverageOf('2027-02-08')).toBe('official');
    expect(calendar.isWorkingDay('2027-02-08')).toBe(false);
    expect(calendar.isWorkingDay('2027-02-14')).toBe(true);
    expect(
      (
        await http()
          .get('/calendar/years/2027')
          .set(await sut.as(officer))
          .expect(200)
      ).body.loadedBy,
    ).toBe('root');
  });

  it('tells the services that follow the calendar: the load leaves as CalendarYearLoaded, with the year as it was stored', async () => {
    const dataSource = sut.app.get(DataSource);
    await dataSource.query('DELETE FROM outbox_events');

    await http()
      .put('/calendar/years/2027')
      .set(await sut.as(sysadmin))
      .send(year2027)
      .expect(200);
    await http()
      .put('/calendar/years/2099')
      .set(await sut.as(sysadmin))
      .send(year2027)
      .expect(422);

    const rows: Array<{ event_type: string; partition_key: string; payload: Buffer }> = await dataSource.query(
      'SELECT event_type, partition_key, payload FROM outbox_events',
    );
    expect(rows.map((row) => [row.event_type, row.partition_key])).toEqual([
      ['enforcement.recording.v1.CalendarYearLoaded', 'calendar-year-2027'],
    ]);
    const loaded = decodePayload(Events.CalendarYearLoaded, decodeEnvelope(rows[0].payload));
    expect(loaded).toMatchObject({
      year: 2027,
      holidays: [...year2027.holidays].sort(),
      workingWeekendDays: year2027.workingWeekendDays,
      source: '测试数据',
    });
  });

  it.each([
    ['a day of another year', { holidays: [...year2027.holidays, '2028-01-01'] }, 'holidays', '2028-01-01 is not in 2027'],
    ['a day in both lists', { workingWeekendDays: ['2027-02-06'] }, 'workingWeekendDays', '2027-02-06 is both a holiday and a working day'],
    [
      'a weekday as a made-up working day',
      { workingWeekendDays: ['2027-02-15'] },
      'workingWeekendDays',
      '2027-02-15 is not a Saturday or Sunday',
    ],
    ['too few holidays', { holidays: ['2027-01-01'] }, 'holidays', 'a year has from 11 to 60 days off in its holiday periods, not 1'],
    ['no 元旦', { holidays: year2027.holidays.slice(1) }, 'holidays', '2027-01-01 (元旦) must be a holiday'],
    [
      'a day that does not exist',
      { holidays: [...year2027.holidays, '2027-02-29'] },
      'holidays',
      '2027-02-29 is not a calendar day (YYYY-MM-DD)',
    ],
  ])('refuses %s with 422 CALENDAR_YEAR_INVALID', async (_case, change, field, problem) => {
    const response = await http()
      .put('/calendar/years/2027')
      .set(await sut.as(sysadmin))
      .send({ ...year2027, ...change })
      .expect(422);

    expect(response.body).toEqual({
      code: 'CALENDAR_YEAR_INVALID',
      message: expect.any(String),
      details: expect.arrayContaining([{ field, problems: expect.arrayContaining([problem]) }]),
    });
  });

  it.each([
    ['a malformed day', { holidays: ['2027/01/01'] }],
    ['a missing source', { source: undefined }],
    ['an unknown field', { note: 'x' }],
    ['a list that is not one', { holidays: '2027-01-01' }],
  ])('refuses %s with 400 VALIDATION_FAILED', async (_case, change) => {
    const response = await http()
      .put('/calendar/years/2027')
      .set(await sut.as(sysadmin))
      .send({ ...year2027, ...change })
      .expect(400);

    expect(response.body.code).toBe('VALIDATION_FAILED');
  });

  it('refuses a year out of range', async () => {
    const response = await http()
      .put('/calendar/years/1999')
      .set(await sut.as(sysadmin))
      .send(year2027)
      .expect(400);

    expect(response.body.details).toEqual([{ field: 'year', problems: ['year must be an integer from 2000 to 2099'] }]);
  });

  it('keeps an administrator’s correction of a shipped year across restarts', async () => {
    const corrected = {
      ...OFFICIAL_CALENDAR_YEARS[0],
      holidays: [...OFFICIAL_CALENDAR_YEARS[0].holidays, '2025-12-31'],
      source: '管理员更正',
    };
    const { year: _year, ...body } = corrected;
    await http()
      .put('/calendar/years/2025')
      .set(await sut.as(sysadmin))
      .send(body)
      .expect(200);

    const restarted = await startDeadlinesTestApp(database, new Date());
    try {
      const response = await request(restarted.app.getHttpServer())
        .get('/calendar/years/2025')
        .set(await restarted.as(officer))
        .expect(200);
      expect(response.body).toMatchObject({ source: '管理员更正', loadedBy: 'root' });
      expect((await restarted.app.get(CalendarService).calendar()).isWorkingDay('2025-12-31')).toBe(false);
    } finally {
      await restarted.close();
    }
  });
});
