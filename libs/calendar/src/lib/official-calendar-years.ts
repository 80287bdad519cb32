import { dayRange, type CalendarYear } from './calendar-year';

/** A year's arrangement shipped with the platform, with where it comes from. */
export interface OfficialCalendarYear extends CalendarYear {
  source: string;
}

/** Who loaded the shipped years, in `calendar_years.loaded_by`. */
export const SEED_LOADER = 'platform-seed';

/**
 * The arrangements published so far, loaded on start into an empty slot (an administrator's own data for a
 * year is never overwritten). Later years are loaded by an administrator with PUT /calendar/years/:year.
 */
export const OFFICIAL_CALENDAR_YEARS: readonly OfficialCalendarYear[] = [
  {
    year: 2025,
    holidays: [
      '2025-01-01', // 元旦
      ...dayRange('2025-01-28', '2025-02-04'), // 春节
      ...dayRange('2025-04-04', '2025-04-06'), // 清明节
      ...dayRange('2025-05-01', '2025-05-05'), // 劳动节
      ...dayRange('2025-05-31', '2025-06-02'), // 端午节
      ...dayRange('2025-10-01', '2025-10-08'), // 国庆节、中秋节
    ],
    workingWeekendDays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
    source:
      '平台预置：国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号，2024年11月12日）。' +
      '已与新华社受权发布的通知全文逐日核对。',
  },
  {
    year: 2026,
    holidays: [
      ...dayRange('2026-01-01', '2026-01-03'), // 元旦
      ...dayRange('2026-02-15', '2026-02-23'), // 春节
      ...dayRange('2026-04-04', '2026-04-06'), // 清明节
      ...dayRange('2026-05-01', '2026-05-05'), // 劳动节
      ...dayRange('2026-06-19', '2026-06-21'), // 端午节
      ...dayRange('2026-09-25', '2026-09-27'), // 中秋节
      ...dayRange('2026-10-01', '2026-10-07'), // 国庆节
    ],
    workingWeekendDays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
    source:
      '平台预置：国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日，新华社受权发布）。' +
      '已与新华社发布的通知全文逐日核对；发文字号未核对。',
  },
];
