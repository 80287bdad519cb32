import { DynamicModule, Module } from '@nestjs/common';
import { CALENDAR_FOLLOWER_ENTITIES, CALENDAR_FOLLOWER_MIGRATIONS } from '@enforcement/calendar-follower';
import { CERTIFICATE_READ_MODEL_ENTITIES, CERTIFICATE_READ_MODEL_MIGRATIONS, CertificateCheckModule } from '@enforcement/certificates';
import { RuntimeModule, type ServiceContext } from '@enforcement/service-runtime';
import { AgencyDisclosureEntity } from '../agencies/agency-disclosure.entity';
import { AgencyPublicitySettingsEntity } from '../agencies/agency-publicity-settings.entity';
import { PublicAgencyEntity } from '../agencies/public-agency.entity';
import { DisclosureHistoryEntity } from '../disclosures/disclosure-history.entity';
import { DisclosureEntity } from '../disclosures/disclosure.entity';
import { DisclosuresModule } from '../disclosures/disclosures.module';
import { SearchTermEntity } from '../disclosures/search-term.entity';
import { ClientErrorResponderService } from '../http/client-error-responder.service';
import { DailyRootEntity, DailyRootLeafEntity } from '../merkle/daily-root.entity';
import { Publicity1764000001000 } from '../migrations/1764000001000-publicity';
import { SearchAndRoots1764000002000 } from '../migrations/1764000002000-search-and-roots';
import { AgencyDisclosures1764000003000 } from '../migrations/1764000003000-agency-disclosures';
import { AgencyPublicitySettings1764000004000 } from '../migrations/1764000004000-agency-publicity-settings';
import { DisclosureReplacements1764000005000 } from '../migrations/1764000005000-disclosure-replacements';
import { PortalModule } from '../portal/portal.module';
import { PublicModule } from '../public/public.module';

/** Entities and migrations of the publicity service, in order. */
export const PUBLICITY_ENTITIES = [
  ...CERTIFICATE_READ_MODEL_ENTITIES,
  ...CALENDAR_FOLLOWER_ENTITIES,
  DisclosureEntity,
  DisclosureHistoryEntity,
  PublicAgencyEntity,
  SearchTermEntity,
  DailyRootEntity,
  DailyRootLeafEntity,
  AgencyDisclosureEntity,
  AgencyPublicitySettingsEntity,
];
export const PUBLICITY_MIGRATIONS = [
  ...CERTIFICATE_READ_MODEL_MIGRATIONS,
  ...CALENDAR_FOLLOWER_MIGRATIONS,
  Publicity1764000001000,
  SearchAndRoots1764000002000,
  AgencyDisclosures1764000003000,
  AgencyPublicitySettings1764000004000,
  DisclosureReplacements1764000005000,
];

@Module({})
export class PublicityAppModule {
  static forRoot(context: ServiceContext): DynamicModule {
    return {
      module: PublicityAppModule,
      providers: [ClientErrorResponderService],
      imports: [
        RuntimeModule.forRoot({ ...context, entities: PUBLICITY_ENTITIES, migrations: PUBLICITY_MIGRATIONS }),
        // The officer roster and certificate verification (事前公开, 事中公示) read the certificate read model.
        CertificateCheckModule.forRoot({ supervisionController: false }),
        DisclosuresModule,
        PublicModule,
        PortalModule,
      ],
    };
  }
}
