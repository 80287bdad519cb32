import type { PeriodEnd, WorkingDayCalendar } from '@enforcement/calendar';
import { ARTICLES, LegalReviewError } from './legal-review.error';

/** One extension of a round's period, kept with the round. */
export interface DeadlineExtension {
  workingDays: number;
  reason: string;
  by: string;
  at: string;
  dueAt: string;
}

/**
 * The period a review round has (the agency's catalog sets it, default 5 working days), counted on the
 * working-day calendar: the submission day does not count, the period ends at 24:00 Shanghai of its last
 * working day; holidays are skipped and 调休 weekend days count (Art. 85 applied by analogy).
 */
export function reviewDueAt(calendar: WorkingDayCalendar, submittedAt: Date, workingDays: number): PeriodEnd {
  return calendar.addWorkingDays(submittedAt, workingDays);
}

/** An extension adds working days after the current due day and needs a written reason. */
export function extendDueAt(calendar: WorkingDayCalendar, dueAt: Date, workingDays: number, reason: string): PeriodEnd {
  if (!reason.trim()) throw new LegalReviewError('EXTENSION_REASON_REQUIRED', '延长审核期限须说明理由', 'invalid');
  if (!Number.isInteger(workingDays) || workingDays < 1 || workingDays > 30) {
    throw new LegalReviewError('EXTENSION_INVALID', '延长期限须为1至30个工作日', 'invalid', { article: ARTICLES.art85 });
  }
  // dueAt is 00:00 after the last day: the count starts from that last day.
  return calendar.addWorkingDays(new Date(dueAt.getTime() - 1), workingDays);
}

/** Whether an open round's period has passed at `now`. */
export function isOverdue(dueAt: Date, now: Date): boolean {
  return now.getTime() >= dueAt.getTime();
}
