import { Inject, Injectable, Optional } from '@nestjs/common';
import type { AuthenticatedUser } from '@enforcement/auth';
import type { CalendarCoverage } from '@enforcement/calendar';
import { coveragePrefix, isDivisionCode, regionCovers } from '@enforcement/certificates';
import { applyKeyset, keysetPage, pageView } from '@enforcement/service-runtime';
import { Brackets, DataSource, In } from 'typeorm';
import { CalendarService } from '../calendar/calendar.service';
import { RecordingError } from '../case-core/recording.error';
import { CaseAccessService } from '../cases/case-access.service';
import { CaseEntity } from '../cases/case.entity';
import { CaseDeadlineEntity } from './case-deadline.entity';
import { DEADLINE_CLOCK, type DeadlineClock } from './deadline-clock';
import type { DeadlineListQuery, DeadlineListState } from './deadline-list.query';
import { DUTY_KINDS } from './deadline-rules';
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

/** What a user may see of supervision lists: everything, or cases in a region and/or of an agency. */
export type DeadlineScope = { kind: 'all' } | { kind: 'limited'; region?: string; agencyId?: string };

/**
 * Supervision (执法监督) of statutory periods: system administrators see every case; a supervisor the cases in
 * the division they supervise and below; an agency administrator their agency's cases.
 */
export function deadlineScopeOf(user: AuthenticatedUser): DeadlineScope {
  if (user.roles.includes('system-admin')) return { kind: 'all' };
  const region =
    user.roles.includes('supervisor') && user.supervisedRegionCode && isDivisionCode(user.supervisedRegionCode)
      ? user.supervisedRegionCode
      : undefined;
  const agencyId = user.roles.includes('agency-admin') && user.agencyId ? user.agencyId : undefined;
  if (!region && !agencyId) throw deadlineScopeViolation();
  return { kind: 'limited', region, agencyId };
}

/** Lists of case deadlines: per case for its readers, and nearing or overdue for supervision. */
@Injectable()
export class DeadlineBoardService {
  private readonly now: DeadlineClock;

  constructor(
    private readonly dataSource: DataSource,
    private readonly calendars: CalendarService,
    private readonly caseAccess: CaseAccessService,
    @Optional() @Inject(DEADLINE_CLOCK) clock?: DeadlineClock,
  ) {
    this.now = clock ?? (() => new Date());
  }

  async forCase(user: AuthenticatedUser, caseId: string): Promise<DeadlineView[]> {
    await this.caseAccess.forReading(user, caseId);
    const rows = await this.dataSource.manager.find(CaseDeadlineEntity, { where: { caseId }, order: { startsAt: 'ASC', id: 'ASC' } });
    const now = this.now();
    return rows.map((row) => deadlineView(row, now));
  }

  async forSupervision(user: AuthenticatedUser, query: DeadlineListQuery): Promise<DeadlinePage> {
    const scope = deadlineScopeOf(user);
    assertFiltersInScope(scope, query);
    const after = query.after();
    const limit = query.pageSize();
    const now = this.now();

    const builder = this.dataSource.manager
      .createQueryBuilder(CaseDeadlineEntity, 'd')
      // A suspended case's decision period stands still (Art. 60): neither nearing nor overdue, listed on its own.
      .where('d.status = :status', { status: query.state === 'suspended' ? 'suspended' : 'open' })
      // The party's hearing window is not a duty: it lapses and is never nearing or overdue.
      .andWhere('d.kind IN (:...kinds)', { kinds: [...DUTY_KINDS] });
    const page: Omit<DeadlinePage, 'items' | 'nextCursor'> = { state: query.state, asOf: now.toISOString() };
    if (query.state === 'overdue') {
      builder.andWhere('d.dueAt <= :now', { now });
    } else if (query.state === 'nearing') {
      const withinWorkingDays = query.withinWorkingDays ?? DEFAULT_NEARING_WORKING_DAYS;
      const horizon = (await this.calendars.calendar()).addWorkingDays(now, withinWorkingDays);
      builder.andWhere('d.dueAt > :now AND d.dueAt <= :horizon', { now, horizon: horizon.dueAt });
      Object.assign(page, { withinWorkingDays, horizon: horizon.dueAt.toISOString(), horizonCoverage: horizon.coverage });
    }
    if (scope.kind === 'limited') {
      builder.andWhere(
        new Brackets((where) => {
          // Division codes are digits only, so the prefix needs no LIKE escaping.
          if (scope.region) where.orWhere('d.regionCode LIKE :scopeRegion', { scopeRegion: `${coveragePrefix(scope.region)}%` });
          if (scope.agencyId) where.orWhere('d.agencyId = :scopeAgency', { scopeAgency: scope.agencyId });
        }),
      );
    }
    if (query.regionCode) builder.andWhere('d.regionCode LIKE :region', { region: `${coveragePrefix(query.regionCode)}%` });
    if (query.agencyId) builder.andWhere('d.agencyId = :agencyId', { agencyId: query.agencyId });
    // Soonest due first.
    const rows = await applyKeyset(builder, { at: 'd.dueAt', id: 'd.id', order: 'ASC' }, { after, limit }).getMany();
    const found = keysetPage(rows, limit, (row) => ({ at: row.dueAt, id: row.id }));
    const numbers = await this.caseNumbers(found.items.map((row) => row.caseId));
    return { ...page, ...pageView(found, (row) => deadlineView(row, now, numbers.get(row.caseId))) };
  }

  private async caseNumbers(caseIds: string[]): Promise<Map<string, string>> {
    if (caseIds.length === 0) return new Map();
    const cases = await this.dataSource.manager.find(CaseEntity, {
      select: { id: true, caseNumber: true },
      where: { id: In([...new Set(caseIds)]) },
    });
    return new Map(cases.map((found) => [found.id, found.caseNumber]));
  }
}

/** A filter outside what the user may see is refused rather than silently answered with nothing. */
function assertFiltersInScope(scope: DeadlineScope, query: DeadlineListQuery): void {
  if (scope.kind === 'all') return;
  const regionAllowed = !query.regionCode || !!scope.agencyId || (!!scope.region && regionCovers(scope.region, query.regionCode));
  const agencyAllowed = !query.agencyId || !!scope.region || scope.agencyId === query.agencyId;
  if (!regionAllowed || !agencyAllowed) throw deadlineScopeViolation();
}

function deadlineScopeViolation(): RecordingError {
  return new RecordingError('DEADLINE_SCOPE', '只能查看本机关或本监督辖区内案件的期限', 'forbidden');
}
