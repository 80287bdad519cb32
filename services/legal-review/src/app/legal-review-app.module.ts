import { DynamicModule, Module } from '@nestjs/common';
import { RuntimeModule, type ServiceContext } from '@enforcement/service-runtime';

@Module({})
export class LegalReviewAppModule {
  static forRoot(context: ServiceContext): DynamicModule {
    return {
      module: LegalReviewAppModule,
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
