import { DynamicModule, Module } from '@nestjs/common';
import { CALENDAR_FOLLOWER_ENTITIES, CALENDAR_FOLLOWER_MIGRATIONS, CalendarFollowerModule } from '@enforcement/calendar-follower';
import { CERTIFICATE_READ_MODEL_ENTITIES, CERTIFICATE_READ_MODEL_MIGRATIONS, CertificateCheckModule } from '@enforcement/certificates';
import { RuntimeModule, StorageModule, type ServiceContext } from '@enforcement/service-runtime';
import { KnownAgencyEntity } from '../agencies/known-agency.entity';
import { KnownCaseEntity } from '../cases/known-case.entity';
import { CatalogVersionEntity } from '../catalog/catalog-version.entity';
import { CatalogModule } from '../catalog/catalog.module';
import { ReviewDemandEntity } from '../demands/review-demand.entity';
import { ReviewDemandsModule } from '../demands/review-demands.module';
import { BenchmarkEntryEntity } from '../discretion/benchmark-entry.entity';
import { BenchmarkModule } from '../discretion/benchmark.module';
import { LegalReview1763800001000 } from '../migrations/1763800001000-legal-review';
import { KnownAgencies1763800002000 } from '../migrations/1763800002000-known-agencies';
import { KnownCasesAndDemands1763800003000 } from '../migrations/1763800003000-known-cases-and-demands';
import { ReviewRoundEntity } from '../reviews/review-round.entity';
import { ReviewEntity } from '../reviews/review.entity';
import { ReviewsModule } from '../reviews/reviews.module';

@Module({})
export class LegalReviewAppModule {
  static forRoot(context: ServiceContext): DynamicModule {
    return {
      module: LegalReviewAppModule,
      imports: [
        RuntimeModule.forRoot({
          ...context,
          entities: [
            ...CERTIFICATE_READ_MODEL_ENTITIES,
            CatalogVersionEntity,
            BenchmarkEntryEntity,
            ReviewEntity,
            ReviewRoundEntity,
            KnownAgencyEntity,
            KnownCaseEntity,
            ReviewDemandEntity,
            ...CALENDAR_FOLLOWER_ENTITIES,
          ],
          migrations: [
            ...CERTIFICATE_READ_MODEL_MIGRATIONS,
            LegalReview1763800001000,
            KnownAgencies1763800002000,
            KnownCasesAndDemands1763800003000,
            ...CALENDAR_FOLLOWER_MIGRATIONS,
          ],
        }),
        // The written opinions (PDF): MinIO when configured, local disk otherwise.
        StorageModule.forRoot(),
        // The certificate read model: who holds the reviewer role (legal-review qualification) and who enforces.
        CertificateCheckModule.forRoot({ supervisionController: false }),
        // Review periods count working days on recording's calendar, followed through CalendarYearLoaded.
        CalendarFollowerModule,
        CatalogModule,
        BenchmarkModule,
        ReviewsModule,
        ReviewDemandsModule,
      ],
    };
  }
}
