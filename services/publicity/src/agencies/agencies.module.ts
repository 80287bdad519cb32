import { Module } from '@nestjs/common';
import { AgencyDirectoryConsumer } from './agency-directory.consumer';
import { AgencyDisclosureRepository } from './agency-disclosure.repository';
import { AgencyDisclosuresController } from './agency-disclosures.controller';
import { AgencyDisclosuresService } from './agency-disclosures.service';
import { AgencyPublicitySettingsRepository } from './agency-publicity-settings.repository';
import { PublicAgencyRepository } from './public-agency.repository';

/** The agencies as the portal shows them, and what their administrators keep (事前公开, publication periods). */
@Module({
  controllers: [AgencyDisclosuresController],
  providers: [
    PublicAgencyRepository,
    AgencyDisclosureRepository,
    AgencyPublicitySettingsRepository,
    AgencyDisclosuresService,
    AgencyDirectoryConsumer,
  ],
  // Approval reads the agency's name and its own publication periods.
  exports: [PublicAgencyRepository, AgencyPublicitySettingsRepository],
})
export class AgenciesModule {}
