import { DynamicModule, Module } from '@nestjs/common';
import { RuntimeModule, StorageModule, type ServiceContext } from '@enforcement/service-runtime';
import { AgencyDirectoryModule } from '../agency-directory/agency-directory.module';
import { KnownAgencyEntity } from '../agency-directory/known-agency.entity';
import { KnownAgencies1763700002000 } from '../migrations/1763700002000-known-agencies';

@Module({})
export class RecordingAppModule {
  static forRoot(context: ServiceContext): DynamicModule {
    return {
      module: RecordingAppModule,
      imports: [
        RuntimeModule.forRoot({
          ...context, entities: [KnownAgencyEntity], migrations: [KnownAgencies1763700002000] }),
        StorageModule.forRoot(),
        AgencyDirectoryModule,
      ],
    };
  }
}
