import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthenticatedUser } from '@enforcement/auth';
import { StaffingService } from './staffing.service';

@ApiTags('officers')
@ApiBearerAuth()
@Controller()
export class StaffingController {
  constructor(private readonly staffing: StaffingService) {}

  @ApiOperation({ summary: 'An agency’s staffing: certified officers per post' })
  @Get('agencies/:agencyId/staff-ratio')
  @Roles('agency-admin', 'system-admin')
  staffRatio(@Param('agencyId', ParseUUIDPipe) agencyId: string, @CurrentUser() user: AuthenticatedUser) {
    return this.staffing.staffRatio(agencyId, user);
  }

  @ApiOperation({ summary: 'Get an officer with their certificates' })
  @Get('officers/:id')
  @Roles('agency-admin', 'system-admin')
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthenticatedUser) {
    return this.staffing.get(id, user);
  }
}
