import { Body, Controller, Get, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthenticatedUser } from '@enforcement/auth';
import { ApiErrors } from '@enforcement/service-runtime';
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

  @ApiOperation({ summary: 'Publish a section of the agency’s disclosures (事前公开)' })
  @ApiErrors(422)
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
  @ApiOperation({ summary: 'The agency’s publicity settings' })
  @Get('publicity-settings')
  async settings(@Param('agencyId', ParseUUIDPipe) agencyId: string, @CurrentUser() user: AuthenticatedUser) {
    return this.agencies.settings(agencyId, user);
  }

  @ApiOperation({ summary: 'Set the agency’s publicity settings' })
  @ApiErrors(422)
  @Put('publicity-settings')
  async putSettings(
    @Param('agencyId', ParseUUIDPipe) agencyId: string,
    @Body() input: AgencyPublicitySettingsDto,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    return this.agencies.putSettings(agencyId, input, user);
  }
}
