import { Module } from '@nestjs/common';
import { CalendarFollowerModule } from '@enforcement/calendar-follower';
import { FieldCipher } from '@enforcement/field-cipher';
import { SERVICE_CONFIG } from '@enforcement/service-runtime';
import { AgenciesModule } from '../agencies/agencies.module';
import type { PublicityConfig } from '../config/publicity-settings';
import { DEFAULT_PUBLICATION_PERIODS } from '../disclosure-core/publication-period';
import { DecisionEventsConsumer } from './decision-events.consumer';
import { DISCLOSURE_CHECK_INTERVAL_MS, DisclosureCheckJob } from './disclosure-check.job';
import { DisclosureMetricsService } from './disclosure-metrics.service';
import { DisclosureRepository } from './disclosure.repository';
import { DisclosuresController } from './disclosures.controller';
import { DisclosuresService, PUBLICATION_PERIODS, REDACTION_RULES } from './disclosures.service';

@Module({
  // Publication and withdrawal deadlines count working days on recording's calendar (Art. 85).
  imports: [CalendarFollowerModule.forRoot(), AgenciesModule],
  controllers: [DisclosuresController],
  providers: [
    DisclosureRepository,
    DisclosuresService,
    DecisionEventsConsumer,
    DisclosureCheckJob,
    DisclosureMetricsService,
    // Configuration, not code: the defaults with REDACTION_RULES_FILE over them; publication periods as defaults.
    { provide: REDACTION_RULES, inject: [SERVICE_CONFIG], useFactory: (config: PublicityConfig) => config.settings.redactionRules },
    { provide: PUBLICATION_PERIODS, useValue: DEFAULT_PUBLICATION_PERIODS },
    // The original text is sealed at rest with the service's own field key (FIELD_ENCRYPTION_KEY or its key file).
    {
      provide: FieldCipher,
      inject: [SERVICE_CONFIG],
      useFactory: (config: PublicityConfig) => FieldCipher.fromConfig(config.settings.fieldEncryption),
    },
    {
      provide: DISCLOSURE_CHECK_INTERVAL_MS,
      inject: [SERVICE_CONFIG],
      useFactory: (config: PublicityConfig) => config.settings.checkIntervalMs,
    },
  ],
  exports: [DisclosuresService, DisclosureRepository],
})
export class DisclosuresModule {}
