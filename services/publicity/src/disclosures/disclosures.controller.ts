import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthenticatedUser } from '@enforcement/auth';
import { ApiErrors } from '@enforcement/service-runtime';
import { ApproveDisclosureDto, DisclosureQueueQuery } from './disclosure.dto';
import { DisclosuresService } from './disclosures.service';

/**
 * The review before publication: an agency's administrators see the original beside the redacted text and approve
 * it; the overdue list shows decisions past their deadline.
 */
@ApiTags('disclosures')
@ApiBearerAuth()
@Controller('disclosures')
export class DisclosuresController {
  constructor(private readonly disclosures: DisclosuresService) {}

  /** Administrators see their agency's queue; supervisors (执法监督) those of the agencies in their region, e.g. the overdue. */
  @ApiOperation({ summary: 'The queue of decisions to publish' })
  @Get()
  @Roles('agency-admin', 'supervisor')
  queue(@Query() query: DisclosureQueueQuery, @CurrentUser() user: AuthenticatedUser) {
    return this.disclosures
      .queue(user, { status: query.status, overdue: query.overdue, limit: query.limit ?? 100 })
      .then((items) => ({ items, nextCursor: null }));
  }

  @ApiOperation({ summary: 'Get a decision awaiting publication' })
  @Get(':id')
  @Roles('agency-admin')
  detail(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthenticatedUser) {
    return this.disclosures.detail(id, user);
  }

  @ApiOperation({ summary: 'Approve a decision’s publication' })
  @ApiErrors(409, 422)
  @Post(':id/approval')
  @HttpCode(200)
  @Roles('agency-admin')
  approve(@Param('id', ParseUUIDPipe) id: string, @Body() input: ApproveDisclosureDto, @CurrentUser() user: AuthenticatedUser) {
    return this.disclosures.approve(id, user, input);
  }
}
