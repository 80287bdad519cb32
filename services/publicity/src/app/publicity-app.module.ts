import { DynamicModule, Module } from '@nestjs/common';
import { RuntimeModule, type ServiceContext } from '@enforcement/service-runtime';

@Module({})
export class PublicityAppModule {
  static forRoot(context: ServiceContext): DynamicModule {
    return {
      module: PublicityAppModule,
      imports: [
        RuntimeModule.forRoot({
          ...context,
          entities: [],
          migrations: [],
        }),
      ],
    };
  }
}
