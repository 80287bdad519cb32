import { DynamicModule, Module } from '@nestjs/common';
import { RuntimeModule, type ServiceContext } from '@enforcement/service-runtime';
import { AgenciesModule } from '../agencies/agencies.module';
import { AgencyEntity } from '../agencies/agency.entity';
import { CertificateHistoryEntity } from '../certificates/certificate-history.entity';
import { CertificateEntity } from '../certificates/certificate.entity';
import { CertificatesModule } from '../certificates/certificates.module';
import type { CertificatesConfig } from '../config/certificates-settings';
import { DemoModule } from '../demo/demo.module';
import { Agencies1763700001000 } from '../migrations/1763700001000-agencies';
import { OfficersAndCertificates1763700003000 } from '../migrations/1763700003000-officers-and-certificates';
import { encryptedOfficerIdNumbers } from '../migrations/1763900001000-encrypted-officer-id-numbers';
import { OfficerEntity } from '../officers/officer.entity';
import { OfficersModule } from '../officers/officers.module';
import { ReviewQualificationEntity } from '../officers/review-qualification.entity';
import { PublicModule } from '../public/public.module';
import { RosterModule } from '../roster/roster.module';
import { StaffingModule } from '../staffing/staffing.module';

@Module({})
export class CertificatesAppModule {
  static forRoot(context: ServiceContext): DynamicModule {
    return {
      module: CertificatesAppModule,
      imports: [
        RuntimeModule.forRoot({
          ...context,
          entities: [AgencyEntity, OfficerEntity, ReviewQualificationEntity, CertificateEntity, CertificateHistoryEntity],
          migrations: [
            Agencies1763700001000,
            OfficersAndCertificates1763700003000,
            // Encrypts the ID numbers with the service's own field key, so it is made from the settings.
            encryptedOfficerIdNumbers((context.config as CertificatesConfig).settings.fieldEncryption),
          ],
        }),
        AgenciesModule,
        OfficersModule,
        CertificatesModule,
        StaffingModule,
        RosterModule,
        PublicModule,
        DemoModule,
      ],
    };
  }
}
