import { DynamicModule, Module } from '@nestjs/common';
import {
  CERTIFICATE_READ_MODEL_ENTITIES,
  CERTIFICATE_READ_MODEL_MIGRATIONS,
  CertificateCheckModule,
} from '@enforcement/certificates';
import { RuntimeModule, StorageModule, type ServiceContext } from '@enforcement/service-runtime';
import { AgencyDirectoryModule } from '../agency-directory/agency-directory.module';
import { KnownAgencyEntity } from '../agency-directory/known-agency.entity';
import { PreflightModule } from '../certificate-check/preflight.module';
import { KnownAgencies1763700002000 } from '../migrations/1763700002000-known-agencies';

@Module({})
export class RecordingAppModule {
  static forRoot(context: ServiceContext): DynamicModule {
    return {
      module: RecordingAppModule,
      imports: [
        RuntimeModule.forRoot({
          ...context,
          entities: [KnownAgencyEntity, ...CERTIFICATE_READ_MODEL_ENTITIES],
          migrations: [KnownAgencies1763700002000, ...CERTIFICATE_READ_MODEL_MIGRATIONS],
        }),
        StorageModule.forRoot(),
        CertificateCheckModule.forRoot(),
        AgencyDirectoryModule,
        PreflightModule,
      ],
    };
  }
}
