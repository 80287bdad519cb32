import { Body, Controller, Get, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthenticatedUser } from '@enforcement/auth';
import { DataSource } from 'typeorm';
import { DEFAULT_PUBLICATION_PERIODS } from '../disclosure-core/publication-period';
import { PublicityError } from '../disclosure-core/publicity.error';
import { assertOwnAgency } from '../http/access';
import { AgencyDisclosureDto } from './agency-disclosure.dto';
import { AGENCY_DISCLOSURE_SECTIONS, AgencyDisclosureEntity, type AgencyDisclosureSection } from './agency-disclosure.entity';
import { AgencyPublicitySettingsDto } from './agency-publicity-settings.dto';
import { AgencyPublicitySettingsEntity } from './agency-publicity-settings.entity';

/** An agency's administrators keep what the agency publishes before enforcement (事前公开), section by section. */
@ApiTags('agency-disclosures')
@ApiBearerAuth()
@Roles('agency-admin')
@Controller('agencies/:agencyId')
export class AgencyDisclosuresController {
  constructor(private readonly dataSource: DataSource) {}

  @Put('disclosures/:section')
  async put(
    @Param('agencyId', ParseUUIDPipe) agencyId: string,
    @Param('section') section: string,
    @Body() input: AgencyDisclosureDto,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    if (!(AGENCY_DISCLOSURE_SECTIONS as readonly string[]).includes(section)) {
      throw new PublicityError('SECTION_UNKNOWN', '未知的公示栏目', 'invalid', { details: { sections: AGENCY_DISCLOSURE_SECTIONS } });
    }
    assertOwnAgency(user, agencyId);
    const content = {
      text: input.text ?? '',
      items: (input.items ?? []).map((item) => ({ name: item.name, detail: item.detail ?? '', legalBasis: item.legalBasis ?? '' })),
    };
    return this.dataSource.transaction(async (manager) => {
      const held = await manager.findOneBy(AgencyDisclosureEntity, { agencyId, section: section as AgencyDisclosureSection });
      const row: AgencyDisclosureEntity = {
        agencyId,
        section: section as AgencyDisclosureSection,
        content,
        version: (held?.version ?? 0) + 1,
        updatedBy: user.userId,
        updatedAt: new Date(),
      };
      await manager.save(AgencyDisclosureEntity, row);
      return { section: row.section, version: row.version, updatedAt: row.updatedAt.toISOString(), ...row.content };
    });
  }

  /** The agency's publication periods and small-fine amounts (the defaults until set). */
  @Get('publicity-settings')
  async settings(@Param('agencyId', ParseUUIDPipe) agencyId: string, @CurrentUser() user: AuthenticatedUser) {
    assertOwnAgency(user, agencyId);
    const row = await this.dataSource.manager.findOneBy(AgencyPublicitySettingsEntity, { agencyId });
    const d = DEFAULT_PUBLICATION_PERIODS;
    return row
      ? { ...row, updatedAt: row.updatedAt.toISOString(), source: 'agency' }
      : {
          agencyId,
          shortMonths: d.shortMonths,
          longMonths: d.longMonths,
          smallFinePersonFen: d.smallFineMaxFen['natural-person'],
          smallFineOrganisationFen: d.smallFineMaxFen.organisation,
          source: 'default',
        };
  }

  @Put('publicity-settings')
  async putSettings(
    @Param('agencyId', ParseUUIDPipe) agencyId: string,
    @Body() input: AgencyPublicitySettingsDto,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    assertOwnAgency(user, agencyId);
    if (input.shortMonths > input.longMonths) {
      throw new PublicityError('PUBLICATION_PERIODS_INVALID', '较短的公示期限不得长于一般公示期限', 'invalid');
    }
    const row: AgencyPublicitySettingsEntity = { agencyId, ...input, updatedBy: user.userId, updatedAt: new Date() };
    await this.dataSource.manager.save(AgencyPublicitySettingsEntity, row);
    return { ...row, updatedAt: row.updatedAt.toISOString(), source: 'agency' };
  }
}
