import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthenticatedUser } from '@enforcement/auth';
import { CaseTraceService } from '../cases/case-trace.service';
import { CaseTraced } from '../cases/case-traced.decorator';
import { DeadlineBoardService, type DeadlinePage } from './deadline-board.service';
import { DeadlineListQuery } from './deadline-list.query';
import type { DeadlineView } from './deadline-view';

/** Statutory periods (Administrative Penalty Law Art. 56, 60, 61, 64, 67, counted per Art. 85). */
@ApiTags('deadlines')
@ApiBearerAuth()
@CaseTraced()
@Controller()
export class DeadlinesController {
  constructor(
    private readonly board: DeadlineBoardService,
    readonly caseTraces: CaseTraceService,
  ) {}

  /** Open periods nearing their end or past it, within the caller's region or agency. */
  @ApiOperation({ summary: 'Periods nearing their end or past it, for supervision' })
  @Get('supervision/deadlines')
  @Roles('supervisor', 'system-admin', 'agency-admin')
  supervision(@Query() query: DeadlineListQuery, @CurrentUser() user: AuthenticatedUser): Promise<DeadlinePage> {
    return this.board.forSupervision(user, query);
  }

  /** Every period of a case, for whoever may read the case. */
  @ApiOperation({ summary: 'Every period of a case' })
  @Get('cases/:caseId/deadlines')
  forCase(@Param('caseId', ParseUUIDPipe) caseId: string, @CurrentUser() user: AuthenticatedUser): Promise<DeadlineView[]> {
    return this.board.forCase(user, caseId);
  }
}
