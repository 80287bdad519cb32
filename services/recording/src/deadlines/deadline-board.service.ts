import { Inject, Injectable, Optional } from '@nestjs/common';
import type { AuthenticatedUser } from '@enforcement/auth';
import type { CalendarCoverage } from '@enforcement/calendar';
import { coveragePrefix, regionCovers } from '@enforcement/certificates';
import { keysetPage, pageView } from '@enforcement/service-runtime';
import { CalendarService } from '../calendar/calendar.service';
import { RecordingError } from '../case-core/recording.error';
import { CaseAccessService } from '../cases/case-access.service';
import { CaseRepository } from '../cases/case.repository';
import { supervisionScopeOf, type SupervisionScope } from '../cases/supervision-scope';
import { CaseDeadlineRepository, type DeadlineListFilter } from './case-deadline.repository';
import { DEADLINE_CLOCK, type DeadlineClock } from './deadline-clock';
import type { DeadlineListQuery, DeadlineListState } from './deadline-list.query';
import { deadlineView, type DeadlineView } from './deadline-view';

export const DEFAULT_NEARING_WORKING_DAYS = 3;

export interface DeadlinePage {
  state: DeadlineListState;
  /** The instant the list was drawn up for. */
  asOf: string;
  /** For state=nearing: the working days looked ahead, and the end of that horizon. */
  withinWorkingDays?: number;
  horizon?: string;
  /** 'weekdays-only' when the horizon was counted without a year's holiday data. */
  horizonCoverage?: CalendarCoverage;
  items: DeadlineView[];
  nextCursor: string | null;
}

/**
 * Supervision (执法监督) of statutory periods: system administrators see every case; a supervisor the cases in
 * the division they supervise and below; an agency administrator their agency's cases.
 */
export function deadlineScopeOf(user: AuthenticatedUser): SupervisionScope {
  const scope = supervisionScopeOf(user, { agencyAdmins: true });
  if (!scope) throw deadlineScopeViolation();
  return scope;
}

/** Lists of case deadlines: per case for its readers, and nearing or overdue for supervision. */
@Injectable()
export class DeadlineBoardService {
  private readonly now: DeadlineClock;

  constructor(
    private readonly deadlines: CaseDeadlineRepository,
    private readonly cases: CaseRepository,
    private readonly calendars: CalendarService,
    private readonly caseAccess: CaseAccessService,
    @Optional() @Inject(DEADLINE_CLOCK) clock?: DeadlineClock,
  ) {
    this.now = clock ?? (() => new Date());
  }

  async forCase(user: AuthenticatedUser, caseId: string): Promise<DeadlineView[]> {
    await this.caseAccess.forReading(user, caseId);
    const rows = await this.deadlines.ofCase(caseId);
    const now = this.now();
    return rows.map((row) => deadlineView(row, now));
  }

  async forSupervision(user: AuthenticatedUser, query: DeadlineListQuery): Promise<DeadlinePage> {
    const scope = deadlineScopeOf(user);
    assertFiltersInScope(scope, query);
    const after = query.after();
    const limit = query.pageSize();
    const now = this.now();

    // A suspended case's decision period stands still (Art. 60): neither nearing nor overdue, listed on its own.
    // The party's hearing window is not a duty (the repository lists duties only): it lapses, never overdue.
    const filter: DeadlineListFilter = {
      status: query.state === 'suspended' ? 'suspended' : 'open',
      regionPrefix: query.regionCode ? coveragePrefix(query.regionCode) : undefined,
      agencyId: query.agencyId,
      scope,
    };
    const page: Omit<DeadlinePage, 'items' | 'nextCursor'> = { state: query.state, asOf: now.toISOString() };
    if (query.state === 'overdue') {
      filter.dueBy = now;
    } else if (query.state === 'nearing') {
      const withinWorkingDays = query.withinWorkingDays ?? DEFAULT_NEARING_WORKING_DAYS;
      const horizon = (await this.calendars.calendar()).addWorkingDays(now, withinWorkingDays);
      Object.assign(filter, { dueAfter: now, dueBy: horizon.dueAt });
      Object.assign(page, { withinWorkingDays, horizon: horizon.dueAt.toISOString(), horizonCoverage: horizon.coverage });
    }
    const rows = await this.deadlines.duties(filter, { after, limit });
    const found = keysetPage(rows, limit, (row) => ({ at: row.dueAt, id: row.id }));
    const numbers = await this.cases.caseNumbers(found.items.map((row) => row.caseId));
    return { ...page, ...pageView(found, (row) => deadlineView(row, now, numbers.get(row.caseId))) };
  }
}

/** A filter outside what the user may see is refused rather than silently answered with nothing. */
function assertFiltersInScope(scope: SupervisionScope, query: DeadlineListQuery): void {
  if (scope.kind === 'all') return;
  const regionAllowed = !query.regionCode || !!scope.agencyId || (!!scope.regionCode && regionCovers(scope.regionCode, query.regionCode));
  const agencyAllowed = !query.agencyId || !!scope.regionCode || scope.agencyId === query.agencyId;
  if (!regionAllowed || !agencyAllowed) throw deadlineScopeViolation();
}

function deadlineScopeViolation(): RecordingError {
  return new RecordingError('DEADLINE_SCOPE', '只能查看本机关或本监督辖区内案件的期限', 'forbidden');
}
