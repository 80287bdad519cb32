import type { PeriodEnd, WorkingDayCalendar } from '@enforcement/calendar';

/**
 * What a decision decides, for its publication period: licences (行政许可) and penalties (行政处罚) are published
 * within 7 working days of the decision, every other enforcement decision within 20 (国办发〔2018〕118号, "事后公开":
 * 行政许可、行政处罚的执法决定信息要在执法决定作出之日起7个工作日内公开，其他执法决定信息原则上在20个工作日内公开).
 */
export type DecisionCategory = 'licence' | 'penalty' | 'other';

export const PUBLICATION_WORKING_DAYS: Readonly<Record<DecisionCategory, number>> = { licence: 7, penalty: 7, other: 20 };

/**
 * The end of a decision's publication period on the working-day calendar: the decision day does not count, the
 * period ends at 24:00 Shanghai of its last working day; holidays are skipped and 调休 weekend days count. `dueAt`
 * is the first instant the decision is overdue.
 */
export function publicationDueAt(calendar: WorkingDayCalendar, decidedAt: Date, category: DecisionCategory): PeriodEnd {
  return calendar.addWorkingDays(decidedAt, PUBLICATION_WORKING_DAYS[category]);
}

/** Whether a disclosure not yet published at `now` has passed its deadline. */
export function isPublicationOverdue(dueAt: Date, now: Date, publishedAt?: Date): boolean {
  if (publishedAt) return publishedAt.getTime() >= dueAt.getTime();
  return now.getTime() >= dueAt.getTime();
}
