import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthenticatedUser } from '@enforcement/auth';
import { StaffingService } from './staffing.service';

@ApiTags('officers')
@ApiBearerAuth()
@Controller()
export class StaffingController {
  constructor(private readonly staffing: StaffingService) {}

  @Get('agencies/:agencyId/staff-ratio')
  @Roles('agency-admin', 'system-admin')
  staffRatio(@Param('agencyId', ParseUUIDPipe) agencyId: string, @CurrentUser() user: AuthenticatedUser) {
    return this.staffing.staffRatio(agencyId, user);
  }

  @Get('officers/:id')
  @Roles('agency-admin', 'system-admin')
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthenticatedUser) {
    return this.staffing.get(id, user);
  }
}
