import { Body, Controller, Get, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthenticatedUser } from '@enforcement/auth';
import { AgencyDisclosureDto } from './agency-disclosure.dto';
import { AgencyDisclosuresService } from './agency-disclosures.service';
import { AgencyPublicitySettingsDto } from './agency-publicity-settings.dto';

/** An agency's administrators keep what the agency publishes before enforcement (事前公开), section by section. */
@ApiTags('agency-disclosures')
@ApiBearerAuth()
@Roles('agency-admin')
@Controller('agencies/:agencyId')
export class AgencyDisclosuresController {
  constructor(private readonly agencies: AgencyDisclosuresService) {}

  @Put('disclosures/:section')
  async put(
    @Param('agencyId', ParseUUIDPipe) agencyId: string,
    @Param('section') section: string,
    @Body() input: AgencyDisclosureDto,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    return this.agencies.putSection(agencyId, section, input, user);
  }

  /** The agency's publication periods and small-fine amounts (the defaults until set). */
  @Get('publicity-settings')
  async settings(@Param('agencyId', ParseUUIDPipe) agencyId: string, @CurrentUser() user: AuthenticatedUser) {
    return this.agencies.settings(agencyId, user);
  }

  @Put('publicity-settings')
  async putSettings(
    @Param('agencyId', ParseUUIDPipe) agencyId: string,
    @Body() input: AgencyPublicitySettingsDto,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    return this.agencies.putSettings(agencyId, input, user);
  }
}
