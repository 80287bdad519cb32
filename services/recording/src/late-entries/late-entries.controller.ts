import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthenticatedUser } from '@enforcement/auth';
import { PageQuery, pageView } from '@enforcement/service-runtime';
import { LateEntryLogService } from './late-entry-log.service';

export class LateEntryListQuery extends PageQuery({ defaultLimit: 100, maxLimit: 500 }) {}

/** Steps entered long after they happened, with their reasons (执法监督 of honest times, Art. 47). */
@ApiTags('supervision')
@ApiBearerAuth()
@Controller()
export class LateEntriesController {
  constructor(private readonly log: LateEntryLogService) {}

  @ApiOperation({ summary: 'Steps entered late, for supervision' })
  @Get('supervision/late-entries')
  @Roles('supervisor', 'system-admin', 'agency-admin')
  async list(@Query() query: LateEntryListQuery, @CurrentUser() user: AuthenticatedUser) {
    return pageView(await this.log.list(user, { after: query.after(), limit: query.pageSize() }), (row) => ({
      recordId: row.recordId,
      caseId: row.caseId,
      agencyId: row.agencyId,
      regionCode: row.regionCode,
      stepType: row.stepType,
      recordedBy: row.recordedBy,
      occurredAt: row.occurredAt,
      recordedAt: row.recordedAt,
      reason: row.reason,
    }));
  }
}
