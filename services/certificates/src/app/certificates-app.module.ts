import { DynamicModule, Module } from '@nestjs/common';
import type { InProcessBroker } from '@enforcement/events';
import { RuntimeModule, type ServiceConfig } from '@enforcement/service-runtime';
import { AgenciesModule } from '../agencies/agencies.module';
import { AgencyEntity } from '../agencies/agency.entity';
import { Agencies1763700001000 } from '../migrations/1763700001000-agencies';

@Module({})
export class CertificatesAppModule {
  static forRoot(config: ServiceConfig, broker?: InProcessBroker): DynamicModule {
    return {
      module: CertificatesAppModule,
      imports: [
        RuntimeModule.forRoot({
          config,
          broker,
          entities: [AgencyEntity],
          migrations: [Agencies1763700001000],
        }),
        AgenciesModule,
      ],
    };
  }
}
