import { Body, Controller, Get, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { assertAgencyScope, CurrentUser, Roles, type AuthenticatedUser } from '@enforcement/auth';
import { ApiErrors } from '@enforcement/service-runtime';
import { DeadlineSettingsDto, type DeadlineSettingsView } from './deadline-settings.dto';
import { DeadlineSettingsService } from './deadline-settings.service';

@ApiTags('deadlines')
@ApiBearerAuth()
@Controller('agencies/:agencyId/deadline-settings')
export class DeadlineSettingsController {
  constructor(private readonly settings: DeadlineSettingsService) {}

  @ApiOperation({ summary: 'The agency’s deadline settings' })
  @Get()
  get(@Param('agencyId', ParseUUIDPipe) agencyId: string, @CurrentUser() user: AuthenticatedUser): Promise<DeadlineSettingsView> {
    assertAgencyScope(user, agencyId);
    return this.settings.of(agencyId);
  }

  /** Applies to extensions recorded from now on; an extension already recorded keeps its length. */
  @ApiOperation({ summary: 'Set the agency’s deadline settings' })
  @ApiErrors(422)
  @Put()
  @Roles('agency-admin', 'system-admin')
  set(
    @Param('agencyId', ParseUUIDPipe) agencyId: string,
    @Body() input: DeadlineSettingsDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<DeadlineSettingsView> {
    assertAgencyScope(user, agencyId);
    return this.settings.set(agencyId, input, user.userId);
  }
}
