import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '@enforcement/auth';
import { DEFAULT_PUBLICATION_PERIODS } from '../disclosure-core/publication-period';
import { PublicityError } from '../disclosure-core/publicity.error';
import { assertOwnAgency } from '../http/access';
import type { AgencyDisclosureDto } from './agency-disclosure.dto';
import { AGENCY_DISCLOSURE_SECTIONS, type AgencyDisclosureSection } from './agency-disclosure.entity';
import { AgencyDisclosureRepository } from './agency-disclosure.repository';
import type { AgencyPublicitySettingsDto } from './agency-publicity-settings.dto';
import type { AgencyPublicitySettingsEntity } from './agency-publicity-settings.entity';
import { AgencyPublicitySettingsRepository } from './agency-publicity-settings.repository';

/**
 * What an agency's administrators keep for the agency: what it publishes before enforcement (事前公开), section by
 * section, and its publication periods and small-fine amounts.
 */
@Injectable()
export class AgencyDisclosuresService {
  constructor(
    private readonly sections: AgencyDisclosureRepository,
    private readonly publicitySettings: AgencyPublicitySettingsRepository,
  ) {}

  /** Replaces a section's content with a new version (400 SECTION_UNKNOWN, 403 AGENCY_SCOPE). */
  async putSection(agencyId: string, section: string, input: AgencyDisclosureDto, user: AuthenticatedUser) {
    if (!(AGENCY_DISCLOSURE_SECTIONS as readonly string[]).includes(section)) {
      throw new PublicityError('SECTION_UNKNOWN', '未知的公示栏目', 'invalid', { details: { sections: AGENCY_DISCLOSURE_SECTIONS } });
    }
    assertOwnAgency(user, agencyId);
    const content = {
      text: input.text ?? '',
      items: (input.items ?? []).map((item) => ({ name: item.name, detail: item.detail ?? '', legalBasis: item.legalBasis ?? '' })),
    };
    const row = await this.sections.saveVersion(agencyId, section as AgencyDisclosureSection, content, user.userId, new Date());
    return { section: row.section, version: row.version, updatedAt: row.updatedAt.toISOString(), ...row.content };
  }

  /** The agency's publication periods and small-fine amounts (the defaults until set). */
  async settings(agencyId: string, user: AuthenticatedUser) {
    assertOwnAgency(user, agencyId);
    const row = await this.publicitySettings.byAgency(agencyId);
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

  /** Sets them (400 PUBLICATION_PERIODS_INVALID when the shorter period is the longer one). */
  async putSettings(agencyId: string, input: AgencyPublicitySettingsDto, user: AuthenticatedUser) {
    assertOwnAgency(user, agencyId);
    if (input.shortMonths > input.longMonths) {
      throw new PublicityError('PUBLICATION_PERIODS_INVALID', '较短的公示期限不得长于一般公示期限', 'invalid');
    }
    const row: AgencyPublicitySettingsEntity = { agencyId, ...input, updatedBy: user.userId, updatedAt: new Date() };
    await this.publicitySettings.save(row);
    return { ...row, updatedAt: row.updatedAt.toISOString(), source: 'agency' };
  }
}
