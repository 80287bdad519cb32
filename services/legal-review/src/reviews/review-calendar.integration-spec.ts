import { dayRange } from '@enforcement/calendar';
import { encodeEnvelope, Events, timestampFromDate } from '@enforcement/contracts';
import { outboxRowHeaders } from '@enforcement/events';
import { startServiceForTest, type ServiceUnderTest } from '@enforcement/service-testing';
import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { legalReviewService } from '../service';
import { REVIEW_CALENDAR } from './reviews.service';

/** A plausible 2027 for the test only: 2027-10-08 (a Friday) a holiday, Sunday 2027-10-10 a working day. */
const year2027 = {
  year: 2027,
  holidays: ['2027-01-01', ...dayRange('2027-02-06', '2027-02-13'), ...dayRange('2027-10-01', '2027-10-08')],
  workingWeekendDays: ['2027-02-14', '2027-10-10'],
};

/** Review periods count working days on the calendar recording owns, as this service follows it (issue #9). */
describe('the legal-review calendar (MariaDB, events)', () => {
  let sut: ServiceUnderTest;

  beforeAll(async () => {
    sut = await startServiceForTest(legalReviewService);
  });

  afterAll(() => sut?.close());

  it('counts review periods on a year an administrator loaded into recording, once its event arrives', async () => {
    const calendars = sut.app.get<{ calendar(): { isWorkingDay(day: string): boolean; coverageOf(day: string): string } }>(REVIEW_CALENDAR);
    expect(calendars.calendar().coverageOf('2027-10-08')).toBe('weekdays-only');
    expect(calendars.calendar().isWorkingDay('2027-10-08')).toBe(true);

    const eventId = randomUUID();
    const payload = create(Events.CalendarYearLoaded.schema, { ...year2027, source: '测试数据', loadedAt: timestampFromDate(new Date()) });
    await sut.broker.publish([
      {
        topic: Events.CalendarYearLoaded.topic,
        key: 'calendar-year-2027',
        value: encodeEnvelope(Events.CalendarYearLoaded, payload, {
          eventId,
          occurredAt: new Date(),
          agencyId: '',
          actingUserId: 'root',
          correlationId: eventId,
          causationId: '',
          partitionKey: 'calendar-year-2027',
        }),
        headers: outboxRowHeaders({ eventId, eventType: Events.CalendarYearLoaded.schema.typeName }),
      },
    ]);

    const deadline = Date.now() + 10_000;
    while (calendars.calendar().coverageOf('2027-10-08') !== 'official' && Date.now() < deadline)
      await new Promise((done) => setTimeout(done, 50));
    expect(calendars.calendar().isWorkingDay('2027-10-08')).toBe(false);
    expect(calendars.calendar().isWorkingDay('2027-10-10')).toBe(true);
  });
});
