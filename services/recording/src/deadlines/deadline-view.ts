import { chinaDayOf, type CalendarCoverage } from '@enforcement/calendar';
import type { CaseDeadlineEntity } from './case-deadline.entity';
import { DEADLINE_RULES, type DeadlineKind, type DeadlineStatus } from './deadline-rules';
import { lateFeeOf, type LateFee } from './payment';

export interface DeadlineView {
  id: string;
  caseId: string;
  /** Present in supervisors' lists. */
  caseNumber?: string;
  agencyId: string;
  regionCode: string;
  kind: DeadlineKind;
  article: string;
  description: string;
  /** The party's own window (hearing request): it lapses, it is never overdue. */
  informational: boolean;
  startedByRecordId: string;
  startsAt: string;
  /** Exclusive end: 00:00 Shanghai after `lastDay`. */
  dueAt: string;
  lastDay: string;
  /** As of now: an open window of the party past its end shows as lapsed. */
  status: DeadlineStatus;
  overdue: boolean;
  satisfiedAt: string | null;
  satisfiedByRecordId: string | null;
  /** Whether the satisfying step came before the end; null while not satisfied. */
  metInTime: boolean | null;
  /** 'weekdays-only': counted without the holiday data of some year; may be off by its holidays. */
  calendarCoverage: CalendarCoverage;
  /** Days added by the agency head's approved extension (the decision period, Art. 60). */
  extensionDays: number;
  /** Days the period stood still while the case was suspended (Art. 60). */
  suspendedDays: number;
  /** While the case is suspended (status 'suspended'): since when. */
  suspendedAt: string | null;
  /**
   * The payment period only, when its fine is known (Art. 67, 72): the fine and the late fee counted to the payment
   * (satisfied) or to now (open), 3% of the fine a day after the last day, never more than the fine.
   */
  payment?: LateFee;
}

export function deadlineView(row: CaseDeadlineEntity, now: Date, caseNumber?: string): DeadlineView {
  const rule = DEADLINE_RULES[row.kind];
  const past = row.dueAt.getTime() <= now.getTime();
  const status: DeadlineStatus = row.status === 'open' && rule.informational && past ? 'lapsed' : row.status;
  return {
    id: row.id,
    caseId: row.caseId,
    ...(caseNumber === undefined ? {} : { caseNumber }),
    agencyId: row.agencyId,
    regionCode: row.regionCode,
    kind: row.kind,
    article: rule.article,
    description: rule.description,
    informational: rule.informational,
    startedByRecordId: row.startedByRecordId,
    startsAt: row.startsAt.toISOString(),
    dueAt: row.dueAt.toISOString(),
    lastDay: chinaDayOf(new Date(row.dueAt.getTime() - 1)),
    status,
    overdue: status === 'open' && !rule.informational && past,
    satisfiedAt: row.satisfiedAt?.toISOString() ?? null,
    satisfiedByRecordId: row.satisfiedByRecordId,
    metInTime: row.status === 'satisfied' && row.satisfiedAt ? row.satisfiedAt.getTime() < row.dueAt.getTime() : null,
    calendarCoverage: row.calendarCoverage,
    extensionDays: row.extensionDays ?? 0,
    suspendedDays: row.suspendedDays ?? 0,
    suspendedAt: row.suspendedAt?.toISOString() ?? null,
    ...(row.kind === 'payment-15d' && row.amountFen !== null && row.amountFen !== undefined && row.status !== 'cancelled'
      ? { payment: lateFeeOf(BigInt(String(row.amountFen)), chinaDayOf(new Date(row.dueAt.getTime() - 1)), paidOrNow(row, now)) }
      : {}),
  };
}

/** The late fee runs to the payment, or to now while the fine is unpaid. */
function paidOrNow(row: CaseDeadlineEntity, now: Date): Date {
  return row.status === 'satisfied' && row.satisfiedAt ? row.satisfiedAt : now;
}
