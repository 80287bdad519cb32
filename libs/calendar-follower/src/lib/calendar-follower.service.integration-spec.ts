import { OFFICIAL_CALENDAR_YEARS } from '@enforcement/calendar';
import { recordingV1, timestampFromDate } from '@enforcement/contracts';
import type { EventContext } from '@enforcement/events';
import { openDatabase } from '@enforcement/persistence';
import { createTestDatabase, type TestDatabase } from '@enforcement/testing';
import { create } from '@bufbuild/protobuf';
import type { DataSource } from 'typeorm';
import { CALENDAR_FOLLOWER_ENTITIES, CALENDAR_FOLLOWER_MIGRATIONS } from './calendar-follower.module';
import { CalendarFollowerService } from './calendar-follower.service';
import { FollowedCalendarYearRepository } from './followed-calendar-year.repository';

/** 2026 as recording might republish it after a correction: 2026-10-09 (a Friday) made a holiday. */
const official2026 = OFFICIAL_CALENDAR_YEARS.find((year) => year.year === 2026);
if (!official2026) throw new Error('the official 2026 arrangement is shipped');

function loaded(year: number, holidays: readonly string[], workingWeekendDays: readonly string[], loadedAt: Date) {
  return create(recordingV1.CalendarYearLoadedSchema, {
    year,
    holidays: [...holidays],
    workingWeekendDays: [...workingWeekendDays],
    source: '国办发明电〔2025〕7号（更正）',
    loadedAt: timestampFromDate(loadedAt),
  });
}

describe(CalendarFollowerService.name, () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const context = (): EventContext => ({ manager: dataSource.manager }) as EventContext;

  beforeAll(async () => {
    database = await createTestDatabase('calendar_follower');
    dataSource = await openDatabase({
      url: database.url,
      sqliteFile: '',
      entities: CALENDAR_FOLLOWER_ENTITIES,
      migrations: CALENDAR_FOLLOWER_MIGRATIONS,
    });
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const follower = async () => {
    const started = new CalendarFollowerService(new FollowedCalendarYearRepository(dataSource), { refreshIntervalMs: 0 });
    await started.onModuleInit();
    return started;
  };

  it('counts with the shipped official years until the owner publishes one', async () => {
    const sut = await follower();

    expect(sut.calendar().isWorkingDay('2026-10-09')).toBe(true);
    expect(sut.calendar().isWorkingDay('2026-10-01')).toBe(false);
    expect(sut.calendar().coverageOf('2027-03-01')).toBe('weekdays-only');
  });

  it("takes the owner's load of a year at once, keeps it across a restart, and another replica reads it on refresh", async () => {
    const sut = await follower();
    const replica = await follower();
    const at = new Date('2026-09-01T02:00:00Z');

    await sut.onCalendarYearLoaded(loaded(2026, [...official2026.holidays, '2026-10-09'], official2026.workingWeekendDays, at), context());

    expect(sut.calendar().isWorkingDay('2026-10-09')).toBe(false);
    expect(replica.calendar().isWorkingDay('2026-10-09')).toBe(true);
    await replica.refresh();
    expect(replica.calendar().isWorkingDay('2026-10-09')).toBe(false);
    expect((await follower()).calendar().isWorkingDay('2026-10-09')).toBe(false);
  });

  it('never lets an older load that arrives late replace a newer one', async () => {
    const sut = await follower();
    const newer = new Date('2026-09-02T02:00:00Z');
    await sut.onCalendarYearLoaded(loaded(2026, official2026.holidays, official2026.workingWeekendDays, newer), context());

    await sut.onCalendarYearLoaded(
      loaded(2026, [...official2026.holidays, '2026-10-09'], official2026.workingWeekendDays, new Date('2026-09-01T12:00:00Z')),
      context(),
    );

    expect(sut.calendar().isWorkingDay('2026-10-09')).toBe(true);
    expect((await follower()).calendar().isWorkingDay('2026-10-09')).toBe(true);
  });

  it('refuses a year that fails the checks (a fault to dead-letter, not data to count with) and keeps the calendar', async () => {
    const sut = await follower();

    await expect(sut.onCalendarYearLoaded(loaded(2027, ['2027-01-01'], [], new Date('2026-12-01T02:00:00Z')), context())).rejects.toThrow(
      'CalendarYearLoaded 2027 is invalid',
    );
    expect(sut.calendar().coverageOf('2027-03-01')).toBe('weekdays-only');
  });
});
