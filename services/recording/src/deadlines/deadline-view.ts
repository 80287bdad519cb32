import { chinaDayOf, type CalendarCoverage } from '@enforcement/calendar';
import type { CaseDeadlineEntity } from './case-deadline.entity';
import { DEADLINE_RULES, type DeadlineKind, type DeadlineStatus } from './deadline-rules';

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
  };
}
