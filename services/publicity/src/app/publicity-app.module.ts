import { DynamicModule, Module } from '@nestjs/common';
import type { InProcessBroker } from '@enforcement/events';
import { RuntimeModule, type ServiceConfig } from '@enforcement/service-runtime';

@Module({})
export class PublicityAppModule {
  static forRoot(config: ServiceConfig, broker?: InProcessBroker): DynamicModule {
    return {
      module: PublicityAppModule,
      imports: [RuntimeModule.forRoot({ config, broker, entities: [], migrations: [] })],
    };
  }
}
