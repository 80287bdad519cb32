import { DynamicModule, Module } from '@nestjs/common';
import { RuntimeModule, type ServiceContext } from '@enforcement/service-runtime';
import { AgenciesModule } from '../agencies/agencies.module';
import { AgencyEntity } from '../agencies/agency.entity';
import { Agencies1763700001000 } from '../migrations/1763700001000-agencies';

@Module({})
export class CertificatesAppModule {
  static forRoot(context: ServiceContext): DynamicModule {
    return {
      module: CertificatesAppModule,
      imports: [
        RuntimeModule.forRoot({
          ...context,
          entities: [AgencyEntity],
          migrations: [Agencies1763700001000],
        }),
        AgenciesModule,
      ],
    };
  }
}
